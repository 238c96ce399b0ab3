package io.axon.buffer.spring;

import io.axon.buffer.ZeroCopyBuffer;
import io.axon.buffer.ingest.PartInfo;
import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import org.springframework.http.codec.multipart.FormFieldPart;

/**
 * A plain form value (no file name; no Content-Type, or {@code text/plain}): a {@link
 * FormFieldPart} over pooled memory (see {@link PooledPart}).
 *
 * <p>{@link #value()} decodes the content with the charset of the part's Content-Type, else UTF-8
 * (RFC 7578 §4.4, as WebFlux's own reader does), once, when first asked: a string copy of the
 * bytes, which a form value needs.
 */
public final class PooledFormFieldPart extends PooledPart implements FormFieldPart {

  private volatile String value;

  PooledFormFieldPart(PartInfo info, ZeroCopyBuffer buffer) {
    super(info, buffer);
  }

  /**
   * The value, decoded (see the class comment).
   *
   * @return the value
   * @throws io.axon.buffer.ClosedBufferException if the part was released before the value was
   *     first read
   */
  @Override
  public String value() {
    String v = value;
    if (v == null) {
      v = new String(buffer().toByteArray(), charset());
      value = v;
    }
    return v;
  }

  private Charset charset() {
    String name = info().mediaType().flatMap(m -> m.parameter("charset")).orElse(null);
    if (name == null) {
      return StandardCharsets.UTF_8;
    }
    try {
      return Charset.forName(name);
    } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
      return StandardCharsets.UTF_8;
    }
  }

  /** Whether a part is a plain form value: no file name, no Content-Type or {@code text/plain}. */
  static boolean isFormField(PartInfo info) {
    if (info.isFile()) {
      return false;
    }
    if (info.contentType().isEmpty()) {
      return true;
    }
    return info.mediaType().map(m -> m.essence().equals("text/plain")).orElse(false);
  }
}
