package io.axon.buffer.spring;

import io.axon.buffer.AxonBufferException;
import java.util.Objects;
import org.springframework.http.HttpStatusCode;
import org.springframework.web.server.ResponseStatusException;

/**
 * An upload the library refused, as WebFlux's {@link ResponseStatusException}: its status is the
 * {@link AxonBufferException#httpStatus()} of the fault (400 a malformed body, 413 a limit, 415 not
 * {@code multipart/form-data}, 429 a tenant over its hard limit or not admitted, 503 no memory),
 * its reason the fault's message, and its cause the typed fault itself ({@link #fault()}).
 * WebFlux's error handling (and Spring Boot's) answers with that status without any configuration;
 * an {@code @ExceptionHandler} can match this type and read {@link #fault()}.
 */
public final class UploadRejectedException extends ResponseStatusException {

  private static final long serialVersionUID = 1L;

  /**
   * Wraps {@code fault}.
   *
   * @param fault what went wrong
   */
  public UploadRejectedException(AxonBufferException fault) {
    super(
        HttpStatusCode.valueOf(Objects.requireNonNull(fault, "fault").httpStatus()),
        fault.getMessage(),
        fault);
  }

  /**
   * The typed fault ({@link io.axon.buffer.ingest.MultipartException}, {@link
   * io.axon.buffer.TenantLimitExceededException}, {@link
   * io.axon.buffer.SizeLimitExceededException}, ...).
   *
   * @return the fault this exception wraps
   */
  public AxonBufferException fault() {
    return (AxonBufferException) getCause();
  }
}
