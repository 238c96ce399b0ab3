package io.axon.buffer.spring;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.codec.multipart.FilePart;
import org.springframework.http.codec.multipart.FormFieldPart;
import org.springframework.http.codec.multipart.Part;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestPart;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The handlers the tests upload to, written as an application writes them: nothing in them knows
 * which multipart reader is installed, except where a test asks for the detected kind.
 */
@RestController
class UploadController {

  /** Every part, in order, one line each: {@link #describe}. */
  @PostMapping("/parts")
  Mono<String> parts(@RequestBody Flux<Part> parts) {
    return parts.concatMap(UploadController::describe).collectList().map(UploadController::lines);
  }

  /** Every part through {@code getMultipartData()} (what {@code @RequestPart} uses). */
  @PostMapping("/map")
  Mono<String> map(ServerWebExchange exchange) {
    return exchange
        .getMultipartData()
        .flatMapMany(m -> Flux.fromIterable(m.values()).flatMapIterable(l -> l))
        .concatMap(UploadController::describe)
        .collectList()
        .map(UploadController::lines);
  }

  /** {@code @RequestPart} as applications use it, on the parts of curl's file upload. */
  @PostMapping("/request-part")
  Mono<String> requestPart(
      @RequestPart("text") FilePart text,
      @RequestPart("bin") PooledFilePart bin,
      @RequestPart("note") String note) {
    return Mono.zip(describe(text), describe(bin))
        .map(t -> t.getT1() + "\n" + t.getT2() + "\nnote=" + note + "\n");
  }

  /** Only one part read: the others are ignored. */
  @PostMapping("/one-part")
  Mono<String> onePart(@RequestPart("note") String note) {
    return Mono.just("note=" + note + "\n");
  }

  /** The parts counted, their content never read. */
  @PostMapping("/count")
  Mono<String> count(@RequestBody Flux<Part> parts) {
    return parts.count().map(n -> n + "\n");
  }

  /** The body never read at all. */
  @PostMapping("/ignore")
  Mono<String> ignore() {
    return Mono.just("ignored\n");
  }

  /** The file part's content written back as the response body (pooled buffers out, no copy). */
  @PostMapping("/echo")
  Flux<DataBuffer> echo(@RequestPart("bin") FilePart bin) {
    return bin.content();
  }

  /** The file part written to a file with transferTo, then hashed from the file. */
  @PostMapping("/transfer")
  Mono<String> transfer(@RequestPart("bin") FilePart bin) {
    return Mono.fromCallable(() -> Files.createTempFile("axon-spring-", ".bin"))
        .subscribeOn(Schedulers.boundedElastic())
        .flatMap(
            path ->
                bin.transferTo(path)
                    .then(
                        Mono.fromCallable(
                            () -> {
                              try {
                                byte[] bytes = Files.readAllBytes(path);
                                return bytes.length + "\t" + sha256(bytes) + "\n";
                              } finally {
                                Files.delete(path);
                              }
                            })));
  }

  /** The kind of every part, as the pooled reader detected it. */
  @PostMapping("/kinds")
  Mono<String> kinds(@RequestBody Flux<Part> parts) {
    return parts
        .map(p -> p.name() + "\t" + ((PooledPart) p).kind() + "\n")
        .collectList()
        .map(l -> String.join("", l));
  }

  /**
   * One line per part: name, file name (or -), size, sha256 of the content read through {@link
   * Part#content()} (each buffer released as read), the part's Spring type.
   */
  static Mono<String> describe(Part part) {
    MessageDigest digest = newDigest();
    long[] size = {0};
    return part.content()
        .doOnNext(
            buffer -> {
              try (DataBuffer.ByteBufferIterator it = buffer.readableByteBuffers()) {
                while (it.hasNext()) {
                  ByteBuffer b = it.next();
                  size[0] += b.remaining();
                  digest.update(b);
                }
              } finally {
                DataBufferUtils.release(buffer);
              }
            })
        .then(
            Mono.fromSupplier(
                () ->
                    part.name()
                        + "\t"
                        + (part instanceof FilePart ? ((FilePart) part).filename() : "-")
                        + "\t"
                        + size[0]
                        + "\t"
                        + HexFormat.of().formatHex(digest.digest())
                        + "\t"
                        + (part instanceof FilePart
                            ? "file"
                            : part instanceof FormFieldPart ? "field" : "part")));
  }

  private static String lines(List<String> lines) {
    return String.join("\n", lines) + "\n";
  }

  static String sha256(byte[] bytes) {
    return HexFormat.of().formatHex(newDigest().digest(bytes));
  }

  private static MessageDigest newDigest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The non-empty lines of a response body. */
  static List<String> split(String body) {
    List<String> out = new ArrayList<>();
    for (String line : body.split("\n")) {
      if (!line.isEmpty()) {
        out.add(line);
      }
    }
    return out;
  }
}
