package io.axon.buffer.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.netty.util.Version;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The module's tests run twice, against Netty 4.2 and 4.1 (two surefire executions): this test
 * proves each run has the Netty it claims, and only that one.
 */
class NettyVersionTest {

  @Test
  void everyNettyJarOnTheClassPathIsTheExpectedVersion() {
    String expected = System.getProperty("axon.buffer.netty.expectedVersion");
    assertNotNull(expected, "surefire sets axon.buffer.netty.expectedVersion");
    Map<String, String> found = new TreeMap<>();
    Version.identify().forEach((artifact, v) -> found.put(artifact, v.artifactVersion()));
    assertNotNull(found.get("netty-codec-http"), found.toString());
    for (Map.Entry<String, String> e : found.entrySet()) {
      assertEquals(expected, e.getValue(), e.getKey() + " in " + found);
    }
  }
}
