package io.axon.buffer.cli;

import io.axon.buffer.BufferKindRegistry;
import io.axon.buffer.KindDescriptor;
import io.axon.buffer.KindRegistration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;

/** {@code axon-buffer kinds}: every known kind with its media types, extensions and provider. */
@Command(
    name = "kinds",
    mixinStandardHelpOptions = true,
    description =
        "List every known kind: media types (canonical first), extensions, whether it"
            + " has a sniffer (S) and an inspector (I), and the provider (class and JAR or module) that"
            + " declares it.",
    footerHeading = "%nExamples:%n",
    footer = {"  axon-buffer kinds", "  axon-buffer kinds --json --plugins plugins/"})
final class KindsCommand extends ListingCommand<KindRegistration> {

  @Override
  List<KindRegistration> items() {
    return BufferKindRegistry.global().registrations();
  }

  @Override
  String[] header() {
    return new String[] {"KIND", "MEDIA TYPES", "EXTENSIONS", "S/I", "PROVIDER"};
  }

  @Override
  String[] row(KindRegistration r) {
    KindDescriptor d = r.descriptor();
    return new String[] {
      d.slug(),
      d.mediaTypes().isEmpty() ? "-" : String.join(",", d.mediaTypes()),
      d.extensions().isEmpty() ? "-" : "." + String.join(",.", d.extensions()),
      (d.sniffer().isPresent() ? "S" : "-") + (d.inspector().isPresent() ? "I" : "-"),
      classWithOrigin(r.provider(), r.origin())
    };
  }

  @Override
  Map<String, Object> object(KindRegistration r) {
    KindDescriptor d = r.descriptor();
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("kind", d.slug());
    o.put("description", d.description());
    o.put("mediaTypes", d.mediaTypes());
    o.put("extensions", d.extensions());
    o.put("sniffer", d.sniffer().isPresent());
    o.put("inspector", d.inspector().isPresent());
    o.put("provider", r.provider());
    o.put("origin", r.origin());
    return o;
  }
}
