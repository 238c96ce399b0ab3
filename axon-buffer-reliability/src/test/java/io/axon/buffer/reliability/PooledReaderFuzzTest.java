package io.axon.buffer.reliability;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.axon.buffer.PoolClass;
import io.axon.buffer.SizeLimitExceededException;
import io.axon.buffer.ZeroCopyBuffer;
import io.axon.buffer.ingest.PooledReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;

/**
 * Fuzzes {@link PooledReader}: content of any length read in pieces of any size, with any limit,
 * any size hint (an untrusted Content-Length: negative, 0, exact, short, long, or absurd), from a
 * channel or a stream that may fail in the middle.
 *
 * <p>Properties: content within the limit comes back byte for byte; content over it is a {@link
 * SizeLimitExceededException} naming the limit; a failing channel's own {@link IOException} comes
 * out unchanged; nothing else is thrown; every pooled byte goes back (live bytes 0 once the result
 * is closed, and at once on failure); no allocation is larger than the class above the limit,
 * whatever the size hint says.
 */
class PooledReaderFuzzTest {

  @FuzzTest(maxDuration = "4m")
  void read(FuzzedDataProvider data) throws IOException {
    int maxBytes = data.consumeInt(0, 300_000);
    long sizeHint =
        data.pickValue(
            new long[] {
              -1,
              0,
              1,
              maxBytes,
              maxBytes + 1L,
              Integer.MAX_VALUE,
              Long.MAX_VALUE,
              data.consumeLong(0, 1L << 40)
            });
    long failAfter = data.consumeBoolean() ? data.consumeInt(0, 200_000) : -1;
    boolean stream = data.consumeBoolean();
    int seed = data.consumeInt();
    int length = data.consumeInt(0, 200_000);
    byte[] content = new byte[length];
    new java.util.Random(seed).nextBytes(content);
    java.util.Random sizes = new java.util.Random(~seed);
    ScriptedChannel channel =
        new ScriptedChannel(
            content,
            () -> sizes.nextBoolean() ? 1 + sizes.nextInt(16) : 1 + sizes.nextInt(70_000),
            failAfter);
    RecordingAllocator allocator = FuzzPools.allocator();
    try {
      ZeroCopyBuffer result;
      if (stream) {
        InputStream in = Channels.newInputStream(channel);
        result = PooledReader.read(in, allocator, maxBytes);
      } else {
        result = PooledReader.read(channel, allocator, maxBytes, sizeHint < 0 ? -1 : sizeHint);
      }
      try (result) {
        assertTrue(length <= maxBytes, length + " bytes read under a limit of " + maxBytes);
        assertTrue(failAfter < 0 || failAfter >= length, "the channel failed but read returned");
        assertArrayEquals(content, result.toByteArray());
      }
    } catch (SizeLimitExceededException e) {
      assertTrue(length > maxBytes, "limit error for " + length + " <= " + maxBytes);
      assertEquals(maxBytes, e.limitBytes());
      assertTrue(
          e.actualBytes() > maxBytes && e.actualBytes() <= length,
          "actual bytes " + e.actualBytes() + " for " + length + " bytes over " + maxBytes);
    } catch (ScriptedChannel.InjectedFailure e) {
      assertSame(channel.thrown(), e, "the channel's own exception");
    }
    FuzzPools.assertNothingLive("reading " + length + " bytes (limit " + maxBytes + ")");
    long bound = PoolClass.forCapacity(maxBytes + 1).next().slabBytes();
    allocator.assertLargestAtMost(
        Math.max(bound, PoolClass.MEDIUM.slabBytes()),
        "limit " + maxBytes + ", size hint " + sizeHint);
  }
}
