package io.axon.buffer.cli.stream;

import io.axon.buffer.BufferAllocator;
import io.axon.buffer.BufferKind;
import io.axon.buffer.ZeroCopyBuffer;
import java.nio.ByteBuffer;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.async.ByteBufferFeeder;
import tools.jackson.core.json.JsonFactory;

/**
 * The JSON text protocol telephony platforms stream calls with (Twilio Media Streams): one event
 * object per text message, {@code connected}, {@code start} (with {@code
 * start.mediaFormat.encoding}, {@code sampleRate}, {@code channels}), {@code media} (a base64
 * {@code media.payload} of μ-law, 20 ms each), {@code mark}, {@code stop}; other events ({@code
 * dtmf}, ones added later) are passed on as {@link Events#other()}.
 *
 * <p>How it reads: jackson-core's non-blocking parser, fed each text frame's bytes as they arrive
 * (a message split into fragments anywhere, even inside a string or a UTF-8 sequence, needs no
 * assembly); property names are jackson's interned strings, the {@code event} value is compared in
 * the parser's own character buffer, and the payload is decoded from there straight into pooled
 * memory by {@link Base64Payload}: no {@code String} per message. The parser keeps a character
 * buffer as long as the longest string seen (at most the message limit) for the call's life.
 *
 * <p>Rules: a message holds exactly one JSON object (two objects, an array, a bare value, or a
 * message ending inside the object are {@link StreamFault#MALFORMED_JSON}); the object's {@code
 * event} is required; its keys may come in any order (a payload read before {@code event} is kept
 * until the object ends, then dropped unless the event is {@code media}). The event is handed on
 * when its message ends.
 *
 * <p>Not thread-safe: one per call, fed by the call's frames in order.
 */
final class MediaStreamParser implements AutoCloseable {

  /** What the events carry, in the order of the messages. */
  interface Events {
    /**
     * A {@code start} event.
     *
     * @param encoding {@code mediaFormat.encoding}, or null if absent
     * @param sampleRate {@code mediaFormat.sampleRate}, or -1
     * @param channels {@code mediaFormat.channels}, or -1
     */
    void start(String encoding, int sampleRate, int channels);

    /**
     * A {@code media} event's audio.
     *
     * @param payload the decoded payload, owned by the receiver
     */
    void media(ZeroCopyBuffer payload);

    /** A {@code mark} event. */
    void mark();

    /** A {@code stop} event. */
    void stop();

    /** {@code connected} and any other event. */
    void other();
  }

  private enum Event {
    CONNECTED,
    START,
    MEDIA,
    MARK,
    STOP,
    OTHER
  }

  private enum Section {
    NONE,
    START,
    MEDIA_FORMAT,
    MEDIA
  }

  private static final Event[] EVENTS = Event.values();

  private static final char[][] NAMES = {
    "connected".toCharArray(),
    "start".toCharArray(),
    "media".toCharArray(),
    "mark".toCharArray(),
    "stop".toCharArray()
  };

  private final JsonParser parser;
  private final ByteBufferFeeder feeder;
  private final BufferAllocator allocator;
  private final BufferKind payloadKind;
  private final Base64Payload base64 = new Base64Payload();

  // The message being read.
  private int depth;
  private boolean rootDone;
  private boolean rootSeen;
  private String name;
  private Section section = Section.NONE;
  private Event event;
  private ZeroCopyBuffer payload;
  private boolean mediaFormat;
  private String encoding;
  private int sampleRate;
  private int channels;

  /**
   * A parser for one call.
   *
   * @param factory the endpoint's factory ({@link #factory})
   * @param allocator where payloads are decoded to (the call's tenant)
   * @param payloadKind the kind payloads are tagged with ({@code mulaw8})
   */
  MediaStreamParser(JsonFactory factory, BufferAllocator allocator, BufferKind payloadKind) {
    this.parser = factory.createNonBlockingByteBufferParser(ObjectReadContext.empty());
    this.feeder = (ByteBufferFeeder) parser.nonBlockingInputFeeder();
    this.allocator = allocator;
    this.payloadKind = payloadKind;
    resetMessage();
  }

  /**
   * The factory the parsers of one endpoint share: strings up to the message limit, names up to 1
   * KiB, nesting to 16 levels.
   *
   * @param maxMessageBytes the largest message
   * @return a factory
   */
  static JsonFactory factory(long maxMessageBytes) {
    return JsonFactory.builder()
        .streamReadConstraints(
            StreamReadConstraints.builder()
                .maxStringLength((int) Math.min(Integer.MAX_VALUE, maxMessageBytes))
                .maxNameLength(1024)
                .maxNestingDepth(16)
                .maxNumberLength(64)
                .build())
        .build();
  }

