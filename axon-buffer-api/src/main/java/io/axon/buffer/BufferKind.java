package io.axon.buffer;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * An interned, immutable content-kind tag: {@code raw}, {@code pcm16}, {@code jpeg}, ….
 *
 * <p>{@link #of(String)} returns the one instance for a slug, so kinds compare with {@code ==} as
 * well as with {@link #equals}; equality and hash follow the slug and {@link #toString()} is the
 * slug. The set of kinds is open: {@code of} accepts a slug that no provider declared (it then
 * simply has no {@link KindDescriptor} in the {@link BufferKindRegistry}).
 *
 * <p>A slug is lowercase ASCII matching {@code [a-z0-9][a-z0-9._+-]*}, at most {@value
 * #MAX_SLUG_LENGTH} characters. Anything else is rejected with an {@link IllegalArgumentException}
 * that quotes the bad slug.
 *
 * <p>Cost: {@code of} is one lock-free hash lookup after the first call for a slug; kinds are never
 * freed (there are few of them, and they are meant to be held in constants).
 */
public final class BufferKind implements Comparable<BufferKind> {

  /** The longest slug accepted. */
  public static final int MAX_SLUG_LENGTH = 64;

  private static final ConcurrentMap<String, BufferKind> INTERNED = new ConcurrentHashMap<>();

  private static final BufferKind RAW = of("raw");

  private final String slug;

  private BufferKind(String slug) {
    this.slug = slug;
  }

  /**
   * Returns the one kind for {@code slug}, creating it on first use. Safe under concurrent first
   * use: all callers get the same instance.
   *
   * @param slug the kind's name (see the class documentation)
   * @return the one instance for {@code slug}
   * @throws IllegalArgumentException if the slug is empty, too long, or has a character outside
   *     {@code [a-z0-9._+-]} (or does not start with {@code [a-z0-9]})
   * @throws NullPointerException if {@code slug} is null
   */
  public static BufferKind of(String slug) {
    if (slug == null) {
      throw new NullPointerException("kind slug is null");
    }
    BufferKind kind = INTERNED.get(slug);
    if (kind != null) {
      return kind;
    }
    checkSlug(slug);
    return INTERNED.computeIfAbsent(slug, BufferKind::new);
  }

  /** {@return the kind of bytes nobody has said anything about} Always present. */
  public static BufferKind raw() {
    return RAW;
  }

  /**
   * Checks a slug without creating a kind.
   *
   * @param slug the candidate slug, may be null
   * @return true if {@code slug} is a valid slug (see the class documentation)
   */
  public static boolean isValidSlug(String slug) {
    return slugProblem(slug) == null;
  }

  static void checkSlug(String slug) {
    if (slug == null) {
      throw new NullPointerException("kind slug is null");
    }
    String problem = slugProblem(slug);
    if (problem != null) {
      throw new IllegalArgumentException(
          "invalid kind slug \"" + printable(slug) + "\": " + problem);
    }
  }

  private static String slugProblem(String slug) {
    if (slug == null) {
      return "it is null";
    }
    if (slug.isEmpty()) {
      return "it is empty";
    }
    if (slug.length() > MAX_SLUG_LENGTH) {
      return "it has " + slug.length() + " characters, more than " + MAX_SLUG_LENGTH;
    }
    for (int i = 0; i < slug.length(); i++) {
      char c = slug.charAt(i);
      boolean alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
      if (i == 0 && !alnum) {
        return "it must start with [a-z0-9], not '" + printable(String.valueOf(c)) + "'";
      }
      if (!alnum && c != '.' && c != '_' && c != '+' && c != '-') {
        return "character '"
            + printable(String.valueOf(c))
            + "' at index "
            + i
            + " is not one of [a-z0-9._+-]";
      }
    }
    return null;
  }

  /** Escapes control and non-ASCII characters so that a message shows what was really given. */
  static String printable(String s) {
    StringBuilder out = new StringBuilder(Math.min(s.length(), 100) + 8);
    for (int i = 0; i < s.length() && i < 100; i++) {
      char c = s.charAt(i);
      if (c >= 0x20 && c < 0x7f) {
        out.append(c);
      } else {
        out.append(String.format("\\u%04x", (int) c));
      }
    }
    if (s.length() > 100) {
      out.append("…");
    }
    return out.toString();
  }

  /** {@return the slug, e.g. {@code "pcm16"}} */
  public String slug() {
    return slug;
  }

  /** {@return true for {@link #raw()}} */
  public boolean isRaw() {
    return this == RAW;
  }

  @Override
  public int compareTo(BufferKind other) {
    return slug.compareTo(other.slug);
  }

  @Override
  public boolean equals(Object o) {
    return o == this || (o instanceof BufferKind && ((BufferKind) o).slug.equals(slug));
  }

  @Override
  public int hashCode() {
    return slug.hashCode();
  }

  /** The slug. */
  @Override
  public String toString() {
    return slug;
  }
}
