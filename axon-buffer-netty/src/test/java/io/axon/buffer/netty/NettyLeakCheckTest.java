package io.axon.buffer.netty;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.axon.buffer.core.Buffers;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The leak check of every test class sees what Netty reports: it can fail. */
class NettyLeakCheckTest {

  @Test
  void aNettyBufferDroppedWithoutReleaseIsReported() throws InterruptedException {
    leakNettyBuffer();
    List<String> leaks = NettyLeakCheck.drainLeaks(40);
    assertTrue(leaks.stream().anyMatch(l -> l.contains("LEAK:")), leaks.toString());
  }

  @Test
  void aViewByteBufDroppedWithoutReleaseIsReportedAsNettyReportsItsOwn()
      throws InterruptedException {
    leakViewByteBuf();
    List<String> leaks = NettyLeakCheck.drainLeaks(40);
    assertTrue(
        leaks.stream().anyMatch(l -> l.contains("LEAK:") && l.contains("ViewByteBuf")),
        leaks.toString());
  }

  private static void leakNettyBuffer() {
    ByteBuf leaked = UnpooledByteBufAllocator.DEFAULT.directBuffer(16);
    leaked.writeInt(42);
  }

  private static void leakViewByteBuf() {
    ByteBuf leaked = ByteBufViews.toByteBuf(Buffers.wrap(new byte[] {1, 2, 3}));
    leaked.touch("dropped on purpose by the test");
  }
}
