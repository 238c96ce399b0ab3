package io.axon.buffer.spring.boot;

import io.axon.buffer.ingest.MultipartOptions;
import io.axon.buffer.spring.PooledMultipartReader;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;
import org.springframework.util.unit.DataSize;

/**
 * Spring's own {@code spring.webflux.multipart.*} limits, read by name from the environment (the
 * properties class moved between Boot 3 and 4; the names did not) and applied to the pooled reader,
 * with Spring's defaults when unset:
 *
 * <table>
 *   <caption>Spring's multipart properties on the pooled reader</caption>
 *   <tr><th>property (Spring's default)</th><th>pooled reader</th></tr>
 *   <tr><td>{@code max-in-memory-size} (256KB)</td><td>most bytes of a part without a file name
 *       (Spring refuses such a part above it too); -1: the file-part limit</td></tr>
 *   <tr><td>{@code max-disk-usage-per-part} (-1)</td><td>most bytes of a file part (held in pooled
 *       memory, never on disk); -1: {@code axon.buffer.multipart.max-file-part-size}</td></tr>
 *   <tr><td>{@code max-headers-size} (10KB)</td><td>most header bytes of one part; -1: the
 *       library's default</td></tr>
 *   <tr><td>{@code max-parts} (-1)</td><td>most parts; -1: the library's default (1000)</td></tr>
 * </table>
 *
 * {@code file-storage-directory} and {@code headers-charset} have no meaning here (nothing is
 * spooled; header values are read as RFC 7578 says). Internal.
 */
final class SpringMultipartLimits {

  private static final String PREFIX = "spring.webflux.multipart.";

  private SpringMultipartLimits() {}

  /** A reader builder with the limits of {@code env} and {@code properties} applied. */
  static PooledMultipartReader.Builder apply(
      PooledMultipartReader.Builder reader, Environment env, AxonBufferProperties properties) {
    Binder binder = Binder.get(env);
    long inMemory = size(binder, "max-in-memory-size", DataSize.ofKilobytes(256));
    long disk = size(binder, "max-disk-usage-per-part", DataSize.ofBytes(-1));
    long headers = size(binder, "max-headers-size", DataSize.ofKilobytes(10));
    int parts = binder.bind(PREFIX + "max-parts", Integer.class).orElse(-1);

    MultipartOptions.Builder options = MultipartOptions.builder();
    if (headers >= 0) {
      options.maxHeaderBytesPerPart((int) Math.min(headers, Integer.MAX_VALUE));
    }
    if (parts > 0) {
      options.maxParts(parts);
    }
    long fileLimit =
        disk >= 0
            ? disk
            : properties.getMultipart().getMaxFilePartSize() != null
                ? properties.getMultipart().getMaxFilePartSize().toBytes()
                : MultipartOptions.defaults().maxPartBytes();
    fileLimit = Math.min(fileLimit, MultipartOptions.MAX_PART_BYTES_CEILING);
    long fieldLimit = inMemory >= 0 ? Math.min(inMemory, fileLimit) : fileLimit;
    return reader
        .options(options.build())
        .maxFilePartBytes(fileLimit)
        .maxFieldPartBytes(fieldLimit);
  }

  private static long size(Binder binder, String name, DataSize whenUnset) {
    return binder.bind(PREFIX + name, DataSize.class).orElse(whenUnset).toBytes();
  }
}
