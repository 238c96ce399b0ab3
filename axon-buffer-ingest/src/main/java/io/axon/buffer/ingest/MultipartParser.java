package io.axon.buffer.ingest;

import io.axon.buffer.AxonBufferException;
import io.axon.buffer.BufferAllocator;
import io.axon.buffer.BufferKind;
import io.axon.buffer.BufferMut;
import io.axon.buffer.PoolClass;
import io.axon.buffer.ZeroCopyBuffer;
import io.axon.buffer.core.Buffers;
import io.axon.buffer.core.SegmentedBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;
import java.util.Arrays;
import java.util.Objects;

/**
 * A push parser for {@code multipart/form-data} bodies (RFC 7578, RFC 2046 §5.1): fed chunks of any
 * size, it reports each part to a {@link MultipartListener} with its payload in pooled memory from
 * the caller's {@link BufferAllocator}, and ends with exactly one terminal event.
 *
 * <pre>{@code
 * MultipartParser parser = new MultipartParser(
 *     MultipartParser.boundaryOf(request.header("Content-Type")),
 *     pool.forTenant(tenant), MultipartOptions.defaults(), listener);
 * while (channel.read(chunk.clear()) >= 0) {
 *   parser.feed(chunk.flip());
 * }
 * parser.finish();
 * }</pre>
 *
 * <h2>What it guarantees</h2>
 *
 * <ul>
 *   <li><b>Streaming.</b> It never holds the request: only the current part's payload (in pooled
 *       memory), at most {@code 4 + boundary length} bytes of a possible delimiter split across
 *       chunks (which are pattern bytes, so not even copied), and the current header block. The
 *       preamble and epilogue are counted and dropped.
 *   <li><b>One copy.</b> Each payload byte is copied once, from the chunk into the part's pooled
 *       memory, and nowhere else: a part that outgrows its first slab continues in a new one (the
 *       largest size class no larger than the part so far, so that a part never holds more than
 *       twice its bytes, and never larger than {@link MultipartOptions#maxPartBytes()} leaves room
 *       for, so that an over-limit part fails as {@code PART_BYTES} before its tenant is billed for
 *       a slab it could not fill) and is delivered as a composite view (see {@link Part}), never
 *       grown by copying. A part's first bytes stay in the chunk until the part or the chunk ends:
 *       a part that comes whole in one chunk and fits the smallest slab (4 KiB), if not packed (see
 *       the next point), is then copied into one slab of that class, with no builder around it. The
 *       exceptions to "once", both bounded: a part of at most 2 KiB that came in several chunks is
 *       copied again, from its first slab into a shared one (see the next point), and a part whose
 *       head straddled chunks (so that its first slab was taken large enough for the head, see
 *       below) and that ended holding less than half that slab is copied into slabs of its size: a
 *       delivered part never holds more than twice its bytes. The kind sniffers read the part's
 *       head ({@link MultipartOptions#sniffBytes()}, default 8 KiB) in place: in the chunk when the
 *       head (or the whole part, if shorter) arrives in one chunk, else in the part's first slab
 *       once it is stored there (a part whose head straddles chunks gets a first slab large enough
 *       for the head; see {@link MultipartOptions.Builder#sniffBytes}). Besides payload bytes the
 *       parser copies only header lines, into its header block; a delimiter split across chunks is
 *       not copied at all (a partial match is known pattern bytes, appended from the pattern if it
 *       turns out to be data).
 *   <li><b>Small parts share slabs.</b> A part of at most 2 KiB (a form field) is packed with the
 *       body's other small parts into a shared 4 KiB slab, each part its own view of its own bytes
 *       (billed to the allocator's tenant with the slab). A slab is left for the next once a part
 *       does not fit, so it is more than half full: the slabs small parts hold are at most twice
 *       their bytes plus the one being filled, however many parts there are and however the chunks
 *       cut them (one slab per part would hold 4 KiB for each few-byte field). A slab returns to
 *       the pool when its last part is closed: keeping one small part keeps its 4 KiB slab ({@code
 *       compact()} copies it out), and {@link io.axon.buffer.ZeroCopyBuffer#sharers()} counts the
 *       other live parts of the slab. This needs the core's pool behind the allocator; with another
 *       allocator each part gets a buffer of its own.
 *   <li><b>Linear.</b> CR (LF in lenient mode) occurs in the delimiter only at its start, so
 *       candidates are found eight bytes at a time and a failed verification never looks back; from
 *       a candidate the search steps by Horspool's and Sunday's shifts (see {@code
 *       DelimiterSearch}). Each byte is read a bounded number of times whatever the payload: all
 *       dashes, CR/LF runs and near-boundaries cost about what random bytes cost. A delimiter split
 *       anywhere across chunks, including a part that begins with a prefix of {@code --boundary},
 *       is carried as a partial match and found without rescanning.
 *   <li><b>Limits</b> (see {@link MultipartOptions}) are checked before the over-limit bytes are
 *       stored.
 *   <li><b>Clean failure.</b> On any error the parser releases every buffer it holds, delivers
 *       {@link MultipartListener#onError} (with its {@link MultipartException}, or the {@link
 *       io.axon.buffer.ResourceException} the allocator threw, as itself), and refuses further
 *       input.
 * </ul>
 *
 * <h2>Grammar</h2>
 *
 * <ul>
 *   <li>A delimiter is {@code --boundary} at the start of a line: after CRLF (or a bare LF with
 *       {@link MultipartOptions#lenientLineEndings()}), at the very start of the body, or at the
 *       very start of a part's content (which makes that part empty: RFC 2046 §5.1.1 recognises a
 *       boundary by the start of a line). {@code --boundary} elsewhere in a line is data, and so is
 *       a part's content that merely starts with a prefix of {@code --boundary}, however the chunks
 *       cut it.
 *   <li>After the boundary: {@code --} closes the body (anything after it is epilogue, and input
 *       may end right there without a line break); else optional spaces and tabs (transport
 *       padding, at most {@value #MAX_TRANSPORT_PADDING} bytes), then the line break. A boundary
 *       followed by anything else is {@link MultipartFault#MALFORMED_DELIMITER} (RFC 2046
 *       recognises a boundary by the start of the line, so such a line cannot be data).
 *   <li>Headers: see {@link PartInfo} and {@link MultipartFault#MALFORMED_HEADER}; folded lines are
 *       unfolded (the line break and the leading white space become one space).
 * </ul>
 *
 * <h2>Threads</h2>
 *
 * Not thread-safe, not re-entrant: one thread feeds it; the listener must not call back into it.
 */
