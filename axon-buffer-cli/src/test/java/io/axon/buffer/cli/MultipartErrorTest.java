package io.axon.buffer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.axon.buffer.BufferAllocationException;
import io.axon.buffer.TenantLimitExceededException;
import io.axon.buffer.TooManyTenantsException;
import io.axon.buffer.core.SlabBufferPool;
import io.axon.buffer.ingest.MultipartException;
import io.axon.buffer.ingest.MultipartFault;
import io.axon.buffer.ingest.MultipartOptions;
import io.axon.buffer.ingest.MultipartParser;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The JSON error of a failed parse keeps the shape scripts were written against. */
class MultipartErrorTest {

  @Test
  void aBodyFaultIsAMultipartExceptionWithItsFault() {
    MultipartError e =
        MultipartError.of(MultipartException.of(MultipartFault.INVALID_BOUNDARY, "boundary is x"));
    assertEquals("MultipartException", e.type());
    assertEquals(Map.of("fault", "INVALID_BOUNDARY"), e.details());
    assertEquals("INVALID_BOUNDARY: boundary is x", e.message());
  }

  @Test
  void memoryRefusedKeepsTheMultipartFaultsItAlwaysHad() {
    MultipartError tenant =
        MultipartError.of(new TenantLimitExceededException("acme", 100, 90, 4096));
    assertEquals("MultipartException", tenant.type());
    assertEquals(Map.of("fault", "TENANT_LIMIT_EXCEEDED"), tenant.details());
    assertEquals(
        "TENANT_LIMIT_EXCEEDED: "
            + new TenantLimitExceededException("acme", 100, 90, 4096).getMessage(),
        tenant.message());
    MultipartError system =
        MultipartError.of(new BufferAllocationException(4096, "no direct memory", null));
    assertEquals("MultipartException", system.type());
    assertEquals(Map.of("fault", "ALLOCATION_FAILED"), system.details());
  }

  @Test
  void aPoolsTenantCapIsTooManyTenantsAsServeAnswersItsOwn() {
    MultipartError e = MultipartError.of(new TooManyTenantsException("t9", 8));
    assertEquals("TooManyTenants", e.type());
    assertEquals(Map.of(), e.details());
  }

  @Test
  void aLimitNamesItsLimitAndValue() throws Exception {
    byte[] body =
        "--b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nxyz\r\n--b--"
            .getBytes(StandardCharsets.US_ASCII);
    try (SlabBufferPool pool = SlabBufferPool.builder().name("multipart-error").build()) {
      MultipartException limit =
          assertThrows(
              MultipartException.class,
              () ->
                  MultipartParser.parse(
                      new ByteArrayInputStream(body),
                      "b",
                      pool,
                      MultipartOptions.builder().maxPartBytes(2).build()));
      MultipartError e = MultipartError.of(limit);
      assertEquals("LIMIT_EXCEEDED", e.details().get("fault"));
      assertEquals("PART_BYTES", e.details().get("limit"));
      assertEquals(2L, e.details().get("limitValue"));
      assertEquals(0, pool.snapshot().liveBytes());
    }
  }
}
