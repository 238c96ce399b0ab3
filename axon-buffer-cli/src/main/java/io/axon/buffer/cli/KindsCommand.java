package io.axon.buffer.cli;

import io.axon.buffer.BufferKindRegistry;
import io.axon.buffer.KindDescriptor;
import io.axon.buffer.KindRegistration;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

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
final class KindsCommand implements Callable<Integer>, Main.JsonOutput {

  @ParentCommand Main main;
  @Mixin Main.PluginOption plugins;
  @Spec CommandSpec spec;

  @Option(names = "--json", description = "One JSON object per kind.")
  boolean json;

  @Override
  public boolean json() {
    return json;
  }

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    Plugins.load(main.pluginDirs(plugins), spec.commandLine().getErr());
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"KIND", "MEDIA TYPES", "EXTENSIONS", "S/I", "PROVIDER"});
    for (KindRegistration r : BufferKindRegistry.global().registrations()) {
      KindDescriptor d = r.descriptor();
      if (json) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("kind", d.slug());
        o.put("description", d.description());
        o.put("mediaTypes", d.mediaTypes());
        o.put("extensions", d.extensions());
        o.put("sniffer", d.sniffer().isPresent());
        o.put("inspector", d.inspector().isPresent());
        o.put("provider", r.provider());
        o.put("origin", r.origin());
        out.println(Json.write(o));
      } else {
        rows.add(
            new String[] {
              d.slug(),
              d.mediaTypes().isEmpty() ? "-" : String.join(",", d.mediaTypes()),
              d.extensions().isEmpty() ? "-" : "." + String.join(",.", d.extensions()),
              (d.sniffer().isPresent() ? "S" : "-") + (d.inspector().isPresent() ? "I" : "-"),
              r.provider() + (r.origin() == null ? "" : " (" + shortOrigin(r.origin()) + ")")
            });
      }
    }
    if (!json) {
      int[] width = new int[4];
      for (String[] row : rows) {
        for (int i = 0; i < width.length; i++) {
          width[i] = Math.max(width[i], row[i].length());
        }
      }
      for (String[] row : rows) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < width.length; i++) {
          line.append(row[i]).append(" ".repeat(width[i] - row[i].length() + 2));
        }
        out.println(line.append(row[4]));
      }
    }
    return Main.OK;
  }

  /** The file name of a JAR location, or the module name. */
  static String shortOrigin(String origin) {
    int end = origin.endsWith(")") ? origin.indexOf(" (") : -1;
    String o = end > 0 ? origin.substring(0, end) : origin;
    int slash = o.lastIndexOf('/', o.length() - 2);
    return slash >= 0 && o.startsWith("file:") ? o.substring(slash + 1) : o;
  }
}