  /**
   * Reads the next piece of the current message: every token now complete.
   *
   * @param bytes the piece (all of it is read; it is not kept)
   * @throws StreamCallException {@link StreamFault#MALFORMED_JSON} or {@link
   *     StreamFault#BAD_BASE64}
   */
  void feed(ByteBuffer bytes) {
    try {
      feeder.feedInput(bytes);
      JsonToken t;
      while ((t = parser.nextToken()) != JsonToken.NOT_AVAILABLE && t != null) {
        token(t);
      }
    } catch (JacksonException e) {
      throw malformed(e.getOriginalMessage());
    }
  }

  /**
   * Ends the current message and hands its event on.
   *
   * @param events the receiver
   * @throws StreamCallException {@link StreamFault#MALFORMED_JSON} if the message did not hold
   *     exactly one complete object with an {@code event}
   */
  void endMessage(Events events) {
    try {
      if (!rootDone) {
        throw malformed(
            rootSeen
                ? "the message ends inside its JSON object"
                : "the message holds no JSON object");
      }
      if (event == null) {
        throw malformed("an event object without \"event\"");
      }
      switch (event) {
        case START:
          if (!mediaFormat) {
            throw malformed("a start event without start.mediaFormat");
          }
          events.start(encoding, sampleRate, channels);
          break;
        case MEDIA:
          if (payload == null) {
            throw malformed("a media event without media.payload");
          }
          ZeroCopyBuffer p = payload;
          payload = null;
          events.media(p);
          break;
        case MARK:
          events.mark();
          break;
        case STOP:
          events.stop();
          break;
        default:
          events.other();
      }
    } finally {
      resetMessage();
    }
  }

  private void token(JsonToken t) {
    switch (t) {
      case START_OBJECT:
        if (depth == 0) {
          if (rootDone) {
            throw malformed("a second JSON value in one message");
          }
          rootSeen = true;
        } else if (depth == 1 && "start".equals(name)) {
          section = Section.START;
        } else if (depth == 1 && "media".equals(name)) {
          section = Section.MEDIA;
        } else if (depth == 2 && section == Section.START && "mediaFormat".equals(name)) {
          section = Section.MEDIA_FORMAT;
          mediaFormat = true;
        }
        depth++;
        break;
      case START_ARRAY:
        root("an array");
        depth++;
        break;
      case END_OBJECT:
      case END_ARRAY:
        depth--;
        if (depth == 0) {
          rootDone = true;
        } else if (depth == 1) {
          section = Section.NONE;
        } else if (depth == 2 && section == Section.MEDIA_FORMAT) {
          section = Section.START;
        }
        break;
      case PROPERTY_NAME:
        name = parser.currentName();
        break;
      case VALUE_STRING:
        root("a string");
        string();
        break;
      case VALUE_NUMBER_INT:
        root("a number");
        if (depth == 3 && section == Section.MEDIA_FORMAT) {
          number(parser.getIntValue());
        }
        break;
      default:
        root("a " + t.name().toLowerCase(java.util.Locale.ROOT).replace("value_", ""));
    }
  }

  private void root(String what) {
    if (depth == 0) {
      throw malformed("the message holds " + what + ", not an event object");
    }
  }

  private void string() {
    if (depth == 1 && "event".equals(name)) {
      event =
          eventOf(parser.getStringCharacters(), parser.getStringOffset(), parser.getStringLength());
    } else if (depth == 2 && section == Section.MEDIA && "payload".equals(name)) {
      if (payload != null) {
        throw malformed("media.payload twice in one event");
      }
      payload =
          base64.decode(
              parser.getStringCharacters(),
              parser.getStringOffset(),
              parser.getStringLength(),
              payloadKind,
              allocator);
    } else if (depth == 3 && section == Section.MEDIA_FORMAT) {
      if ("encoding".equals(name)) {
        encoding = parser.getString();
      } else if ("sampleRate".equals(name) || "channels".equals(name)) {
        String v = parser.getString();
        try {
          number(Integer.parseInt(v));
        } catch (NumberFormatException e) {
          throw malformed("start.mediaFormat." + name + " is not a whole number");
        }
      }
    }
  }

  private void number(int v) {
    if ("sampleRate".equals(name)) {
      sampleRate = v;
    } else if ("channels".equals(name)) {
      channels = v;
    }
  }

  private static Event eventOf(char[] c, int offset, int length) {
    outer:
    for (int e = 0; e < NAMES.length; e++) {
      char[] n = NAMES[e];
      if (n.length != length) {
        continue;
      }
      for (int i = 0; i < length; i++) {
        if (c[offset + i] != n[i]) {
          continue outer;
        }
      }
      return EVENTS[e];
    }
    return Event.OTHER;
  }

  private void resetMessage() {
    if (payload != null) {
      payload.close();
      payload = null;
    }
    depth = 0;
    rootDone = false;
    rootSeen = false;
    name = null;
    section = Section.NONE;
    event = null;
    mediaFormat = false;
    encoding = null;
    sampleRate = -1;
    channels = -1;
  }

  private static StreamCallException malformed(String detail) {
    return new StreamCallException(StreamFault.MALFORMED_JSON, detail);
  }

  /** Releases a payload read so far and the parser's buffers. */
  @Override
  public void close() {
    resetMessage();
    parser.close();
  }
}
