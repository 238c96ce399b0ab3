package io.axon.buffer.cli.stream;

import io.axon.buffer.AxonBufferException;
import io.axon.buffer.BufferAllocator;
import io.axon.buffer.BufferKind;
import io.axon.buffer.ZeroCopyBuffer;
import io.axon.buffer.core.Buffers;
import io.axon.buffer.ingest.WebSocketFrame;
import io.axon.buffer.ingest.WebSocketMessageAccumulator;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.core.CloseStatus;
import org.eclipse.jetty.websocket.core.CoreSession;
import org.eclipse.jetty.websocket.core.Frame;
import org.eclipse.jetty.websocket.core.FrameHandler;
import org.eclipse.jetty.websocket.core.OpCode;

/**
 * One call on {@code GET /stream}: Jetty's WebSocket frames in, converted audio out to the sinks
 * (echo, WAV file), everything billed to the call's tenant and released when the call ends.
 *
 * <h2>The path of a frame</h2>
 *
 * <ul>
 *   <li><b>Binary call</b> (its first message is binary): each frame's payload, which Jetty holds
 *       in its network buffer until the frame's callback completes, is adopted as a view ({@link
 *       BufferAllocator#adopt}: no copy, billed to the tenant as borrowed bytes, the callback
 *       completed by the view's last close) and fed to a {@link WebSocketMessageAccumulator}: a
 *       one-frame message is delivered as that view, a fragmented one is copied once into pooled
 *       memory as its fragments come (its memory follows the bytes received; the limit is checked
 *       before each copy).
 *   <li><b>JSON call</b> (its first message is text): each text frame's bytes go straight to the
 *       call's {@link MediaStreamParser} (no message assembly), whose {@code media} payloads are
 *       decoded from base64 into pooled memory.
 *   <li>Each message of audio: {@link RealTimeGuard} (refuses a sender too far ahead of real time),
 *       {@link CallConverter} (μ-law → pcm16 → resampled, filter state kept), then the sinks:
 *       {@link WavSink#write} from the pooled memory, and the echo: the output's memory handed to
 *       Jetty as a binary frame, closed when written. The input is closed when converted (which,
 *       for an adopted frame, gives Jetty its buffer back).
 *   <li>Demand: the next frame is asked for once the current one is done, unless more than {@code
 *       maxPendingOutputBytes} of echo wait to be written (a client that does not read): then
 *       reading pauses until the writes drain, so a slow reader holds a bounded amount of memory.
 * </ul>
 *
 * <h2>Ends</h2>
 *
 * A {@code stop} event or a close frame completes the call: the resampler's last milliseconds go to
 * the sinks, the WAV's header gets its sizes, and the call is closed (1000). A fault closes it with
 * the {@link StreamFault}'s code and reason. A disconnect (no close frame) just ends it. Every path
 * releases what the call holds: the partial message, a payload, the JSON parser's buffers; echo
 * frames still queued are released by Jetty failing their callbacks.
 *
 * <p>Threading: Jetty calls {@link #onFrame} one frame at a time; {@link #onOpen}, {@link #onFrame}
 * and {@link #onClosed} are serialized on this object (uncontended); echo completions come on
 * Jetty's threads and touch only atomics and the view they own.
 */
