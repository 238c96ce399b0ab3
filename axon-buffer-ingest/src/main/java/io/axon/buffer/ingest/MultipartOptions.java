package io.axon.buffer.ingest;

import io.axon.buffer.BufferKindRegistry;
import io.axon.buffer.PoolClass;
import java.util.Objects;

/**
 * The settings of a {@link MultipartParser}: limits, line-ending mode, and how kinds are found.
 * Immutable; build with {@link #builder()}, or take {@link #defaults()}.
 *
 * <table>
 *   <caption>Defaults</caption>
 *   <tr><th>setting</th><th>default</th></tr>
 *   <tr><td>{@code maxHeaderBytesPerPart}</td><td>16 KiB</td></tr>
 *   <tr><td>{@code maxHeaderBytesTotal}</td><td>256 KiB</td></tr>
 *   <tr><td>{@code maxPartBytes}</td><td>64 MiB</td></tr>
 *   <tr><td>{@code maxParts}</td><td>1000</td></tr>
 *   <tr><td>{@code maxPreambleBytes}</td><td>64 KiB</td></tr>
 *   <tr><td>{@code lenientLineEndings}</td><td>false (strict CRLF)</td></tr>
 *   <tr><td>{@code lenientBoundary}</td><td>false (RFC 2046 {@code bchars} only)</td></tr>
 *   <tr><td>{@code requireFieldName}</td><td>false (a part naming no field is delivered)</td></tr>
 *   <tr><td>{@code sniffBytes}</td><td>8 KiB ({@value #DEFAULT_SNIFF_BYTES})</td></tr>
 *   <tr><td>{@code registry}</td><td>{@link BufferKindRegistry#global()}</td></tr>
 *   <tr><td>{@code kindResolver}</td><td>{@link PartKindResolver#standard} over {@code
 *       registry}</td></tr>
 * </table>
 *
 * The epilogue (after the close delimiter) is counted and discarded, never buffered, so it needs no
 * limit.
 */
public final class MultipartOptions {

  /** The largest {@code maxPartBytes}: the largest view (2 GiB - 9 bytes). */
  public static final long MAX_PART_BYTES_CEILING = Integer.MAX_VALUE - 8L;

  /**
   * The default {@code sniffBytes}: {@value BufferKindRegistry#SNIFF_HEAD_BYTES}, the head the
   * registry shows its sniffers (and promises them when the content is that long), so that a part
   * gets the kind {@link BufferKindRegistry#detect} would give its bytes.
   */
  public static final int DEFAULT_SNIFF_BYTES = BufferKindRegistry.SNIFF_HEAD_BYTES;

  private static final MultipartOptions DEFAULTS = builder().build();

  private final int maxHeaderBytesPerPart;
  private final long maxHeaderBytesTotal;
  private final long maxPartBytes;
  private final int maxParts;
  private final long maxPreambleBytes;
  private final boolean lenientLineEndings;
  private final boolean lenientBoundary;
  private final boolean requireFieldName;
  private final int sniffBytes;
  private final BufferKindRegistry registry;

  /** The resolver set on the builder, null for the default. */
  private final PartKindResolver explicitResolver;

  private final PartKindResolver kindResolver;

  private MultipartOptions(Builder b) {
    this.maxHeaderBytesPerPart = b.maxHeaderBytesPerPart;
    this.maxHeaderBytesTotal = b.maxHeaderBytesTotal;
    this.maxPartBytes = b.maxPartBytes;
    this.maxParts = b.maxParts;
    this.maxPreambleBytes = b.maxPreambleBytes;
    this.lenientLineEndings = b.lenientLineEndings;
    this.lenientBoundary = b.lenientBoundary;
    this.requireFieldName = b.requireFieldName;
    this.sniffBytes = b.sniffBytes;
    this.registry = b.registry;
    this.explicitResolver = b.kindResolver;
    this.kindResolver =
        explicitResolver != null ? explicitResolver : PartKindResolver.standard(registry);
  }

  /** The defaults (see the class documentation). */
  public static MultipartOptions defaults() {
    return DEFAULTS;
  }

  /** A builder starting from the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from these settings. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.maxHeaderBytesPerPart = maxHeaderBytesPerPart;
    b.maxHeaderBytesTotal = maxHeaderBytesTotal;
    b.maxPartBytes = maxPartBytes;
    b.maxParts = maxParts;
    b.maxPreambleBytes = maxPreambleBytes;
    b.lenientLineEndings = lenientLineEndings;
    b.lenientBoundary = lenientBoundary;
    b.requireFieldName = requireFieldName;
    b.sniffBytes = sniffBytes;
    b.registry = registry;
    b.kindResolver = explicitResolver;
    return b;
  }

  /** The most bytes of one part's header block (line endings included). */
  public int maxHeaderBytesPerPart() {
    return maxHeaderBytesPerPart;
  }

