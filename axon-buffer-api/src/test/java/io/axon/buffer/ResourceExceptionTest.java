package io.axon.buffer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ResourceExceptionTest {

  @Test
  void tenantLimitRefusalIsAResourceFaultAnswered429And1008() {
    ResourceException e = new TenantLimitExceededException("acme", 1 << 20, 1_000_000, 65_536);
    assertEquals(429, e.httpStatus());
    assertEquals(1008, e.webSocketCloseCode());
    TenantLimitExceededException t = (TenantLimitExceededException) e;
    assertEquals("acme", t.tenant());
    assertEquals(1 << 20, t.hardLimitBytes());
    assertEquals(1_000_000, t.liveBytes());
    assertEquals(65_536, t.requestedBytes());
    assertTrue(e.getMessage().contains("\"acme\"") && e.getMessage().contains("1048576"));
  }

  @Test
  void tooManyTenantsNamesTheTenantAndTheCapAndIsAnswered429And1008() {
    AxonBufferException e = new TooManyTenantsException("tenant-9", 8);
    assertTrue(e instanceof ResourceException);
    assertEquals(429, e.httpStatus());
    assertEquals(1008, e.webSocketCloseCode());
    assertEquals("tenant-9", ((TooManyTenantsException) e).tenant());
    assertEquals(8, ((TooManyTenantsException) e).maxTenants());
    assertTrue(
        e.getMessage().contains("\"tenant-9\"") && e.getMessage().contains("maximum of 8"),
        e.getMessage());
  }

  @Test
  void allocationFailureIsTheServersFaultAnswered503And1011() {
    OutOfMemoryError cause = new OutOfMemoryError("Direct buffer memory");
    ResourceException e = new BufferAllocationException(4096, "could not allocate", cause);
    assertEquals(503, e.httpStatus());
    assertEquals(1011, e.webSocketCloseCode());
    assertEquals(4096, ((BufferAllocationException) e).requestedBytes());
    assertSame(cause, e.getCause());
  }
}