public final class MultipartParser {

  /** The longest boundary RFC 2046 allows. */
  public static final int MAX_BOUNDARY_LENGTH = 70;

  /** The most transport padding (spaces, tabs) accepted after a boundary. */
  public static final int MAX_TRANSPORT_PADDING = 1024;

  private enum State {
    PREAMBLE,
    AFTER_BOUNDARY,
    HEADERS,
    BODY,
    EPILOGUE,
    DONE,
    FAILED
  }

  private static final ByteBuffer NO_BYTES = ByteBuffer.allocate(0).asReadOnlyBuffer();

  private static final int AB_START = 0;
  private static final int AB_DASH = 1;
  private static final int AB_PADDING = 2;
  private static final int AB_CR = 3;

  // ------------------------------------------------------------------------------- settings

  private final String boundary;

  /** {@code CR LF - - boundary}; the lenient pattern starts at index 1. */
  private final byte[] delimiter;

  private final int patternFrom;
  private final DelimiterSearch search;
  private final boolean lenient;
  private final BufferAllocator allocator;
  private final MultipartOptions options;
  private final MultipartListener listener;

  // ------------------------------------------------------------------------------- state

  private State state = State.PREAMBLE;

  /** Bytes of the pattern matched so far (held back: they may be a delimiter). */
  private int matched;

  /** Lenient mode: a CR is held before the matched bytes (or alone, when {@code matched == 0}). */
  private boolean heldCr;

  /** Absolute offset up to which bytes are decided (emitted as data or dropped). */
  private long decided;

  /** Absolute offset of the first byte of the current region (preamble: 0; part: its content). */
  private long floor;

  private long preambleBytes;
  private long epilogueBytes;

  private int afterBoundary;
  private int padding;

  private final PartHeaderBlock headerBlock;

  /** Where parts of at most {@link PartPacker#MAX_PART} bytes are stored, several to a slab. */
  private final PartPacker packer;

  private final PartKindResolver kindResolver;

  private int partCount;

  /** The current part's headers (null outside a part). */
  private PartHeaders part;

  /** The current part's info, once its kind is resolved; null while its start is pending. */
  private PartInfo partInfo;

  /** The current part's stored bytes; null until its first bytes leave the chunk. */
  private SegmentedBuilder payload;