final class StreamCall
    implements FrameHandler,
        StreamCalls.Call,
        WebSocketMessageAccumulator.Listener,
        MediaStreamParser.Events {

  private static final System.Logger LOG = System.getLogger(StreamCall.class.getName());
  private static final BufferKind MULAW8 = BufferKind.of("mulaw8");

  private enum Mode {
    UNKNOWN,
    BINARY,
    JSON
  }

  private enum State {
    NEW,
    OPEN,
    ENDED
  }

  private final StreamEndpoint endpoint;
  private final StreamCalls calls;
  private final String id;
  private final String tenant;
  private final boolean toRateGiven;
  private final StreamCallException refused;
  private final BufferAllocator allocator;
  private final long maxPending;

  private StreamFormat format;
  private CoreSession session;
  private volatile State state = State.NEW;
  private Mode mode = Mode.UNKNOWN;
  private boolean opened;

  /** The type of the message whose fragments are arriving (for continuation frames). */
  private boolean inText;

  private long textMessageBytes;
  private WebSocketMessageAccumulator accumulator;
  private MediaStreamParser json;
  private CallConverter converter;

  /** The converter for the query's format, made while negotiating (a binary call's). */
  private CallConverter prepared;

  private boolean audioStarted;
  private RealTimeGuard guard;
  private WavSink wav;
  private long frameArrival;

  private volatile long partialBytes;
  private final AtomicLong pendingOutput = new AtomicLong();
  private final AtomicBoolean demandDeferred = new AtomicBoolean();

  StreamCall(
      StreamEndpoint endpoint,
      String id,
      String tenant,
      StreamFormat format,
      boolean toRateGiven,
      CallConverter prepared,
      StreamCallException refused) {
    this.endpoint = endpoint;
    this.calls = endpoint.calls();
    this.id = id;
    this.tenant = tenant;
    this.format = format;
    this.toRateGiven = toRateGiven;
    this.refused = refused;
    this.prepared = prepared;
    this.allocator = endpoint.pool().forTenant(tenant);
    this.maxPending = endpoint.options().maxPendingOutputBytes();
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public String tenant() {
    return tenant;
  }

  @Override
  public long liveBytes() {
    return partialBytes + pendingOutput.get();
  }

  // ------------------------------------------------------------------ Jetty's events

  @Override
  public void onOpen(CoreSession coreSession, Callback callback) {
    callback.succeeded();
    synchronized (this) {
      this.session = coreSession;
      try {
        if (refused != null) {
          throw refused;
        }
        if (!calls.open(this)) {
          throw new StreamCallException(
              StreamFault.TOO_MANY_CALLS,
              "tenant \""
                  + tenant
                  + "\" already has "
                  + calls.maxPerTenant()
                  + " calls open (--stream-max-calls)");
        }
        opened = true;
        state = State.OPEN;
      } catch (StreamCallException e) {
        fail(e);
      }
    }
    coreSession.demand(); // also after a refusal: Jetty then reads the client's close reply
  }

  @Override
  public void onFrame(Frame frame, Callback callback) {
    long arrival = System.nanoTime();
    synchronized (this) {
      if (state != State.OPEN) {
        callback.succeeded(); // the call has ended: what still comes is read and dropped
        session.demand();
        return;
      }
      frameArrival = arrival;
      try {
        byte op = frame.getOpCode();
        if (op == OpCode.CLOSE) {
          complete();
          callback.succeeded(); // Jetty answers the close frame now
          return;
        } else if (op == OpCode.PING || op == OpCode.PONG) {
          callback.succeeded(); // Jetty answers a ping
        } else {
          data(frame, callback);
        }
      } catch (StreamCallException e) {
        fail(e);
      } catch (AxonBufferException e) {
        fail(StreamCallException.of(e));
      } catch (RuntimeException e) {
        LOG.log(System.Logger.Level.WARNING, "call " + id + " failed", e);
        fail(new StreamCallException(StreamFault.SERVER_ERROR, e.toString()));
      }
    }
    demand();
  }

  @Override
  public void onError(Throwable cause, Callback callback) {
    LOG.log(System.Logger.Level.DEBUG, () -> "call " + id + ": " + cause);
    callback.succeeded();
  }

  @Override
  public void onClosed(CloseStatus closeStatus, Callback callback) {
    synchronized (this) {
      if (state == State.OPEN) {
        calls.disconnected(); // no close frame, no stop: the peer went away or timed out
      }
      state = State.ENDED;
      release();
      if (opened) {
        opened = false;
        calls.close(this);
      }
    }
    callback.succeeded();
  }

  // ------------------------------------------------------------------ frames

  /** A data frame; completes {@code callback} exactly once. */
  private void data(Frame frame, Callback callback) {
    byte op = frame.getOpCode();
    boolean text = op == OpCode.TEXT || (op == OpCode.CONTINUATION && inText);
    if (op != OpCode.CONTINUATION) {
      inText = text;
      try {
        choose(text);
      } catch (RuntimeException e) {
        callback.succeeded(); // the frame is dropped with the call
        throw e;
      }
    }
    if (text) {
      text(frame, callback);
    } else {
      binary(frame, callback);
    }
  }

  private void choose(boolean text) {
    if (mode == Mode.UNKNOWN) {
      mode = text ? Mode.JSON : Mode.BINARY;
      if (text) {
        json = new MediaStreamParser(endpoint.json(), allocator, MULAW8);
      } else {
        accumulator =
            new WebSocketMessageAccumulator(
                allocator, endpoint.options().maxMessageBytes(), format.kind(), this);
        startAudio(prepared);
      }
    } else if (text != (mode == Mode.JSON)) {
      throw new StreamCallException(
          StreamFault.WRONG_MESSAGE_TYPE,
          text
              ? "a text message on a call that sends binary audio"
              : "a binary message on a JSON (media stream) call");
    }
  }

  private void binary(Frame frame, Callback callback) {
    ByteBuffer payload = frame.getPayload();
    ZeroCopyBuffer view;
    if (payload == null || !payload.hasRemaining()) {
      callback.succeeded();
      view = Buffers.empty(format.kind());
    } else {
      try {
        view = allocator.adopt(format.kind(), List.of(payload), callback::succeeded);
      } catch (RuntimeException e) {
        callback.succeeded(); // adopt refused: the buffer is still Jetty's
        throw e;
      }
    }
    int rsv = (frame.isRsv1() ? 4 : 0) | (frame.isRsv2() ? 2 : 0) | (frame.isRsv3() ? 1 : 0);
    WebSocketFrame f;
    try {
      f = new WebSocketFrame(frame.isFin(), rsv, frame.getOpCode(), view);
    } catch (RuntimeException e) {
      view.close();
      throw e;
    }
    try {
      accumulator.accept(f); // owns f from here; onMessage runs for a complete message
    } finally {
      partialBytes = accumulator.bufferedBytes();
    }
  }

  private void text(Frame frame, Callback callback) {
    try {
      ByteBuffer payload = frame.getPayload();
      int n = payload == null ? 0 : payload.remaining();
      textMessageBytes += n;
      long max = endpoint.options().maxMessageBytes();
      if (textMessageBytes > max) {
        throw new StreamCallException(
            StreamFault.MESSAGE_TOO_BIG,
            "a text message of "
                + textMessageBytes
                + " bytes so far, over the limit of "
                + max
                + " (--stream-max-message)");
      }
      if (n > 0) {
        json.feed(payload);
      }
    } finally {
      callback.succeeded(); // the parser keeps what it needs of a partial token
    }
    if (frame.isFin()) {
      textMessageBytes = 0;
      json.endMessage(this);
    }
  }

  // ------------------------------------------------------------------ audio

  /** A complete binary message (the accumulator's listener). */
  @Override
  public void onMessage(ZeroCopyBuffer message) {
    audio(message);
  }

  @Override
  public void start(String encoding, int sampleRate, int channels) {
    if (audioStarted) {
      throw new StreamCallException(StreamFault.MALFORMED_JSON, "a second start event");
    }
    if (encoding == null || !encoding.toLowerCase(Locale.ROOT).equals("audio/x-mulaw")) {
      throw new StreamCallException(
          StreamFault.UNSUPPORTED_FORMAT,
          "start.mediaFormat.encoding "
              + (encoding == null ? "is missing" : "\"" + encoding + "\"")
              + " (audio/x-mulaw is streamed)");
    }
    int ch = channels == -1 ? 1 : channels;
    if (sampleRate == -1) {
      throw new StreamCallException(
          StreamFault.MALFORMED_JSON, "start.mediaFormat.sampleRate is missing");
    }
    format = format.withInput(MULAW8, sampleRate, ch, toRateGiven);
    startAudio(new CallConverter(format, endpoint.transcoders()));
  }

  @Override
  public void media(ZeroCopyBuffer payload) {
    if (!audioStarted) {
      payload.close();
      throw new StreamCallException(
          StreamFault.MEDIA_BEFORE_START, "a media event before the start event");
    }
    audio(payload);
  }

  @Override
  public void mark() {
    // A mark names a point in the sender's audio; this endpoint has nothing to play back to it.
  }

  @Override
  public void stop() {
    if (complete()) {
      session.close(CloseStatus.NORMAL, "stop", Callback.NOOP);
    }
  }

  @Override
  public void other() {
    // connected, dtmf, and events added to the protocol later: nothing to do.
  }

  /** The converter, the pace guard and the WAV file, once the input's format is known. */
  private void startAudio(CallConverter c) {
    audioStarted = true;
    converter = c;
    prepared = null;
    guard =
        new RealTimeGuard(
            format.inputBytesPerSecond(),
            endpoint.options().speedFactor(),
            endpoint.options().burst().toNanos());
    if (endpoint.options().store() != null) {
      try {
        wav = WavSink.create(endpoint.options().store(), id, format);
      } catch (IOException e) {
        throw new StreamCallException(
            StreamFault.SERVER_ERROR, "cannot create the call's WAV file: " + e.getMessage());
      }
    }
  }

  /** Converts one message of input (owned) and hands the output to the sinks. */
  private void audio(ZeroCopyBuffer input) {
    try (input) {
      guard.admit(input.length(), frameArrival);
      deliver(converter.convert(input, allocator));
    }
    calls.latency().record(System.nanoTime() - frameArrival);
  }

  /** Hands {@code out} (owned) to the sinks. */
  private void deliver(ZeroCopyBuffer out) {
    try (out) {
      if (out.isEmpty()) {
        return;
      }
      if (wav != null) {
        try {
          wav.write(out);
        } catch (IOException e) {
          throw new StreamCallException(
              StreamFault.SERVER_ERROR, "writing the call's WAV file: " + e.getMessage());
        }
      }
      if (format.echo()) {
        echo(out.share());
      }
    }
  }

  private void echo(ZeroCopyBuffer view) {
    int n = view.length();
    pendingOutput.addAndGet(n);
    Callback written =
        new Callback() {
          @Override
          public void succeeded() {
            done();
          }

          @Override
          public void failed(Throwable x) {
            done();
          }

          private void done() {
            view.close();
            long left = pendingOutput.addAndGet(-n);
            if (left <= maxPending
                && state == State.OPEN
                && demandDeferred.compareAndSet(true, false)) {
              session.demand();
            }
          }
        };
    try {
      session.sendFrame(new Frame(OpCode.BINARY, view.asReadOnlyByteBuffer()), written, false);
    } catch (RuntimeException e) {
      written.failed(e);
      throw e;
    }
  }

  /**
   * Asks for the next frame, or defers it while too much echo waits to be written. After the call
   * ended, frames are still asked for (and dropped) until Jetty has the client's close reply.
   */
  private void demand() {
    if (state != State.OPEN || pendingOutput.get() <= maxPending) {
      session.demand();
      return;
    }
    demandDeferred.set(true);
    if (pendingOutput.get() <= maxPending && demandDeferred.compareAndSet(true, false)) {
      session.demand();
    }
  }

  // ------------------------------------------------------------------ ends

  /**
   * A stop event or a close frame: the last of the audio to the sinks, the file finished.
   *
   * @return false if that failed (the call is then closed with the fault)
   */
  private boolean complete() {
    state = State.ENDED;
    try {
      if (converter != null) {
        deliver(converter.finish(allocator));
      }
      finishWav();
      calls.completed();
      return true;
    } catch (StreamCallException e) {
      fail(e);
    } catch (AxonBufferException e) {
      fail(StreamCallException.of(e));
    }
    return false;
  }

  /** Closes the call for {@code e}, releasing what it holds. */
  private void fail(StreamCallException e) {
    state = State.ENDED;
    calls.ended(e.fault());
    LOG.log(
        System.Logger.Level.DEBUG, () -> "call " + id + " of " + tenant + ": " + e.getMessage());
    release();
    if (session != null) {
      session.close(e.closeCode(), e.reason(), Callback.NOOP);
    }
  }

  private void finishWav() {
    if (wav != null) {
      try {
        wav.finish(format);
      } catch (IOException e) {
        throw new StreamCallException(
            StreamFault.SERVER_ERROR, "finishing the call's WAV file: " + e.getMessage());
      }
    }
  }

  /** Releases every buffer and file the call holds. Idempotent. */
  private void release() {
    if (accumulator != null) {
      accumulator.close();
      partialBytes = 0;
    }
    if (json != null) {
      json.close();
      json = null;
    }
    try {
      finishWav();
    } catch (StreamCallException e) {
      LOG.log(System.Logger.Level.WARNING, "call " + id + ": " + e.getMessage());
    }
  }

  @Override
  public String toString() {
    return "StreamCall{" + id + ", " + tenant + ", " + format + "}";
  }
}
