package io.axon.buffer.cli;

import io.axon.buffer.BufferKind;
import io.axon.buffer.BufferKindRegistry;
import io.axon.buffer.TranscoderRegistration;
import io.axon.buffer.Transcoders;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;

/**
 * {@code axon-buffer transcoders}: every transcoder in use (one per pair of kinds) with its
 * priority and where its class came from, and whether a kind provider declares its kinds.
 */
@Command(
    name = "transcoders",
    mixinStandardHelpOptions = true,
    description =
        "List the transcoders in use, one per pair of kinds: source and target kind, priority, and"
            + " the transcoder class with the JAR or module it came from. A kind that no provider"
            + " declares is marked 'undeclared': the transcoder works through the API, but"
            + " transcode --from/--to, detect and kinds only know declared kinds.",
    footerHeading = "%nExamples:%n",
    footer = {"  axon-buffer transcoders", "  axon-buffer transcoders --json --plugins plugins/"})
final class TranscodersCommand extends ListingCommand<TranscoderRegistration> {

  @Override
  List<TranscoderRegistration> items() {
    return Transcoders.global().registrations();
  }

  @Override
  String[] header() {
    return new String[] {"FROM", "TO", "PRIORITY", "TRANSCODER"};
  }

  @Override
  String[] row(TranscoderRegistration r) {
    return new String[] {
      kindColumn(r.from()),
      kindColumn(r.to()),
      Integer.toString(r.priority()),
      classWithOrigin(r.className(), r.origin())
    };
  }

  @Override
  Map<String, Object> object(TranscoderRegistration r) {
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("from", r.from().slug());
    o.put("to", r.to().slug());
    o.put("fromDeclared", declared(r.from()));
    o.put("toDeclared", declared(r.to()));
    o.put("priority", r.priority());
    o.put("transcoder", r.className());
    o.put("origin", r.origin());
    return o;
  }

  private static boolean declared(BufferKind kind) {
    return BufferKindRegistry.global().descriptor(kind).isPresent();
  }

  private static String kindColumn(BufferKind kind) {
    return declared(kind) ? kind.slug() : kind.slug() + " (undeclared)";
  }
}