  private long partBytes;

  /**
   * The size of the current part's first slab when it was taken large enough for the part's head
   * ({@link #headGoesToTheFirstSegment}), else 0: a part that ends holding less than half of it is
   * copied into slabs of its size ({@link #content}).
   */
  private int headSlab;

  /**
   * The first bytes of a part, left in the current chunk ({@code [deferredFrom, deferredFrom +
   * deferredLength)}) until the part ends, the chunk does, or (while its kind waits for them) its
   * head is complete: then they are stored (a small part that ended in the chunk in one slab, with
   * no builder; see {@link #content}). -1 when none.
   */
  private int deferredFrom = -1;

  private int deferredLength;

  /**
   * True while the kind resolver or the listener runs: an exception then is theirs, and aborts the
   * parse instead of being reported through {@link MultipartListener#onError}.
   */
  private boolean inCallback;

  // The chunk being fed (valid during feed only).
  private ByteBuffer chunk;
  private ByteBuffer scratch;
  private int chunkStart;
  private long chunkBase;
  private int regionStart;
  private int carryFrom;
  private int carryLength;
  private long fed;

  /**
   * A parser for one body.
   *
   * @param boundary the boundary (see {@link #boundaryOf} to get it from a Content-Type)
   * @param allocator where part payloads are allocated; its tenant pays
   * @param options limits and modes
   * @param listener receives the events
   * @throws MultipartException with {@link MultipartFault#INVALID_BOUNDARY} if the boundary is
   *     empty, longer than {@value #MAX_BOUNDARY_LENGTH} characters, has a character the options'
   *     boundary mode refuses, or ends with a space (see {@link #boundaryOf(String,
   *     MultipartOptions)} for the characters accepted)
   */
  public MultipartParser(
      String boundary,
      BufferAllocator allocator,
      MultipartOptions options,
      MultipartListener listener) {
    this.options = Objects.requireNonNull(options, "options");
    this.boundary =
        MultipartBoundary.check(
            Objects.requireNonNull(boundary, "boundary"), options.lenientBoundary());
    this.allocator = Objects.requireNonNull(allocator, "allocator");
    this.listener = Objects.requireNonNull(listener, "listener");
    this.lenient = options.lenientLineEndings();
    this.headerBlock = new PartHeaderBlock(options);
    this.packer = new PartPacker(allocator);
    this.kindResolver = options.kindResolver();
    this.delimiter = MultipartBoundary.delimiter(boundary);
    this.patternFrom = lenient ? 1 : 0;
    this.search = new DelimiterSearch(Arrays.copyOfRange(delimiter, patternFrom, delimiter.length));
    // The body may open with "--boundary": start as if a line break had just been seen. The two
    // virtual bytes sit at offsets -2 and -1 and never count as preamble.
    this.matched = lenient ? 1 : 2;
    this.heldCr = lenient;
    this.decided = -2;
  }

  // ------------------------------------------------------------------------------- boundary

  /**
   * The boundary of a {@code multipart/form-data} Content-Type header value, with the default
   * (strict) boundary rules: {@link #boundaryOf(String, MultipartOptions)} with {@link
   * MultipartOptions#defaults()}.
   *
   * @throws MultipartException see {@link #boundaryOf(String, MultipartOptions)}
   */
  public static String boundaryOf(String contentType) {
    return MultipartBoundary.of(contentType, false);
  }

  /**
   * The boundary of a {@code multipart/form-data} Content-Type header value: type and parameter
   * names case-insensitive, the value quoted or not.
   *
   * <p>Characters: RFC 2046 §5.1.1 allows 1 to 70 {@code bchars} (digits, letters, {@code
   * '()+_,-./:=?} and space), the last not a space; that is the rule by default, and every client
   * this parser was tried against keeps it (unquoted {@code ----=_Part_0_1.2}, as JavaMail sends
   * it, is accepted: the parameter is read leniently, the characters are {@code bchars}). A
   * boundary with {@code "} or {@code \} in it (after unquoting) is refused: a front proxy that
   * reads the quoting differently would see other parts than this parser (a request-smuggling
   * shape). With {@link MultipartOptions#lenientBoundary()} any printable ASCII character (0x20 to
   * 0x7E) is accepted. Both modes keep the RFC's hard rules: 1 to 70 characters, no control or
   * non-ASCII character, and no space at the end (gateways may strip trailing white space from a
   * line, and a space there cannot be told from the transport padding a delimiter line may carry).
   *
   * @param contentType the header's value
   * @param options whose {@link MultipartOptions#lenientBoundary()} applies
   * @return the boundary
   * @throws MultipartException {@link MultipartFault#INVALID_CONTENT_TYPE} if the value is not
   *     {@code multipart/form-data} or cannot be parsed; {@link MultipartFault#INVALID_BOUNDARY} if
   *     the boundary is missing, empty, longer than 70 characters, has a character the mode refuses
   *     (CR, LF, NUL, another control or non-ASCII character; outside {@code bchars} in the default
   *     mode), ends with a space, or is given twice
   */
  public static String boundaryOf(String contentType, MultipartOptions options) {
    return MultipartBoundary.of(contentType, options.lenientBoundary());
  }