  /** The most bytes of all header blocks together. */
  public long maxHeaderBytesTotal() {
    return maxHeaderBytesTotal;
  }

  /** The most payload bytes of one part (as sent). */
  public long maxPartBytes() {
    return maxPartBytes;
  }

  /** The most parts in one body. */
  public int maxParts() {
    return maxParts;
  }

  /** The most bytes before the first boundary. */
  public long maxPreambleBytes() {
    return maxPreambleBytes;
  }

  /** True if bare LF line endings are accepted besides CRLF. */
  public boolean lenientLineEndings() {
    return lenientLineEndings;
  }

  /**
   * True if a boundary may hold any printable ASCII character; false (the default) for RFC 2046's
   * {@code bchars} only. See {@link Builder#lenientBoundary}.
   */
  public boolean lenientBoundary() {
    return lenientBoundary;
  }

  /**
   * True if a part that names no form field is an error; false (the default) to deliver it with an
   * empty {@link PartHeaders#name()}. See {@link Builder#requireFieldName}.
   */
  public boolean requireFieldName() {
    return requireFieldName;
  }

  /**
   * How many head bytes of a part are sniffed for its kind (0: no sniffing); see {@link
   * Builder#sniffBytes}.
   */
  public int sniffBytes() {
    return sniffBytes;
  }

  /**
   * The registry that maps content types to kinds and sniffs (for the default {@link
   * #kindResolver()}).
   */
  public BufferKindRegistry registry() {
    return registry;
  }

  /**
   * What decides each part's kind: the one set with {@link Builder#kindResolver}, else {@link
   * PartKindResolver#standard} over {@link #registry()}.
   */
  public PartKindResolver kindResolver() {
    return kindResolver;
  }

  @Override
  public String toString() {
    return "MultipartOptions{maxHeaderBytesPerPart="
        + maxHeaderBytesPerPart
        + ", maxHeaderBytesTotal="
        + maxHeaderBytesTotal
        + ", maxPartBytes="
        + maxPartBytes
        + ", maxParts="
        + maxParts
        + ", maxPreambleBytes="
        + maxPreambleBytes
        + ", lenientLineEndings="
        + lenientLineEndings
        + ", lenientBoundary="
        + lenientBoundary
        + ", requireFieldName="
        + requireFieldName
        + ", sniffBytes="
        + sniffBytes
        + (explicitResolver == null ? "" : ", kindResolver=" + explicitResolver)
        + "}";
  }

  /** Builds {@link MultipartOptions}; every setter checks its argument and names a bad value. */
  public static final class Builder {
    private int maxHeaderBytesPerPart = 16 * 1024;
    private long maxHeaderBytesTotal = 256 * 1024;
    private long maxPartBytes = 64L * 1024 * 1024;
    private int maxParts = 1000;
    private long maxPreambleBytes = 64 * 1024;
    private boolean lenientLineEndings;
    private boolean lenientBoundary;
    private boolean requireFieldName;
    private int sniffBytes = DEFAULT_SNIFF_BYTES;
    private BufferKindRegistry registry;
    private PartKindResolver kindResolver;

    private Builder() {}

    /** Bytes of one part's header block, line endings included (at least 1). */
    public Builder maxHeaderBytesPerPart(int bytes) {
      this.maxHeaderBytesPerPart = (int) positive("maxHeaderBytesPerPart", bytes);
      return this;
    }

    /** Bytes of all header blocks together (at least 1). */
    public Builder maxHeaderBytesTotal(long bytes) {
      this.maxHeaderBytesTotal = positive("maxHeaderBytesTotal", bytes);
      return this;
    }

    /**
     * Payload bytes of one part as sent (0 to {@link #MAX_PART_BYTES_CEILING}; 0 allows only empty
     * parts).
     */
    public Builder maxPartBytes(long bytes) {
      if (bytes < 0 || bytes > MAX_PART_BYTES_CEILING) {
        throw new IllegalArgumentException(
            "maxPartBytes must be 0.." + MAX_PART_BYTES_CEILING + ", was " + bytes);
      }
      this.maxPartBytes = bytes;
      return this;
    }

    /** Number of parts (0 allows only a body without parts). */
    public Builder maxParts(int parts) {
      if (parts < 0) {
        throw new IllegalArgumentException("maxParts must be >= 0, was " + parts);
      }
      this.maxParts = parts;
      return this;
    }

    /** Bytes before the first boundary (0 allows none). */
    public Builder maxPreambleBytes(long bytes) {
      if (bytes < 0) {
        throw new IllegalArgumentException("maxPreambleBytes must be >= 0, was " + bytes);
      }
      this.maxPreambleBytes = bytes;
      return this;
    }

