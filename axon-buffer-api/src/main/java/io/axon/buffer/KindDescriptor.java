package io.axon.buffer;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What a provider says about a kind: its slug, a one-line description, its media types (the first
 * is canonical), its file extensions (the first is canonical), an optional {@link KindSniffer}, an
 * optional {@link KindInspector}, and a priority used only when two providers declare the same
 * slug, media type or extension (see {@link BufferKindRegistry}).
 *
 * <p>Immutable and validated when built: a descriptor that exists is well-formed. Media types and
 * extensions are stored lowercase; extensions without their leading dot.
 *
 * <pre>{@code
 * KindDescriptor dicom = KindDescriptor.builder("dicom")
 *     .description("DICOM medical image (Part 10 file)")
 *     .mediaTypes("application/dicom")
 *     .extensions("dcm")
 *     .sniffer(head -> ...)
 *     .build();
 * }</pre>
 */
public final class KindDescriptor {

  /** The longest description accepted. */
  public static final int MAX_DESCRIPTION_LENGTH = 200;

  private final BufferKind kind;
  private final String description;
  private final List<String> mediaTypes;
  private final List<String> extensions;
  private final KindSniffer sniffer;
  private final KindInspector inspector;
  private final int priority;

  private KindDescriptor(Builder b) {
    this.kind = b.kind;
    this.description = b.description;
    this.mediaTypes = b.mediaTypes;
    this.extensions = b.extensions;
    this.sniffer = b.sniffer;
    this.inspector = b.inspector;
    this.priority = b.priority;
  }

  /**
   * Starts a descriptor for {@code slug}.
   *
   * @param slug the slug of the kind described
   * @return a builder to fill in and {@link Builder#build()}
   * @throws IllegalArgumentException if the slug is not valid (see {@link BufferKind})
   */
  public static Builder builder(String slug) {
    return new Builder(BufferKind.of(slug));
  }

  /**
   * Starts a descriptor for {@code kind}.
   *
   * @param kind the kind described
   * @return a builder to fill in and {@link Builder#build()}
   */
  public static Builder builder(BufferKind kind) {
    return new Builder(Objects.requireNonNull(kind, "kind"));
  }

  /** {@return the kind described} */
  public BufferKind kind() {
    return kind;
  }

  /** {@return the slug of the kind described} */
  public String slug() {
    return kind.slug();
  }

  /** {@return one line saying what the content is} */
  public String description() {
    return description;
  }

  /**
   * {@return the media types, each a {@link MediaType#essence()} (lowercase {@code type/subtype});
   * the first is canonical} May be empty.
   */
  public List<String> mediaTypes() {
    return mediaTypes;
  }

  /** {@return the canonical media type, or empty if there is none} */
  public Optional<String> canonicalMediaType() {
    return mediaTypes.isEmpty() ? Optional.empty() : Optional.of(mediaTypes.get(0));
  }

  /**
   * {@return the file extensions, lowercase, without the dot; the first is canonical} May be empty.
   */
  public List<String> extensions() {
    return extensions;
  }

  /** {@return the sniffer, empty for headerless kinds (declared by the caller, never sniffed)} */
  public Optional<KindSniffer> sniffer() {
    return Optional.ofNullable(sniffer);
  }

  /** {@return the inspector, or empty if the provider offers none} */
  public Optional<KindInspector> inspector() {
    return Optional.ofNullable(inspector);
  }

  /**
   * Priority among descriptors that declare the same slug, media type or extension, and among
   * sniffers with equal scores: higher wins. {@link io.axon.buffer.spi.Priority#DEFAULT} (0) unless
   * set; the library's own kinds declare {@link io.axon.buffer.spi.Priority#BUILT_IN}.
   *
   * @return the priority
   */
  public int priority() {
    return priority;
  }

  @Override
  public String toString() {
    return "KindDescriptor{"
        + kind
        + ", "
        + mediaTypes
        + ", "
        + extensions
        + (sniffer != null ? ", sniffer" : "")
        + (inspector != null ? ", inspector" : "")
        + (priority != 0 ? ", priority " + priority : "")
        + "}";
  }

  /** Builds a {@link KindDescriptor}; {@link #build()} validates everything at once. */
  public static final class Builder {
    private final BufferKind kind;
    private String description;
    private List<String> mediaTypes = List.of();
    private List<String> extensions = List.of();
    private KindSniffer sniffer;
    private KindInspector inspector;
    private int priority;
    private final List<String> rawMediaTypes = new ArrayList<>();
    private final List<String> rawExtensions = new ArrayList<>();

    private Builder(BufferKind kind) {
      this.kind = kind;
    }

