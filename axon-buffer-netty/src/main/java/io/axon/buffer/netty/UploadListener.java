package io.axon.buffer.netty;

import io.axon.buffer.ingest.MultipartSummary;
import io.axon.buffer.ingest.Part;
import io.netty.handler.codec.http.FullHttpResponse;
import java.util.concurrent.CompletionStage;

/**
 * Receives the parts of the uploads a {@link MultipartUploadHandler} parses, and answers them. All
 * three methods are called on the channel's event loop, one upload at a time per channel: for each
 * upload {@code onPart} for every part, then exactly one of {@code onComplete} and {@code
 * onFailure}.
 */
public interface UploadListener {

  /**
   * A part is complete. The listener owns {@code part} from this call on (even if it throws) and
   * must close it.
   *
   * <p>Backpressure: return a stage that completes when the part is handled (stored, forwarded),
   * and the handler reads no more of the connection until it has: auto-read is off while any stage
   * of the upload is pending, and on again once every one has completed. Parts already in the bytes
   * read are still delivered (at most one read's worth). Return {@code null} (or a completed stage)
   * when the part was handled in the call. A stage that completes exceptionally fails the upload
   * (answered with its {@code httpStatus()} for an {@link io.axon.buffer.AxonBufferException}, else
   * 500).
   *
   * @param upload the request the part belongs to
   * @param part the part, with its payload in pooled memory billed to the upload's tenant
   * @return null or a stage completing when the part is handled
   */
  CompletionStage<?> onPart(Upload upload, Part part);

  /**
   * The body ended with its close delimiter and every stage returned by {@link #onPart} has
   * completed: the answer to send. The handler sets {@code Content-Length} if it is missing and
   * {@code Connection} as the request asked, writes it, and releases it.
   *
   * @param upload the request
   * @param summary the parser's figures for the body
   * @return the response (a {@code 200} with the listener's body, typically)
   */
  FullHttpResponse onComplete(Upload upload, MultipartSummary summary);

  /**
   * The upload failed: the body broke the grammar or a limit, memory was refused, a stage failed,
   * or the connection closed or failed first. The handler has released every buffer of the request
   * that it held and answers with the error's status itself (if the connection is still open);
   * parts already handed to {@link #onPart} still belong to the listener. The default does nothing.
   *
   * @param upload the request
   * @param cause an {@link io.axon.buffer.AxonBufferException} for the faults of the body and of
   *     memory, the stage's exception, or the connection's
   */
  default void onFailure(Upload upload, Throwable cause) {}
}