  /** The boundary this parser looks for. */
  public String boundary() {
    return boundary;
  }

  // ------------------------------------------------------------------------------- feeding

  /**
   * Parses the remaining bytes of {@code chunk} (any size, 0 included), moving its position to its
   * limit. The bytes are copied out before this returns: the caller may reuse the chunk.
   *
   * @return true if the parser wants more input (no terminal event yet)
   * @throws IllegalStateException if a terminal event was already delivered or {@link #finish()}
   *     was called
   */
  public boolean feed(ByteBuffer chunk) {
    Objects.requireNonNull(chunk, "chunk");
    checkOpen("feed");
    int pos = chunk.position();
    int lim = chunk.limit();
    this.chunk = chunk;
    this.chunkStart = pos;
    this.regionStart = pos;
    this.chunkBase = fed;
    if (state == State.PREAMBLE || state == State.BODY) {
      carryFrom = lenient ? (heldCr ? 0 : 1) : 0;
      carryLength = (lenient ? 1 + matched : matched) - carryFrom;
    } else {
      carryFrom = 0;
      carryLength = 0;
    }
    try {
      run(pos, lim);
      if (deferredFrom >= 0) {
        // The chunk goes back to the caller before the part (or the head its kind waits for) is
        // complete.
        if (partInfo == null) {
          headGoesToTheFirstSegment();
        }
        storeDeferred();
      }
    } catch (AxonBufferException e) {
      failOrRethrow(e);
    } catch (RuntimeException | Error e) {
      abort();
      throw e;
    } finally {
      this.chunk = null;
      this.scratch = null;
      fed = chunkBase + (lim - pos);
      chunk.position(lim);
    }
    return !isDone();
  }

  /** As {@link #feed(ByteBuffer)} for {@code bytes[offset, offset + length)}. */
  public boolean feed(byte[] bytes, int offset, int length) {
    return feed(ByteBuffer.wrap(bytes, offset, length));
  }

  /**
   * Ends the input: delivers {@link MultipartListener#onComplete} if the close delimiter was seen,
   * else {@link MultipartListener#onError} with {@link MultipartFault#TRUNCATED}. Does nothing if a
   * terminal event was already delivered.
   */
  public void finish() {
    if (chunk != null) {
      throw new IllegalStateException(
          "multipart parser is not re-entrant: finish called from a"
              + " listener while a chunk is being parsed");
    }
    if (isDone()) {
      return;
    }
    try {
      switch (state) {
        case EPILOGUE:
          state = State.DONE;
          listener.onComplete(new MultipartSummary(partCount, preambleBytes, epilogueBytes, fed));
          return;
        case PREAMBLE:
          throw MultipartException.at(
              MultipartFault.TRUNCATED,
              "input ended after "
                  + fed
                  + " bytes without a boundary \"--"
                  + Text.printable(boundary)
                  + "\"",
              fed,
              -1);
        case AFTER_BOUNDARY:
          throw MultipartException.at(
              MultipartFault.TRUNCATED,
              "input ended right after a boundary, before its line break or closing \"--\"",
              fed,
              part != null ? part.index() : -1);
        case HEADERS:
          throw MultipartException.at(
              MultipartFault.TRUNCATED,
              "input ended inside the headers"
                  + " of part "
                  + partCount
                  + " after "
                  + headerBlock.rawBytes()
                  + " header bytes",
              fed,
              partCount);
        default: // BODY
          throw MultipartException.at(
              MultipartFault.TRUNCATED,
              "input ended inside part "
                  + part.index()
                  + " after "
                  + partBytes
                  + " payload bytes: no closing boundary \"--"
                  + Text.printable(boundary)
                  + "--\"",
              fed,
              part.index());
      }
    } catch (AxonBufferException e) {
      failOrRethrow(e);
    } catch (RuntimeException | Error e) {
      abort();
      throw e;
    }
  }