    /**
     * One line, at most {@value #MAX_DESCRIPTION_LENGTH} characters. Required.
     *
     * @param description what the content is
     * @return this builder
     */
    public Builder description(String description) {
      this.description = description;
      return this;
    }

    /**
     * Adds media types ({@code type/subtype}, no parameters, any case: see {@link MediaType}); the
     * first ever added is canonical.
     *
     * @param mediaTypes the media types to add
     * @return this builder
     */
    public Builder mediaTypes(String... mediaTypes) {
      Collections.addAll(rawMediaTypes, mediaTypes);
      return this;
    }

    /**
     * Adds file extensions, with or without the leading dot; the first ever added is canonical.
     *
     * @param extensions the extensions to add
     * @return this builder
     */
    public Builder extensions(String... extensions) {
      Collections.addAll(rawExtensions, extensions);
      return this;
    }

    /**
     * Sets the sniffer. Leave unset for headerless kinds.
     *
     * @param sniffer the sniffer that scores content as this kind
     * @return this builder
     */
    public Builder sniffer(KindSniffer sniffer) {
      this.sniffer = sniffer;
      return this;
    }

    /**
     * Sets the inspector.
     *
     * @param inspector the inspector that reads facts out of content of this kind
     * @return this builder
     */
    public Builder inspector(KindInspector inspector) {
      this.inspector = inspector;
      return this;
    }

    /**
     * Sets the conflict priority (higher wins; default {@link
     * io.axon.buffer.spi.Priority#DEFAULT}). A plugin leaves it, so that it loses conflicts with
     * built-in kinds; more than {@link io.axon.buffer.spi.Priority#BUILT_IN} replaces a built-in
     * kind on purpose (and is reported).
     *
     * @param priority the priority
     * @return this builder
     */
    public Builder priority(int priority) {
      this.priority = priority;
      return this;
    }

    /**
     * Validates and builds.
     *
     * @return the descriptor
     * @throws IllegalArgumentException naming the kind, the field and the bad value
     */
    public KindDescriptor build() {
      if (description == null || description.isBlank()) {
        throw invalid("description is missing or blank");
      }
      if (description.length() > MAX_DESCRIPTION_LENGTH) {
        throw invalid(
            "description has "
                + description.length()
                + " characters, more than "
                + MAX_DESCRIPTION_LENGTH);
      }
      for (int i = 0; i < description.length(); i++) {
        if (Character.isISOControl(description.charAt(i))) {
          throw invalid(
              "description \""
                  + BufferKind.printable(description)
                  + "\" is not one line (control character at index "
                  + i
                  + ")");
        }
      }
      Set<String> types = new LinkedHashSet<>();
      for (String t : rawMediaTypes) {
        String normal = normalizeMediaType(t);
        if (!types.add(normal)) {
          throw invalid("media type \"" + normal + "\" is listed twice");
        }
      }
      Set<String> exts = new LinkedHashSet<>();
      for (String e : rawExtensions) {
        String normal = normalizeExtension(e);
        if (!exts.add(normal)) {
          throw invalid("extension \"" + normal + "\" is listed twice");
        }
      }
      this.mediaTypes = List.copyOf(types);
      this.extensions = List.copyOf(exts);
      return new KindDescriptor(this);
    }

    private String normalizeMediaType(String type) {
      if (type == null) {
        throw invalid("a media type is null");
      }
      MediaType parsed;
      try {
        parsed = MediaType.parse(type);
      } catch (IllegalArgumentException e) {
        throw invalid(e.getMessage());
      }
      if (!parsed.parameters().isEmpty()) {
        throw invalid(
            "media type \""
                + BufferKind.printable(type)
                + "\" has parameters; a kind claims a type/subtype (lookups ignore parameters)");
      }
      return parsed.essence();
    }

    private String normalizeExtension(String ext) {
      if (ext == null) {
        throw invalid("an extension is null");
      }
      String e = ext.startsWith(".") ? ext.substring(1) : ext;
      e = e.toLowerCase(Locale.ROOT);
      boolean ok = !e.isEmpty() && e.length() <= 16 && isAlnum(e.charAt(0));
      for (int i = 0; ok && i < e.length(); i++) {
        char c = e.charAt(i);
        ok = isAlnum(c) || c == '.' || c == '_' || c == '+' || c == '-';
      }
      if (!ok) {
        throw invalid(
            "extension \""
                + BufferKind.printable(ext)
                + "\" is not 1-16 characters of [a-z0-9._+-] starting with [a-z0-9]");
      }
      return e;
    }

    private static boolean isAlnum(char c) {
      return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    }

    private IllegalArgumentException invalid(String fault) {
      return new IllegalArgumentException("invalid descriptor for kind \"" + kind + "\": " + fault);
    }
  }
}
