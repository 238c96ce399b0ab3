package io.axon.buffer.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * What {@code kinds} and {@code transcoders} share: load the plugins, then print one row per item,
 * as a table (columns two spaces apart, a header row first) or, with {@code --json}, as one JSON
 * object per line.
 *
 * @param <T> the items listed
 */
abstract class ListingCommand<T> implements Callable<Integer>, Main.JsonOutput {

  @ParentCommand Main main;
  @Mixin Main.PluginOption plugins;
  @Spec CommandSpec spec;

  @Option(names = "--json", description = "One JSON object per line.")
  boolean json;

  @Override
  public boolean json() {
    return json;
  }

  /** The items, read after the plugins are loaded. */
  abstract List<T> items();

  /** The table's header row. */
  abstract String[] header();

  /** One item as a table row (as many cells as the header). */
  abstract String[] row(T item);

  /** One item as a JSON object (camelCase keys, in order). */
  abstract Map<String, Object> object(T item);

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    Plugins.load(main.pluginDirs(plugins), spec.commandLine().getErr());
    List<String[]> rows = new ArrayList<>();
    rows.add(header());
    for (T item : items()) {
      if (json) {
        out.println(Json.write(object(item)));
      } else {
        // A plugin names its own classes, JAR and media types: escaped for the terminal.
        String[] row = row(item);
        for (int i = 0; i < row.length; i++) {
          row[i] = TerminalText.escape(row[i]);
        }
        rows.add(row);
      }
    }
    if (!json) {
      printTable(out, rows);
    }
    return Main.OK;
  }

  /** Prints {@code rows} as columns two spaces apart; the last column is not padded. */
  private static void printTable(PrintWriter out, List<String[]> rows) {
    int columns = rows.get(0).length;
    int[] width = new int[columns - 1];
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
      out.println(line.append(row[columns - 1]));
    }
  }

  /** A class's name with the file name of its JAR location (or its module), when known. */
  static String classWithOrigin(String className, String origin) {
    return className + (origin == null ? "" : " (" + shortOrigin(origin) + ")");
  }

  /** The file name of a JAR location, or the module name. */
  static String shortOrigin(String origin) {
    int end = origin.endsWith(")") ? origin.indexOf(" (") : -1;
    String o = end > 0 ? origin.substring(0, end) : origin;
    int slash = o.lastIndexOf('/', o.length() - 2);
    return slash >= 0 && o.startsWith("file:") ? o.substring(slash + 1) : o;
  }
}