  /** True once a terminal event was delivered (or a listener threw). */
  public boolean isDone() {
    return state == State.DONE || state == State.FAILED;
  }

  /** The bytes fed so far. */
  public long bytesFed() {
    return fed;
  }

  private void checkOpen(String what) {
    if (chunk != null) {
      throw new IllegalStateException(
          "multipart parser is not re-entrant: "
              + what
              + " called from a listener while a chunk is being parsed");
    }
    if (isDone()) {
      throw new IllegalStateException(
          "multipart parser already "
              + (state == State.DONE ? "completed" : "failed")
              + ": "
              + what
              + " after the terminal event ("
              + fed
              + " bytes fed)");
    }
  }

  private void run(int j, int lim) {
    while (j < lim) {
      switch (state) {
        case PREAMBLE:
        case BODY:
          j = scan(j, lim);
          break;
        case AFTER_BOUNDARY:
          j = afterBoundary(j, lim);
          break;
        case HEADERS:
          j = headers(j, lim);
          break;
        case EPILOGUE:
          epilogueBytes += lim - j;
          j = lim;
          break;
        default:
          return;
      }
    }
    if (state == State.PREAMBLE || state == State.BODY) {
      if (lenient && matched == 0 && lim > regionStart) {
        heldCr = chunk.get(lim - 1) == '\r';
      }
      int held = (lenient ? 1 + matched - (heldCr ? 0 : 1) : matched);
      release(abs(lim) - held);
    }
  }

  /** Bytes the delimiter search has read so far, over every chunk (for the linearity tests). */
  long delimiterReads() {
    return search.totalReads();
  }

  private long abs(int index) {
    return chunkBase + (index - chunkStart);
  }

  // ------------------------------------------------------------------------------- delimiter scan

  private int scan(int j, int lim) {
    final ByteBuffer buf = chunk;
    final byte[] d = delimiter;
    final int m = d.length - patternFrom;
    int k = matched;
    while (true) {
      if (k == 0) {
        int f = search.find(buf, j, lim);
        if (f < 0) {
          matched = 0;
          return lim;
        }
        if (lenient) {
          heldCr = f > regionStart ? buf.get(f - 1) == '\r' : heldCr;
        }
        // find() returns a whole match when the pattern fits, else a partial one to the end.
        k = f + m <= lim ? m : lim - f;
        j = f + k;
      }
      while (k < m && j < lim && buf.get(j) == d[patternFrom + k]) {
        k++;
        j++;
      }
      if (k == m) {
        long end = abs(j);
        long start = end - m - (lenient && heldCr ? 1 : 0);
        matched = 0;
        release(start);
        decided = end;
        heldCr = false;
        delimiterFound(start);
        return j;
      }
      if (j == lim) {
        matched = k;
        return lim;
      }
      // Mismatch at j: no occurrence can start inside the partial match (the pattern's first
      // byte occurs only at its start), so resume at j itself.
      k = 0;
      if (lenient) {
        heldCr = false;
      }
    }
  }

  /**
   * Emits (as part data) or drops (preamble) the undecided bytes before {@code until}. Bytes before
   * {@link #floor} (the virtual line break that lets a delimiter open the body or a part's content)
   * are never emitted.
   */
  private void release(long until) {
    if (until <= decided) {
      return;
    }
    long from = Math.max(decided, floor);
    decided = until;
    if (until <= from) {
      return;
    }
    if (from < chunkBase) {
      long carryStart = chunkBase - carryLength;
      long end = Math.min(until, chunkBase);
      int a = carryFrom + (int) (from - carryStart);
      int b = carryFrom + (int) (end - carryStart);
      if (state == State.BODY) {
        appendCarry(a, b, from);
      } else {
        countPreamble(b - a);
      }
      from = end;
    }
    if (until > from) {
      int a = chunkStart + (int) (from - chunkBase);
      int b = chunkStart + (int) (until - chunkBase);
      if (state == State.BODY) {
        appendChunk(a, b);
      } else {
        countPreamble(b - a);
      }
    }
  }

