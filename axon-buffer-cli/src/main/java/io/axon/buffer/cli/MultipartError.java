package io.axon.buffer.cli;

import io.axon.buffer.AxonBufferException;
import io.axon.buffer.BufferAllocationException;
import io.axon.buffer.TenantLimitExceededException;
import io.axon.buffer.TooManyTenantsException;
import io.axon.buffer.ingest.MultipartException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How {@code multipart} and {@code serve} report a failed parse: the JSON error's {@code error}
 * type, its extra fields and its message.
 *
 * <p>Scripts are written against these objects, so they keep the shape they had before the
 * library's exception policy made memory refusals pass through the parser as themselves: a body
 * fault is {@code "error": "MultipartException"} with its {@code fault} (and {@code limit}, {@code
 * limitValue}); a tenant's hard limit and the system's memory, met while parsing, are still
 * reported as that type with {@code fault} {@code TENANT_LIMIT_EXCEEDED} and {@code
 * ALLOCATION_FAILED}. A pool's tenant cap ({@link TooManyTenantsException}, which had no multipart
 * fault) is {@code "error": "TooManyTenants"}, as {@code serve} already answers its own cap.
 */
final class MultipartError {

  private final String type;
  private final Map<String, Object> details = new LinkedHashMap<>();
  private final String message;

  private MultipartError(String type, String message) {
    this.type = type;
    this.message = message;
  }

  static MultipartError of(AxonBufferException e) {
    if (e instanceof MultipartException) {
      MultipartException m = (MultipartException) e;
      MultipartError error = new MultipartError("MultipartException", e.getMessage());
      error.details.put("fault", m.fault().name());
      m.limit()
          .ifPresent(
              limit -> {
                error.details.put("limit", limit.name());
                error.details.put("limitValue", m.limitValue());
              });
      return error;
    }
    if (e instanceof TooManyTenantsException) {
      return new MultipartError("TooManyTenants", e.getMessage());
    }
    String fault =
        e instanceof TenantLimitExceededException
            ? "TENANT_LIMIT_EXCEEDED"
            : e instanceof BufferAllocationException ? "ALLOCATION_FAILED" : null;
    if (fault == null) {
      return new MultipartError(e.getClass().getSimpleName(), e.getMessage());
    }
    MultipartError error = new MultipartError("MultipartException", fault + ": " + e.getMessage());
    error.details.put("fault", fault);
    return error;
  }

  /** The {@code error} member: the name of the typed error behind it. */
  String type() {
    return type;
  }

  /** Fields after {@code error}: {@code fault}, and {@code limit} and {@code limitValue}. */
  Map<String, Object> details() {
    return details;
  }

  /** The message. */
  String message() {
    return message;
  }
}
