package io.axon.buffer.netty;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.axon.buffer.ingest.MultipartSummary;
import io.axon.buffer.ingest.Part;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * An upload listener that checks and records every part (name, size, sha256, tenant), closes it,
 * and answers 200 with one line per part: the client compares them with what it sent.
 */
final class RecordingListener implements UploadListener {

  /** Every completed upload's lines, in order. */
  final List<List<String>> completed = new CopyOnWriteArrayList<>();

  /** Every failure reported. */
  final List<Throwable> failures = new CopyOnWriteArrayList<>();

  /** Every upload seen (its head), in order. */
  final List<Upload> uploads = new CopyOnWriteArrayList<>();

  /** Lines of the uploads in flight (event loop only). */
  private final Map<Upload, List<String>> lines = new IdentityHashMap<>();

  /** How a part is handled: null (at once) or a stage; the part is closed when it completes. */
  volatile Function<Part, CompletionStage<?>> handling = part -> null;

  @Override
  public CompletionStage<?> onPart(Upload upload, Part part) {
    assertTrue(upload.channel().eventLoop().inEventLoop(), "called on the event loop");
    List<String> l =
        lines.computeIfAbsent(
            upload,
            u -> {
              uploads.add(u);
              return new ArrayList<>();
            });
    l.add(line(part));
    CompletionStage<?> stage;
    try {
      stage = handling.apply(part);
    } catch (RuntimeException e) {
      part.close();
      throw e;
    }
    if (stage == null) {
      part.close();
      return null;
    }
    return stage.whenComplete((v, e) -> part.close());
  }

  static String line(Part part) {
    return part.name()
        + " "
        + part.size()
        + " "
        + part.payload().sha256Hex()
        + " "
        + part.payload().tenant().orElse("-");
  }

  @Override
  public FullHttpResponse onComplete(Upload upload, MultipartSummary summary) {
    List<String> l = lines.remove(upload);
    if (l == null) {
      l = List.of();
      uploads.add(upload);
    }
    completed.add(l);
    String text = String.join("\n", l) + "\n";
    FullHttpResponse r =
        new DefaultFullHttpResponse(
            HttpVersion.HTTP_1_1,
            HttpResponseStatus.OK,
            Unpooled.copiedBuffer(text, StandardCharsets.UTF_8));
    r.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
    return r;
  }

  @Override
  public void onFailure(Upload upload, Throwable cause) {
    lines.remove(upload);
    failures.add(cause);
  }

  /** The lines a client expects for {@code body} billed to {@code tenant}. */
  static List<String> expected(MultipartBody body, String tenant) {
    List<String> out = new ArrayList<>();
    for (MultipartBody.Sent s : body.parts()) {
      out.add(s.name() + " " + s.size() + " " + s.sha256() + " " + (s.size() == 0 ? "-" : tenant));
    }
    return out;
  }
}