  private void countPreamble(long n) {
    preambleBytes += n;
    if (preambleBytes > options.maxPreambleBytes()) {
      throw MultipartException.limitExceeded(
          MultipartLimit.PREAMBLE_BYTES,
          options.maxPreambleBytes(),
          "more than "
              + options.maxPreambleBytes()
              + " bytes before the first boundary \"--"
              + Text.printable(boundary)
              + "\"",
          options.maxPreambleBytes(),
          -1);
    }
  }

  private void delimiterFound(long start) {
    if (part == null) {
      // The end of the preamble.
      preambleBytes = Math.max(0, start);
    }
    state = State.AFTER_BOUNDARY;
    afterBoundary = AB_START;
    padding = 0;
  }

  // ------------------------------------------------------------------------------- after boundary

  private int afterBoundary(int j, int lim) {
    while (j < lim) {
      byte c = chunk.get(j);
      switch (afterBoundary) {
        case AB_START:
        case AB_PADDING:
          if (c == '-' && afterBoundary == AB_START) {
            afterBoundary = AB_DASH;
          } else if (c == ' ' || c == '\t') {
            afterBoundary = AB_PADDING;
            if (++padding > MAX_TRANSPORT_PADDING) {
              throw malformedDelimiter(
                  "more than " + MAX_TRANSPORT_PADDING + " bytes of white space after the boundary",
                  abs(j));
            }
          } else if (c == '\r') {
            afterBoundary = AB_CR;
          } else if (c == '\n') {
            if (!lenient) {
              throw malformedDelimiter(
                  "the boundary line ends with a bare LF (strict CRLF mode;"
                      + " enable lenientLineEndings to accept it)",
                  abs(j));
            }
            return boundaryLineDone(j + 1);
          } else {
            throw malformedDelimiter(
                (afterBoundary == AB_START ? "the boundary" : "white space after the boundary")
                    + " is followed by "
                    + Text.describeByte(c)
                    + ", not by \"--\" or a line break",
                abs(j));
          }
          break;
        case AB_DASH:
          if (c != '-') {
            throw malformedDelimiter(
                "the boundary is followed by '-' and "
                    + Text.describeByte(c)
                    + ", not by \"--\" or a line break",
                abs(j));
          }
          finishPart();
          packer.close();
          state = State.EPILOGUE;
          return j + 1;
        default: // AB_CR
          if (c != '\n') {
            throw malformedDelimiter(
                "CR after the boundary is followed by " + Text.describeByte(c) + ", not LF",
                abs(j));
          }
          return boundaryLineDone(j + 1);
      }
      j++;
    }
    return j;
  }

  private MultipartException malformedDelimiter(String detail, long offset) {
    return MultipartException.at(
        MultipartFault.MALFORMED_DELIMITER,
        detail + " (boundary \"--" + Text.printable(boundary) + "\")",
        offset,
        part != null ? part.index() : -1);
  }

  private int boundaryLineDone(int next) {
    finishPart();
    if (partCount >= options.maxParts()) {
      throw MultipartException.limitExceeded(
          MultipartLimit.PART_COUNT,
          options.maxParts(),
          "a part beyond the limit of " + options.maxParts() + " parts begins",
          abs(next),
          partCount);
    }
    state = State.HEADERS;
    headerBlock.start();
    return next;
  }

  // ------------------------------------------------------------------------------- headers

  private int headers(int j, int lim) {
    j = headerBlock.read(chunk, j, lim, chunkBase - chunkStart, partCount);
    if (headerBlock.complete()) {
      startBody(j);
    }
    return j;
  }

  private void startBody(int j) {
    long blockEnd = abs(j);
    PartHeaders p = headerBlock.parse(partCount, blockEnd);
    partCount++;
    part = p;
    partInfo = null;
    payload = null;
    partBytes = 0;
    headSlab = 0;
    if (p.transferEncoding().isEncoded() || options.sniffBytes() == 0 || !kindResolver.sniffs(p)) {
      // Nothing to sniff: an encoded payload is not the content, and the resolver may settle the
      // kind from the headers (the standard one does for a plain form value).
      startPart(null);
    }
    // A part's content starts at a line start: "--boundary" right there is a delimiter (an empty
    // part, RFC 2046 §5.1.1). Start as if a line break had just been seen, as for the body.
    state = State.BODY;
    matched = lenient ? 1 : 2;
    heldCr = lenient;
    floor = blockEnd;
    decided = blockEnd - 2;
    regionStart = j;
  }

  // ------------------------------------------------------------------------------- part data

