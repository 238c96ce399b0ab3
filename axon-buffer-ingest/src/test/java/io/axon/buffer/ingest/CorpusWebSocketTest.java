package io.axon.buffer.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.axon.buffer.BufferAllocator;
import io.axon.buffer.BufferMut;
import io.axon.buffer.ZeroCopyBuffer;
import io.axon.buffer.core.SlabBufferPool;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** Every captured JDK WebSocket session gives exactly its manifest's frames and messages. */
class CorpusWebSocketTest {

  private static SlabBufferPool pool;

  @BeforeAll
  static void pool() {
    pool = TestPools.newPool();
  }

  @AfterAll
  static void closePool() {
    TestPools.assertNoLiveBytes(pool, "the WebSocket corpus");
    pool.close();
  }

  /** Records messages and control frames (as sha256 + length), closing them. */
  static final class Messages implements WebSocketMessageAccumulator.Listener {
    final List<String> messages = new ArrayList<>();
    final List<String> controls = new ArrayList<>();

    @Override
    public void onMessage(ZeroCopyBuffer message) {
      try (message) {
        messages.add(message.length() + " " + message.sha256Hex());
      }
    }

    @Override
    public void onControlFrame(WebSocketFrame frame) {
      try (frame) {
        controls.add(
            WebSocketFrame.opcodeName(frame.opcode())
                + " "
                + frame.payload().length()
                + " "
                + frame.payload().sha256Hex());
      }
    }
  }

  private static List<String> expected(String session, String kind) {
    List<String> out = new ArrayList<>();
    for (Corpus.WsRow r : Corpus.websocketManifest()) {
      if (r.session().equals(session) && r.kind().equals(kind)) {
        out.add(r.len() + " " + r.sha256());
      }
    }
    return out;
  }

  private static List<String> expectedControls(String session) {
    List<String> out = new ArrayList<>();
    for (Corpus.WsRow r : Corpus.websocketManifest()) {
      if (r.session().equals(session) && r.kind().equals("frame") && r.opcode() >= 8) {
        out.add(WebSocketFrame.opcodeName(r.opcode()) + " " + r.len() + " " + r.sha256());
      }
    }
    return out;
  }

  private static List<String> expectedFrames(String session) {
    List<String> out = new ArrayList<>();
    for (Corpus.WsRow r : Corpus.websocketManifest()) {
      if (r.session().equals(session) && r.kind().equals("frame")) {
        out.add(r.fin() + " " + r.rsv() + " " + r.opcode() + " " + r.len() + " " + r.sha256());
      }
    }
    return out;
  }

  static ZeroCopyBuffer pooled(BufferAllocator allocator, byte[] bytes) {
    BufferMut mut = allocator.acquire(bytes.length);
    mut.append(bytes);
    return mut.freeze();
  }

  @TestFactory
  Stream<DynamicTest> everySessionGivesItsManifestMessages() {
    List<DynamicTest> tests = new ArrayList<>();
    List<String> sessions = Corpus.websocketSessions();
    assertEquals(3, sessions.size());
    for (String session : sessions) {
      tests.add(
          DynamicTest.dynamicTest(
              session + " frames.jsonl",
              () -> {
                Messages m = new Messages();
                WebSocketMessageAccumulator acc = new WebSocketMessageAccumulator(pool, 1 << 20, m);
                List<String> frames = new ArrayList<>();
                for (Corpus.Frame f : Corpus.frames(session)) {
                  ZeroCopyBuffer payload = pooled(pool, f.payload());
                  frames.add(
                      f.fin()
                          + " "
                          + f.rsv()
                          + " "
                          + f.opcode()
                          + " "
                          + payload.length()
                          + " "
                          + payload.sha256Hex());
                  acc.accept(new WebSocketFrame(f.fin(), f.rsv(), f.opcode(), payload));
                }
                assertEquals(expectedFrames(session), frames);
                assertEquals(expected(session, "message"), m.messages);
                assertEquals(expectedControls(session), m.controls);
                assertEquals(true, acc.isClosed(), "each session ends with a close frame");
                TestPools.assertNoLiveBytes(pool, session);
              }));
      byte[] wire = Corpus.resource("websocket/" + session + ".wire");
      tests.add(
          DynamicTest.dynamicTest(
              session + " wire, whole", () -> replay(session, wire, new int[0])));
      tests.add(
          DynamicTest.dynamicTest(
              session + " wire, byte by byte",
              () -> replay(session, wire, Bodies.everyByte(wire.length))));
      for (int seed = 1; seed <= 3; seed++) {
        int s = seed;
        tests.add(
            DynamicTest.dynamicTest(
                session + " wire, random chunks " + seed,
                () ->
                    replay(session, wire, Bodies.randomCuts(new Random(s), wire.length, s * 100))));
      }
    }
    return tests.stream();
  }

  private static void replay(String session, byte[] wire, int[] cuts) throws Exception {
    Messages m = new Messages();
    WebSocketMessageAccumulator acc = new WebSocketMessageAccumulator(pool, 1 << 20, m);
    WebSocketFrameDecoder decoder = WebSocketFrameDecoder.forServer(pool, 1 << 20);
    List<String> frames = new ArrayList<>();
    int from = 0;
    for (int i = 0; i <= cuts.length; i++) {
      int to = i < cuts.length ? cuts[i] : wire.length;
      ByteBuffer chunk = ByteBuffer.wrap(wire, from, to - from);
      decoder.feed(
          chunk,
          frame -> {
            frames.add(
                frame.fin()
                    + " "
                    + frame.rsv()
                    + " "
                    + frame.opcode()
                    + " "
                    + frame.payload().length()
                    + " "
                    + frame.payload().sha256Hex());
            acc.accept(frame);
          });
      assertEquals(0, chunk.remaining());
      from = to;
    }
    decoder.finish();
    assertEquals(expectedFrames(session), frames);
    assertEquals(expected(session, "message"), m.messages);
    assertEquals(expectedControls(session), m.controls);
    assertEquals(wire.length, decoder.bytesDecoded());
    TestPools.assertNoLiveBytes(pool, session + " wire");
  }
}
