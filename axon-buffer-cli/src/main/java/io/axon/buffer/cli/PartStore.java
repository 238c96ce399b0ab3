package io.axon.buffer.cli;

import io.axon.buffer.ingest.Part;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The {@code serve --store DIR} folder: a file part is written to {@code DIR/<tenant
 * folder>/<n>-<safe base name>} with one gathering write from its pooled memory. The client's file
 * name never reaches the file system as sent (only its safe base name, and a made-up one when the
 * file system cannot spell it); the tenant's folder name is reduced to {@code [A-Za-z0-9._-]} and
 * is never {@code .} or {@code ..}; a name that would resolve outside the tenant's folder is
 * refused.
 *
 * <p>Threading: safe from any thread (the file counter is atomic; each file is created new).
 */
final class PartStore {

  private final Path root;
  private final AtomicInteger stored = new AtomicInteger();

  PartStore(Path root) {
    this.root = root;
  }

  /**
   * Writes {@code part}'s payload to a new file of {@code tenant}'s folder.
   *
   * @return the file's path relative to the store, as the upload's answer reports it
   */
  String store(String tenant, Part part) throws IOException {
    String base = part.info().safeFilename().orElse("");
    String name =
        stored.incrementAndGet() + "-" + (base.isEmpty() ? "part" + part.info().index() : base);
    Path dir = root.resolve(safeDirName(tenant));
    Files.createDirectories(dir);
    Path file;
    try {
      file = dir.resolve(name).normalize();
    } catch (InvalidPathException e) {
      // A name this file system cannot spell (e.g. non-ASCII under a C locale): a made-up one.
      file = dir.resolve(stored.incrementAndGet() + "-part" + part.info().index());
    }
    if (!file.getParent().equals(dir.normalize())) {
      throw new IOException(
          "refusing to store part " + part.info().index() + " outside its folder");
    }
    try (FileChannel ch =
        FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      part.payload().writeTo(ch);
    }
    return root.relativize(file).toString();
  }

  /** A tenant name as one folder name: {@code [A-Za-z0-9._-]}, never {@code .} or {@code ..}. */
  static String safeDirName(String tenant) {
    StringBuilder out = new StringBuilder(tenant.length());
    for (int i = 0; i < tenant.length(); i++) {
      char c = tenant.charAt(i);
      boolean ok =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || c == '.'
              || c == '_'
              || c == '-';
      out.append(ok ? c : '_');
    }
    String s = out.toString();
    return s.chars().allMatch(c -> c == '.') ? s.replace('.', '_') : s;
  }

  @Override
  public String toString() {
    return "PartStore{" + root + "}";
  }
}