  private void checkPartLimit(int n, long at) {
    if (partBytes + n > options.maxPartBytes()) {
      throw MultipartException.limitExceeded(
          MultipartLimit.PART_BYTES,
          options.maxPartBytes(),
          "part "
              + part.index()
              + " (\""
              + Text.printable(part.name())
              + "\") is larger than "
              + options.maxPartBytes()
              + " bytes",
          at + (options.maxPartBytes() - partBytes),
          part.index());
    }
  }

  private void appendCarry(int from, int to, long at) {
    int n = to - from;
    if (n == 0) {
      return;
    }
    checkPartLimit(n, at);
    if (partInfo == null && partBytes == 0) {
      // Carried bytes come from the previous chunk: the part straddles chunks.
      headGoesToTheFirstSegment();
    }
    payload().append(delimiter, from, n);
    partBytes += n;
    if (partInfo == null) {
      startPartIfHeadStored();
    }
  }

  private void appendChunk(int from, int to) {
    int n = to - from;
    if (n == 0) {
      return;
    }
    checkPartLimit(n, abs(from));
    if (payload == null) {
      // Nothing stored yet: leave the bytes in the chunk, where the head is sniffed if it is all
      // there, and where a part that ends in this chunk is taken from in one copy.
      if (deferredFrom < 0) {
        deferredFrom = from;
      }
      deferredLength += n;
      partBytes += n;
      if (partInfo == null && deferredLength >= options.sniffBytes()) {
        startPart(slice(deferredFrom, deferredFrom + options.sniffBytes()));
        storeDeferred();
      }
      return;
    }
    store(from, to);
    partBytes += n;
    if (partInfo == null) {
      startPartIfHeadStored();
    }
  }

  /**
   * Copies chunk bytes {@code [from, to)} into the part's pooled memory. A resource fault (the
   * tenant's limit, the system's memory) passes as itself and fails the parse.
   */
  private void store(int from, int to) {
    SegmentedBuilder target = payload();
    if (chunk.hasArray()) {
      target.append(chunk.array(), chunk.arrayOffset() + from, to - from);
    } else {
      target.append(range(from, to));
    }
  }

  /**
   * Chunk bytes {@code [from, to)} as a buffer of their own: a duplicate of the chunk, made once
   * per chunk when it is first needed ({@link #store} copies heap chunks from their array instead).
   */
  private ByteBuffer range(int from, int to) {
    if (scratch == null) {
      scratch = chunk.duplicate();
    }
    return scratch.limit(to).position(from);
  }

  /** The current part's builder, made when its first bytes are stored. */
  private SegmentedBuilder payload() {
    if (payload == null) {
      payload = new SegmentedBuilder(allocator, options.maxPartBytes());
    }
    return payload;
  }

  private ByteBuffer slice(int from, int to) {
    ByteBuffer s = chunk.duplicate();
    s.limit(to).position(from);
    return s.slice().asReadOnlyBuffer();
  }

  /** Stores the deferred first bytes of the part (see {@link #deferredFrom}). */
  private void storeDeferred() {
    if (deferredFrom < 0) {
      return;
    }
    int from = deferredFrom;
    int to = from + deferredLength;
    deferredFrom = -1;
    deferredLength = 0;
    store(from, to);
  }

  /**
   * The part's head straddles chunks, so it is sniffed where it is stored: its first segment is
   * made large enough to hold all of it (or the whole part, under a smaller part limit).
   */
  private void headGoesToTheFirstSegment() {
    int head = (int) Math.min(options.sniffBytes(), options.maxPartBytes());
    payload().firstPieceAtLeast(head);
    headSlab = PoolClass.forCapacity(head).slabBytes();
  }

  /**
   * Starts a part whose head did not arrive in one chunk once its first {@code sniffBytes} bytes
   * are stored: they are read in place, in the payload's first segment (see {@link
   * #headGoesToTheFirstSegment}).
   */
  private void startPartIfHeadStored() {
    if (partBytes >= options.sniffBytes()) {
      startPart(payload.head(options.sniffBytes()));
    }
  }

  private void startPart(ByteBuffer sniffHead) {
    inCallback = true;
    partInfo = new PartInfo(part, kindResolver.resolve(part, sniffHead));
    listener.onPartStart(partInfo);
    inCallback = false;
  }

