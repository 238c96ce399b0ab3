package org.example.axon.spring;

import io.axon.buffer.spring.PooledFilePart;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.codec.multipart.FilePart;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestPart;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * The handlers, written as for WebFlux's own reader: {@code @RequestPart} with {@link FilePart} and
 * {@code String}. One of them declares {@link PooledFilePart} to reach what axon-buffer adds (the
 * kind sniffed from the bytes, the tenant billed).
 */
@RestController
public class UploadController {

  /** Made by Spring. */
  public UploadController() {}

  /**
   * A file and a note: answers the note, the file's name, size and sha256, read through {@code
   * content()} as with any {@link FilePart}.
   *
   * @param file the file part
   * @param note a text field
   * @return one line
   */
  @PostMapping("/upload")
  public Mono<String> upload(@RequestPart("file") FilePart file, @RequestPart("note") String note) {
    MessageDigest sha256 = sha256();
    return file.content()
        .doOnNext(
            b -> {
              try (DataBuffer.ByteBufferIterator it = b.readableByteBuffers()) {
                it.forEachRemaining(sha256::update);
              } finally {
                DataBufferUtils.release(b);
              }
            })
        .then(
            Mono.fromSupplier(
                () ->
                    note
                        + ": "
                        + file.filename()
                        + " sha256="
                        + HexFormat.of().formatHex(sha256.digest())
                        + "\n"));
  }

  /**
   * A photo: answers the kind axon-buffer detected from its bytes, its size and the tenant billed.
   *
   * @param photo the file part, as the pooled part it is
   * @return one line
   */
  @PostMapping("/photo")
  public Mono<String> photo(@RequestPart("photo") PooledFilePart photo) {
    return Mono.just(
        photo.filename()
            + " kind="
            + photo.kind().slug()
            + " size="
            + photo.size()
            + " tenant="
            + photo.tenant().orElse("-")
            + "\n");
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
