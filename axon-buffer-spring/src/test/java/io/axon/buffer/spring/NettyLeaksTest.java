package io.axon.buffer.spring;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link NettyLeaks} sees a leak: the check the other classes pass could fail. */
class NettyLeaksTest {

  @Test
  void aByteBufDroppedWithoutReleaseIsReported() throws InterruptedException {
    leak();
    List<String> leaks = NettyLeaks.drain(20);
    assertTrue(leaks.stream().anyMatch(l -> l.startsWith("LEAK:")), leaks.toString());
  }

  private static void leak() {
    ByteBuf dropped = PooledByteBufAllocator.DEFAULT.directBuffer(64);
    dropped.writeByte(1);
  }
}