  private void finishPart() {
    if (part == null) {
      return;
    }
    if (partInfo == null) {
      // A part shorter than the head: all of it is sniffed in place, in the chunk when it came in
      // one (then stored in a slab of its size), else in its only segment.
      if (deferredFrom >= 0) {
        startPart(slice(deferredFrom, deferredFrom + deferredLength));
      } else {
        startPart(payload == null ? NO_BYTES.duplicate() : payload.head((int) partBytes));
      }
    }
    PartInfo info = partInfo;
    Part done = new Part(info, content(info.kind()));
    part = null;
    partInfo = null;
    inCallback = true;
    listener.onPart(done);
    inCallback = false;
  }

  /**
   * The ended part's content, frozen: a part of at most {@link PartPacker#MAX_PART} bytes is packed
   * with other small parts into a shared slab (copied there from the chunk, or from its builder
   * when it came in several chunks); a larger part that came whole in this chunk and fits the
   * smallest slab is copied into one buffer of that class (what its builder would have taken) with
   * no builder; else its builder is frozen.
   */
  private ZeroCopyBuffer content(BufferKind kind) {
    if (payload == null && deferredFrom >= 0 && deferredLength <= PoolClass.SMALL.slabBytes()) {
      int from = deferredFrom;
      int to = from + deferredLength;
      deferredFrom = -1;
      deferredLength = 0;
      ZeroCopyBuffer packed = packer.pack(range(from, to), kind);
      if (packed != null) {
        return packed;
      }
      BufferMut whole = allocator.acquire(to - from);
      try {
        return whole.append(range(from, to)).freeze(kind);
      } catch (RuntimeException | Error e) {
        whole.close();
        throw e;
      }
    }
    storeDeferred();
    if (payload == null) {
      return Buffers.empty(kind);
    }
    SegmentedBuilder b = payload;
    payload = null;
    try {
      long n = b.length();
      ZeroCopyBuffer packed = n <= PartPacker.MAX_PART ? packer.pack(b.head((int) n), kind) : null;
      if (packed != null) {
        return packed;
      }
      if (headSlab > Math.max(2 * n, PoolClass.SMALL.slabBytes())) {
        // The slab taken for the head is more than twice the part: the part keeps slabs of its
        // size instead (a second copy, of less than half that slab).
        try (SegmentedBuilder fit = new SegmentedBuilder(allocator)) {
          return fit.append(b.head((int) n)).freeze(kind);
        }
      }
      return b.freeze(kind);
    } finally {
      b.close();
    }
  }

  // ------------------------------------------------------------------------------- failure

  /**
   * A fault met while parsing (the parser's own, or a resource fault from the allocator) ends the
   * parse with {@link MultipartListener#onError}; one thrown by the listener or the kind resolver
   * aborts it and propagates, as any exception of theirs does.
   */
  private void failOrRethrow(AxonBufferException e) {
    if (inCallback) {
      abort();
      throw e;
    }
    release();
    state = State.FAILED;
    listener.onError(e);
  }

  private void abort() {
    release();
    state = State.FAILED;
  }

  private void release() {
    if (payload != null) {
      payload.close();
      payload = null;
    }
    packer.close();
    part = null;
    partInfo = null;
    deferredFrom = -1;
    deferredLength = 0;
  }

  // ------------------------------------------------------------------------------- whole bodies

  /**
   * Parses a whole body from {@code body} (read in 64 KiB chunks until end of stream) into a {@link
   * MultipartBody}. The caller closes the result. On failure every part already made is closed and
   * the error thrown.
   *
   * @throws MultipartException if the body is bad or a limit is hit
   * @throws io.axon.buffer.ResourceException if memory is refused (a {@link
   *     io.axon.buffer.TenantLimitExceededException}, say), as itself
   * @throws IOException if reading fails (every part is closed too)
   */
  public static MultipartBody parse(
      ReadableByteChannel body,
      String boundary,
      BufferAllocator allocator,
      MultipartOptions options)
      throws IOException {
    return MultipartBodyReader.read(body, boundary, allocator, options);
  }

  /** As {@link #parse(ReadableByteChannel, String, BufferAllocator, MultipartOptions)}. */
  public static MultipartBody parse(
      InputStream body, String boundary, BufferAllocator allocator, MultipartOptions options)
      throws IOException {
    return parse(Channels.newChannel(body), boundary, allocator, options);
  }

  /** Releases what the parser holds and fails it without an event, unless it is done. */
  void abortQuietly() {
    if (!isDone()) {
      abort();
    }
  }
}
