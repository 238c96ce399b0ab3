package io.axon.buffer.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.axon.buffer.BufferKind;
import io.axon.buffer.BufferKindRegistry;
import io.axon.buffer.BufferMut;
import io.axon.buffer.ClosedBufferException;
import io.axon.buffer.Detection;
import io.axon.buffer.KindDescriptor;
import io.axon.buffer.KindSniffer;
import io.axon.buffer.ZeroCopyBuffer;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CompositeTest {

  private static final BufferKind WAV = BufferKind.of("wav");

  private final SlabBufferPool pool = SlabBufferPool.builder().name("composite-test").build();

  @AfterEach
  void poolIsEmpty() {
    assertEquals(0, pool.snapshot().liveBytes(), "live bytes after the test");
    pool.close();
  }

  private ZeroCopyBuffer pooled(byte[] b, String tenant) {
    try (BufferMut m = tenant == null ? pool.acquire(b.length) : pool.acquire(b.length, tenant)) {
      return m.append(b).freeze();
    }
  }

  private static byte[] seq(int from, int n) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      b[i] = (byte) (from + i);
    }
    return b;
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  @Test
  void theCompositeTakesItsOwnReferenceSoPartsMayCloseRightAway() {
    ZeroCopyBuffer a = pooled(seq(0, 10), null);
    ZeroCopyBuffer b = pooled(seq(10, 10), null);
    ZeroCopyBuffer c = Buffers.composite(BufferKind.raw(), List.of(a, b));
    a.close();
    b.close();
    assertEquals(2 * 4096, pool.snapshot().liveBytes(), "the composite keeps both alive");
    assertArrayEquals(seq(0, 20), c.toByteArray());
    ZeroCopyBuffer share = c.share();
    c.close();
    assertEquals(2 * 4096, pool.snapshot().liveBytes());
    assertEquals(19, share.get(19));
    share.close();
    assertEquals(0, pool.snapshot().liveBytes(), "parts released with the last composite view");
  }

  @Test
  void noConcatenationCopy() {
    byte[] h = seq(0, 4);
    byte[] p = seq(4, 4);
    try (ZeroCopyBuffer c =
        Buffers.composite(BufferKind.raw(), List.of(Buffers.wrap(h), Buffers.wrap(p)))) {
      List<ByteBuffer> pieces = c.asReadOnlyByteBuffers();
      assertEquals(2, pieces.size());
      assertTrue(pieces.get(0).isReadOnly());
      h[0] = 42; // the wrapped array is the memory
      assertEquals(42, c.get(0));
      assertEquals(42, pieces.get(0).get(0));
    }
  }

  @Test
  void slicesInsideOnePartArePlainViewsAndSpanningSlicesStayComposite() {
    byte[] a = seq(0, 100);
    byte[] b = seq(100, 100);
    try (ZeroCopyBuffer pa = pooled(a, "t");
        ZeroCopyBuffer pb = pooled(b, "t");
        ZeroCopyBuffer c = Buffers.composite(WAV, List.of(pa, pb))) {
      assertEquals(Optional.of("t"), c.tenant(), "parts share their tenant");
      try (ZeroCopyBuffer inside = c.slice(110, 150)) {
        assertInstanceOf(View.class, inside);
        assertEquals(WAV, inside.kind());
        assertArrayEquals(Arrays.copyOfRange(b, 10, 50), inside.toByteArray());
        assertEquals(Optional.of("t"), inside.tenant());
      }
      try (ZeroCopyBuffer spanning = c.slice(90, 120)) {
        assertInstanceOf(CompositeView.class, spanning);
        assertArrayEquals(
            concat(Arrays.copyOfRange(a, 90, 100), Arrays.copyOfRange(b, 0, 20)),
            spanning.toByteArray());
        assertEquals(2, spanning.asReadOnlyByteBuffers().size());
        ByteBuffer joined = spanning.asReadOnlyByteBuffer();
        assertTrue(joined.isReadOnly());
        assertEquals(30, joined.remaining());
        assertEquals(2, c.sharers());
        try (ZeroCopyBuffer inner = spanning.slice(5, 15)) {
          assertArrayEquals(
              concat(Arrays.copyOfRange(a, 95, 100), Arrays.copyOfRange(b, 0, 5)),
              inner.toByteArray());
        }
      }
      IndexOutOfBoundsException e =
          assertThrows(IndexOutOfBoundsException.class, () -> c.slice(150, 201));
      assertTrue(e.getMessage().contains("201") && e.getMessage().contains("200"), e.getMessage());
    }
  }

  @Test
  void aCompositeOfTenantsThatDifferReportsNoneAndSoDoesEveryViewDerivedFromIt() {
    try (ZeroCopyBuffer acme = pooled(seq(0, 100), "acme");
        ZeroCopyBuffer globex = pooled(seq(100, 100), "globex");
        ZeroCopyBuffer header = Buffers.wrap(seq(0, 10));
        ZeroCopyBuffer mixed = Buffers.composite(WAV, List.of(acme, globex));
        ZeroCopyBuffer wav = Buffers.composite(WAV, List.of(header, acme))) {
      assertEquals(Optional.empty(), mixed.tenant());
      assertEquals(Optional.empty(), wav.tenant(), "an untenanted header and acme's payload");
      for (ZeroCopyBuffer c : List.of(mixed, wav)) {
        try (ZeroCopyBuffer insideLast = c.slice(c.length() - 50, c.length() - 10);
            ZeroCopyBuffer insideFirst = c.slice(1, 5);
            ZeroCopyBuffer spanning = c.slice(5, c.length() - 5);
            ZeroCopyBuffer ofTheSlice = insideLast.slice(1, 3);
            ZeroCopyBuffer shared = insideLast.share();
            ZeroCopyBuffer retagged = insideLast.retag(BufferKind.raw());
            ZeroCopyBuffer compacted = insideLast.compact()) {
          for (ZeroCopyBuffer derived :
              List.of(insideLast, insideFirst, spanning, ofTheSlice, shared, retagged, compacted)) {
            assertEquals(Optional.empty(), derived.tenant(), derived + " of " + c);
          }
          assertArrayEquals(
              Arrays.copyOfRange(c.toByteArray(), c.length() - 50, c.length() - 10),
              insideLast.toByteArray());
          assertEquals(c.get(c.length() - 49), ofTheSlice.get(0));
        }
      }
      assertEquals(Optional.of("acme"), acme.tenant(), "the parts keep their own tenant");
    }
    assertEquals(0, pool.snapshot().liveBytes("acme"));
  }

  @Test
  void compositesOfCompositesEmptyPartsAndSinglePart() {
    try (ZeroCopyBuffer x =
            Buffers.composite(
                BufferKind.raw(),
                List.of(
                    Buffers.wrap(seq(0, 2)),
                    Buffers.empty(BufferKind.raw()),
                    Buffers.wrap(seq(2, 2))));
        ZeroCopyBuffer y =
            Buffers.composite(BufferKind.raw(), List.of(x, Buffers.wrap(seq(4, 3))));
        ZeroCopyBuffer single =
            Buffers.composite(
                WAV, List.of(Buffers.empty(BufferKind.raw()), Buffers.wrap(seq(9, 3))));
        ZeroCopyBuffer none = Buffers.composite(WAV, List.of())) {
      assertArrayEquals(seq(0, 7), y.toByteArray());
      assertEquals(2, x.asReadOnlyByteBuffers().size(), "the empty part was skipped");
      assertInstanceOf(View.class, single);
      assertEquals(WAV, single.kind());
      assertArrayEquals(seq(9, 3), single.toByteArray());
      assertEquals(0, none.length());
      assertEquals(WAV, none.kind());
    }
  }

  @Test
  void aClosedPartIsRefusedAndNothingIsKept() {
    ZeroCopyBuffer open = pooled(seq(0, 10), null);
    ZeroCopyBuffer closed = pooled(seq(0, 10), null);
    closed.close();
    assertThrows(
        ClosedBufferException.class,
        () -> Buffers.composite(BufferKind.raw(), List.of(open, closed)));
    assertEquals(1, open.sharers(), "the share taken of the first part was closed again");
    open.close();
  }

  @Test
  void compactCopiesACompositeIntoOnePooledBuffer() {
    try (ZeroCopyBuffer pa = pooled(seq(0, 10), "t");
        ZeroCopyBuffer pb = pooled(seq(10, 10), "t");
        ZeroCopyBuffer c = Buffers.composite(WAV, List.of(pa, pb));
        ZeroCopyBuffer compact = c.compact()) {
      assertInstanceOf(View.class, compact);
      assertArrayEquals(seq(0, 20), compact.toByteArray());
      assertEquals(WAV, compact.kind());
      assertEquals(Optional.of("t"), compact.tenant());
      assertFalse(c.isClosed());
    }
  }

  @Test
  void registryDetectsARealViewAndACompositeWhoseHeadSpansParts() {
    BufferKindRegistry registry = BufferKindRegistry.empty();
    byte[] magic = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    KindSniffer png =
        head -> {
          if (head.remaining() < magic.length) {
            return 0;
          }
          for (int i = 0; i < magic.length; i++) {
            if (head.get(head.position() + i) != magic[i]) {
              return 0;
            }
          }
          return KindSniffer.CERTAIN;
        };
    registry.register(
        KindDescriptor.builder("png")
            .description("PNG image")
            .mediaTypes("image/png")
            .extensions("png")
            .sniffer(png)
            .build());
    byte[] file = concat(magic, seq(0, 20_000));
    try (ZeroCopyBuffer real = pooled(file, null)) {
      Detection d = registry.detect(real);
      assertEquals(BufferKind.of("png"), d.kind());
      assertEquals(KindSniffer.CERTAIN, d.score());
      assertEquals(1, real.sharers(), "detection closed its head slice");
    }
    try (ZeroCopyBuffer first = pooled(Arrays.copyOfRange(file, 0, 3), null);
        ZeroCopyBuffer second = pooled(Arrays.copyOfRange(file, 3, 5), null);
        ZeroCopyBuffer rest = Buffers.wrap(Arrays.copyOfRange(file, 5, file.length));
        ZeroCopyBuffer c = Buffers.composite(BufferKind.raw(), List.of(first, second, rest))) {
      Detection d = registry.detect(c);
      assertEquals(BufferKind.of("png"), d.kind(), "the signature spans three parts");
      assertEquals(1, c.sharers());
    }
    try (ZeroCopyBuffer notPng = pooled(seq(0, 100), null)) {
      assertEquals(BufferKind.raw(), registry.detect(notPng).kind());
    }
  }
}