    /**
     * Accept bare LF line endings (boundary lines, header lines) besides CRLF. Off by default: RFC
     * 2046 requires CRLF, and a parser that guesses line endings can be made to disagree with the
     * one in front of it.
     */
    public Builder lenientLineEndings(boolean lenient) {
      this.lenientLineEndings = lenient;
      return this;
    }

    /**
     * Accept a boundary of any printable ASCII character (0x20 to 0x7E), as the parser did before
     * this option existed. Off by default: a boundary must then use RFC 2046's {@code bchars} only
     * (digits, letters, {@code '()+_,-./:=?} and space), which every client in the corpus does. A
     * boundary holding {@code "} or {@code \} after unquoting is where a front proxy that reads
     * quoted-pairs differently and this parser can disagree on where parts begin (a
     * request-smuggling shape), and the other characters outside {@code bchars} are not sent by any
     * client this parser was tried against. The hard rules (1 to 70 characters, no control or
     * non-ASCII character, no space at the end) hold in both modes.
     */
    public Builder lenientBoundary(boolean lenient) {
      this.lenientBoundary = lenient;
      return this;
    }

    /**
     * Refuse a part that names no form field: one without a Content-Disposition header, or whose
     * Content-Disposition has no {@code name} parameter ({@link
     * MultipartFault#MALFORMED_CONTENT_DISPOSITION}), as RFC 7578 §4.2 requires. Off by default:
     * such a part is delivered with an empty {@link PartHeaders#name()} and {@link
     * PartHeaders#hasFieldName()} false, since real clients send it (OkHttp, for a part the caller
     * gives headers of its own) and Jetty 12 delivers it (Commons FileUpload 2 skips it without an
     * error).
     */
    public Builder requireFieldName(boolean require) {
      this.requireFieldName = require;
      return this;
    }

    /**
     * How many head bytes of each part are sniffed for its kind (default {@value
     * #DEFAULT_SNIFF_BYTES}), 0 to turn sniffing off (the kind then comes from the Content-Type and
     * the file name alone). The head is never copied: it is sniffed in the chunk when it arrives in
     * one (or the whole part does, if shorter), else in the part's pooled memory once stored there,
     * which requires it to lie in the part's first piece of pooled memory.
     *
     * <p>Cost: a part whose head straddles two chunks (it begins less than {@code bytes} before a
     * chunk's end) gets a first piece able to hold the head, from the pool class that holds {@code
     * bytes} ({@link PoolClass#forCapacity}; at most {@code maxPartBytes}): with the default, a 64
     * KiB MEDIUM slab, billed to the tenant while the part is read, even if the part turns out to
     * be 100 bytes long. A part that ends holding less than half of that slab is then copied into
     * slabs of its own size (a second copy, of less than half the slab), so that the delivered part
     * holds at most twice its bytes. A part that arrives within one chunk gets a piece of its own
     * size. Values up to 4 KiB never cost more (a first piece is a 4 KiB SMALL slab at least), but
     * sniffers are promised {@value BufferKindRegistry#SNIFF_HEAD_BYTES} bytes when the content is
     * that long ({@link io.axon.buffer.KindSniffer}): a heuristic that takes a shorter head for the
     * whole content (the CSV sniffer counts a last record cut by the head's end) may then reject a
     * longer part. The registry shows sniffers at most {@value BufferKindRegistry#SNIFF_HEAD_BYTES}
     * bytes, so a larger value costs more and finds nothing more.
     */
    public Builder sniffBytes(int bytes) {
      if (bytes < 0 || bytes > 1024 * 1024) {
        throw new IllegalArgumentException("sniffBytes must be 0..1048576, was " + bytes);
      }
      this.sniffBytes = bytes;
      return this;
    }

    /**
     * The registry for content types and sniffing (default {@link BufferKindRegistry#global()}).
     */
    public Builder registry(BufferKindRegistry registry) {
      this.registry = Objects.requireNonNull(registry, "registry");
      return this;
    }

    /**
     * What decides each part's kind (default: {@link PartKindResolver#standard} over the {@link
     * #registry registry}, whichever is set when the options are built). A resolver of one's own
     * replaces the standard one entirely; it may call {@code PartKindResolver.standard(registry)}
     * for the cases it does not settle itself.
     */
    public Builder kindResolver(PartKindResolver resolver) {
      this.kindResolver = Objects.requireNonNull(resolver, "resolver");
      return this;
    }

    /** The options. */
    public MultipartOptions build() {
      if (registry == null) {
        registry = BufferKindRegistry.global();
      }
      return new MultipartOptions(this);
    }

    private static long positive(String name, long value) {
      if (value < 1) {
        throw new IllegalArgumentException(name + " must be >= 1, was " + value);
      }
      return value;
    }
  }
}
