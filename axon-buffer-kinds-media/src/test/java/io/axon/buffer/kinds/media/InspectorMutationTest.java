package io.axon.buffer.kinds.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.axon.buffer.BufferKind;
import io.axon.buffer.KindDescriptor;
import io.axon.buffer.KindInspector;
import io.axon.buffer.KindSniffer;
import io.axon.buffer.MalformedContentException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A deterministic mutation property test of every inspector: each good corpus sample of every
 * inspected kind is mutated, and each mutant goes through the kind's inspector and sniffer, taken
 * from the provider's descriptor (not through the registry, which would wrap a stray exception into
 * a {@link MalformedContentException} and hide it).
 *
 * <p>Properties: the inspector returns facts or throws {@link MalformedContentException} of its
 * kind, nothing else (no {@link IndexOutOfBoundsException}, {@link ArithmeticException}, ...); the
 * exception's offset lies within the content and its message names it ("malformed mp4 at offset 36:
 * ..."); the sniffer never throws and scores 0 to 100; all of a sample's mutants are done within
 * {@link #BOUND}, so that an endless loop fails the test instead of hanging the build.
 *
 * <p>The mutants of a sample: first the {@linkplain #systematic systematic} ones, every unit (box,
 * chunk, segment, element, page, frame, object; see {@link SampleStructure}) and every length field
 * in turn, cut, duplicated, deleted, set to huge and edge values; then {@value #MUTATIONS} random
 * ones, seeded by the sample's name (every run tries the same inputs), each one to three of: a bit
 * flipped; a byte set to 00, FF, 7F or 80; a truncation (anywhere, or at a unit's boundary); bytes
 * inserted or deleted; a length field set to a huge or an edge value; a unit duplicated or deleted,
 * its parents' lengths adjusted or not; the content cut inside a unit with the lengths of the unit
 * and its parents set to end at the cut, so that the cut looks intended. A quarter of the mutants
 * are read again from a buffer whose position is not 0, behind junk: the outcome must be the same,
 * so that a read before the start of the content is caught too.
 */
class InspectorMutationTest {

  static final int MUTATIONS = 4000;

  /** Generous: the whole suite of samples takes a few seconds. */
  static final Duration BOUND = Duration.ofSeconds(10);

  /** At most this many distinct failures are reported per sample. */
  static final int REPORTED = 8;

  static final Map<String, KindDescriptor> DESCRIPTORS = new LinkedHashMap<>();

  static {
    for (KindDescriptor d : new MediaKindProvider().kinds()) {
      DESCRIPTORS.put(d.slug(), d);
    }
  }

  /** Every good corpus sample whose kind has an inspector. */
  static Stream<Corpus.Row> samples() {
    return Corpus.all().stream()
        .filter(
            r ->
                r.set().equals("good")
                    && DESCRIPTORS.containsKey(r.suggestedKind())
                    && DESCRIPTORS.get(r.suggestedKind()).inspector().isPresent());
  }

  @Test
  void everyInspectedKindHasAGoodSample() {
    TreeSet<String> inspected = new TreeSet<>();
    DESCRIPTORS.values().forEach(d -> d.inspector().ifPresent(i -> inspected.add(d.slug())));
    TreeSet<String> sampled = new TreeSet<>();
    samples().forEach(r -> sampled.add(r.suggestedKind()));
    assertEquals(inspected, sampled);
    assertEquals(
        List.of(
            "3gpp",
            "3gpp2",
            "avif",
            "heic",
            "jpeg",
            "mp3",
            "mp4",
            "opus",
            "pdf",
            "png",
            "quicktime",
            "wav",
            "webm",
            "webp"),
        List.copyOf(inspected));
  }

  /** The structure walk finds units in every sample, and length fields in all but the PDF. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("samples")
  void theStructureOfEachSampleIsFound(Corpus.Row row) {
    SampleStructure s = SampleStructure.of(row.suggestedKind(), row.bytes());
    assertTrue(s.units.size() >= 2, row + ": " + s.units);
    if (!row.suggestedKind().equals("pdf")) {
      assertTrue(s.fields.size() >= 1, row + ": no length field");
    }
    for (SampleStructure.Unit u : s.units) {
      assertTrue(
          0 <= u.start() && u.start() <= u.end() && u.end() <= row.bytes().length, row + ": " + u);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("samples")
  void mutantsGiveFactsOrTheTypedErrorNamingAnOffset(Corpus.Row row) {
    String slug = row.suggestedKind();
    byte[] sample = row.bytes();
    KindDescriptor descriptor = DESCRIPTORS.get(slug);
    KindInspector inspector = descriptor.inspector().orElseThrow();
    KindSniffer sniffer = descriptor.sniffer().orElseThrow();
    SampleStructure structure = SampleStructure.of(slug, sample);
    Random random = new Random(0x5EEDL * 31 + row.name().hashCode());
    Map<String, String> failures = new LinkedHashMap<>();
    Map<String, Integer> counts = new LinkedHashMap<>();
    assertTimeoutPreemptively(
        BOUND,
        () -> {
          List<Supplier<Mutant>> systematic = systematic(sample, structure);
          for (int i = 0; i < systematic.size() + MUTATIONS; i++) {
            Mutant m =
                i < systematic.size() ? systematic.get(i).get() : mutate(sample, structure, random);
            String fault = check(descriptor.kind(), inspector, sniffer, m, random);
            if (fault != null && (failures.containsKey(fault) || failures.size() < REPORTED)) {
              counts.merge(fault, 1, Integer::sum);
              failures.putIfAbsent(
                  fault,
                  "mutant "
                      + i
                      + " ["
                      + String.join(", ", m.steps)
                      + "] "
                      + m.bytes.length
                      + " bytes"
                      + (m.bytes.length <= 96 ? ": " + HexFormat.of().formatHex(m.bytes) : ""));
            }
          }
        },
        () -> row + ": its mutants took more than " + BOUND + " (an endless loop?)");
    if (!failures.isEmpty()) {
      StringBuilder report = new StringBuilder(row + ": " + failures.size() + " kinds of failure");
      failures.forEach(
          (fault, example) ->
              report
                  .append("\n  ")
                  .append(counts.get(fault))
                  .append(" mutants: ")
                  .append(fault)
                  .append("\n    e.g. ")
                  .append(example));
      fail(report.toString());
    }
  }

  /**
   * What is wrong with the outcome of {@code m}, or null when nothing is. A quarter of the mutants
   * are read a second time from behind junk, and must give the same outcome.
   */
  static String check(
      BufferKind kind, KindInspector inspector, KindSniffer sniffer, Mutant m, Random random) {
    String[] plain = outcome(kind, inspector, sniffer, m.bytes, 0);
    if (plain[0] != null || random.nextInt(4) != 0) {
      return plain[0];
    }
    String[] shifted = outcome(kind, inspector, sniffer, m.bytes, 1 + random.nextInt(16));
    if (shifted[0] != null) {
      return shifted[0] + " (behind junk)";
    }
    return plain[1].equals(shifted[1])
        ? null
        : "the outcome depends on where the content starts in its buffer: "
            + plain[1]
            + " / "
            + shifted[1];
  }

  /**
   * Sniffs and inspects {@code bytes} from a read-only buffer whose position is {@code junk}
   * (behind as many FF bytes): {fault or null, the score and the facts or the error's message}.
   */
  static String[] outcome(
      BufferKind kind, KindInspector inspector, KindSniffer sniffer, byte[] bytes, int junk) {
    byte[] array = bytes;
    if (junk > 0) {
      array = new byte[junk + bytes.length];
      Arrays.fill(array, 0, junk, (byte) 0xFF);
      System.arraycopy(bytes, 0, array, junk, bytes.length);
    }
    ByteBuffer content = ByteBuffer.wrap(array).position(junk).asReadOnlyBuffer();
    int score;
    try {
      score = sniffer.sniff(content.duplicate());
      if (score < 0 || score > KindSniffer.CERTAIN) {
        return new String[] {"sniffer scored " + score, null};
      }
    } catch (RuntimeException e) {
      return new String[] {"sniffer threw " + where(e), null};
    }
    try {
      Map<String, Object> facts = inspector.inspect(content.duplicate());
      return new String[] {facts == null ? "inspector returned null" : null, score + " " + facts};
    } catch (MalformedContentException e) {
      String fault = null;
      String named = "malformed " + kind + " at offset " + e.offset() + ": ";
      if (!kind.equals(e.kind())) {
        fault = "MalformedContentException of kind " + e.kind();
      } else if (e.offset() < 0 || e.offset() > bytes.length) {
        fault = "offset " + e.offset() + " outside the content: " + e.getMessage();
      } else if (!e.getMessage().startsWith(named) || e.getMessage().length() == named.length()) {
        fault = "message does not name the offset: " + e.getMessage();
      }
      return new String[] {fault, score + " " + e.getMessage()};
    } catch (RuntimeException e) {
      return new String[] {"inspector threw " + where(e), null};
    }
  }

  /**
   * The exception's class and the first frame in the module outside {@link Content} (whose
   * unchecked {@code at} is where a missing check surfaces): a failure's signature. The message is
   * left out, since it usually carries the offset, which differs from mutant to mutant.
   */
  static String where(Throwable e) {
    for (StackTraceElement frame : e.getStackTrace()) {
      String name = frame.getClassName();
      if (name.startsWith("io.axon.buffer.kinds.media.") && !name.endsWith(".Content")) {
        return e.getClass().getName() + " at " + frame;
      }
    }
    return e.toString();
  }

  /** A mutated sample and the steps that made it (for the failure report). */
  static final class Mutant {
    byte[] bytes;
    final List<String> steps = new ArrayList<>();

    Mutant(byte[] bytes) {
      this.bytes = bytes;
    }

    Mutant step(String step) {
      steps.add(step);
      return this;
    }
  }

  // ---------------------------------------------------------------- systematic mutants

  /**
   * The structural mutants, each unit and each length field in turn: every unit cut at its start,
   * after its header and before its last byte, with the lengths set to end there and without; every
   * unit duplicated and deleted, its parents' lengths adjusted and not; every length field set to
   * each of its huge and edge values.
   */
  static List<Supplier<Mutant>> systematic(byte[] sample, SampleStructure s) {
    List<Supplier<Mutant>> out = new ArrayList<>();
    for (int i = 0; i < s.units.size(); i++) {
      int index = i;
      for (int point : cutPoints(s.units.get(i))) {
        out.add(() -> cut(new Mutant(sample.clone()), s, index, point));
        out.add(() -> truncate(new Mutant(sample.clone()), point));
      }
      for (boolean adjust : new boolean[] {false, true}) {
        out.add(() -> duplicate(new Mutant(sample.clone()), s, index, adjust));
        out.add(() -> delete(new Mutant(sample.clone()), s, index, adjust));
      }
    }
    for (SampleStructure.Field f : s.fields) {
      for (long v : f.hugeValues()) {
        out.add(() -> setLength(new Mutant(sample.clone()), f, v));
      }
      for (long v : edgeValues(s, f, sample)) {
        out.add(() -> setLength(new Mutant(sample.clone()), f, v));
      }
    }
    return out;
  }

  /** A unit's start, the end of its header, and its last byte. */
  static int[] cutPoints(SampleStructure.Unit u) {
    return new int[] {
      u.start(), Math.min(u.end(), u.start() + u.header()), Math.max(u.start(), u.end() - 1)
    };
  }

  /** 0, 1, the unit's header size and its neighbours, the field's value plus and minus one. */
  static long[] edgeValues(SampleStructure s, SampleStructure.Field f, byte[] b) {
    int header = 0;
    for (SampleStructure.Unit u : s.units) {
      if (u.size() == f) {
        header = u.header();
      }
    }
    long now = f.read(b);
    long[] edges = {
      0, 1, header - 1 - f.bias(), header - f.bias(), header + 1 - f.bias(), now - 1, now + 1
    };
    for (int i = 0; i < edges.length; i++) {
      edges[i] = Math.max(0, edges[i]);
    }
    return edges;
  }

  static Mutant setLength(Mutant m, SampleStructure.Field f, long value) {
    f.write(m.bytes, value);
    return m.step("length at " + f.at() + " := " + Long.toUnsignedString(value));
  }

  /**
   * Cuts the content at {@code point} inside unit {@code index}, and sets the lengths of that unit
   * (unless the cut removes it whole) and of every unit enclosing it to end at the cut.
   */
  static Mutant cut(Mutant m, SampleStructure s, int index, int point) {
    SampleStructure.Unit u = s.units.get(index);
    for (int a = index; a >= 0; a = s.units.get(a).parent()) {
      SampleStructure.Unit enclosing = s.units.get(a);
      if (enclosing.size() != null && (a != index || point > u.start())) {
        enclosing
            .size()
            .write(m.bytes, Math.max(0, point - enclosing.start() - enclosing.size().bias()));
      }
    }
    m.bytes = Arrays.copyOf(m.bytes, point);
    return m.step("cut at " + point + " inside " + u + ", lengths set to end there");
  }

  static Mutant truncate(Mutant m, int point) {
    m.bytes = Arrays.copyOf(m.bytes, Math.min(point, m.bytes.length));
    return m.step("truncate to " + m.bytes.length);
  }

  /** Inserts a copy of unit {@code index} right after it. */
  static Mutant duplicate(Mutant m, SampleStructure s, int index, boolean adjust) {
    SampleStructure.Unit u = s.units.get(index);
    int length = u.end() - u.start();
    if (adjust) {
      resize(s, u.parent(), m.bytes, length);
    }
    byte[] b = m.bytes;
    byte[] out = new byte[b.length + length];
    System.arraycopy(b, 0, out, 0, u.end());
    System.arraycopy(b, u.start(), out, u.end(), length);
    System.arraycopy(b, u.end(), out, u.end() + length, b.length - u.end());
    m.bytes = out;
    return m.step("duplicate " + u + (adjust ? ", parents grown" : ""));
  }

  static Mutant delete(Mutant m, SampleStructure s, int index, boolean adjust) {
    SampleStructure.Unit u = s.units.get(index);
    int length = u.end() - u.start();
    if (adjust) {
      resize(s, u.parent(), m.bytes, -length);
    }
    byte[] b = m.bytes;
    byte[] out = new byte[b.length - length];
    System.arraycopy(b, 0, out, 0, u.start());
    System.arraycopy(b, u.end(), out, u.start(), b.length - u.end());
    m.bytes = out;
    return m.step("delete " + u + (adjust ? ", parents shrunk" : ""));
  }

  /** Adds {@code delta} to the lengths of unit {@code index} and of every unit enclosing it. */
  private static void resize(SampleStructure s, int index, byte[] b, int delta) {
    for (int a = index; a >= 0; a = s.units.get(a).parent()) {
      SampleStructure.Field f = s.units.get(a).size();
      if (f != null) {
        f.write(b, Math.max(0, f.read(b) + delta));
      }
    }
  }

  // ---------------------------------------------------------------- random mutants

  enum Op {
    FLIP_BIT,
    SET_BYTE,
    HUGE_LENGTH,
    EDGE_LENGTH, // in place
    DUPLICATE_UNIT,
    DELETE_UNIT,
    CUT_UNIT, // at the sample's unit offsets, at most one per mutant
    TRUNCATE,
    INSERT,
    DELETE // anywhere, after the others
  }

  private static final byte[] SPECIAL = {0x00, (byte) 0xFF, 0x7F, (byte) 0x80};

  /**
   * One to three operations: first the in-place ones, then at most one that moves the sample's
   * units (their offsets are the original sample's), then the ones that work anywhere.
   */
  static Mutant mutate(byte[] sample, SampleStructure s, Random r) {
    int count = r.nextInt(3) == 0 ? 2 + r.nextInt(2) : 1;
    List<Op> ops = new ArrayList<>();
    Op[] all = Op.values();
    boolean unitOp = false;
    for (int i = 0; i < count; i++) {
      Op op = all[r.nextInt(all.length)];
      boolean moves = op == Op.DUPLICATE_UNIT || op == Op.DELETE_UNIT || op == Op.CUT_UNIT;
      if (moves && (unitOp || s.units.isEmpty())) {
        op = Op.TRUNCATE;
        moves = false;
      } else if ((op == Op.HUGE_LENGTH || op == Op.EDGE_LENGTH) && s.fields.isEmpty()) {
        op = Op.SET_BYTE;
      }
      unitOp |= moves;
      ops.add(op);
    }
    ops.sort(null); // enum order: in place, unit, anywhere
    Mutant m = new Mutant(sample.clone());
    for (Op op : ops) {
      apply(op, m, s, r);
    }
    return m;
  }

  static void apply(Op op, Mutant m, SampleStructure s, Random r) {
    byte[] b = m.bytes;
    int n = b.length;
    switch (op) {
      case FLIP_BIT:
        {
          if (n > 0) {
            int at = r.nextInt(n);
            int bit = r.nextInt(8);
            b[at] ^= (byte) (1 << bit);
            m.step("flip bit " + bit + " at " + at);
          }
          return;
        }
      case SET_BYTE:
        {
          if (n > 0) {
            int at = r.nextInt(n);
            b[at] = SPECIAL[r.nextInt(SPECIAL.length)];
            m.step("set " + at + " to " + HexFormat.of().toHexDigits(b[at]));
          }
          return;
        }
      case HUGE_LENGTH:
        {
          SampleStructure.Field f = s.fields.get(r.nextInt(s.fields.size()));
          long[] huge = f.hugeValues();
          setLength(m, f, huge[r.nextInt(huge.length)]);
          return;
        }
      case EDGE_LENGTH:
        {
          SampleStructure.Field f = s.fields.get(r.nextInt(s.fields.size()));
          long[] edges = edgeValues(s, f, b);
          setLength(m, f, edges[r.nextInt(edges.length)]);
          return;
        }
      case DUPLICATE_UNIT:
        duplicate(m, s, r.nextInt(s.units.size()), r.nextBoolean());
        return;
      case DELETE_UNIT:
        delete(m, s, r.nextInt(s.units.size()), r.nextBoolean());
        return;
      case CUT_UNIT:
        {
          int index = r.nextInt(s.units.size());
          SampleStructure.Unit u = s.units.get(index);
          int bodyStart = Math.min(u.end(), u.start() + u.header());
          cut(m, s, index, bodyStart + r.nextInt(u.end() - bodyStart + 1));
          return;
        }
      case TRUNCATE:
        {
          if (!s.units.isEmpty() && r.nextBoolean()) {
            int[] points = cutPoints(s.units.get(r.nextInt(s.units.size())));
            truncate(m, points[r.nextInt(points.length)]);
          } else {
            truncate(m, n == 0 ? 0 : r.nextInt(n));
          }
          return;
        }
      case INSERT:
        {
          int at = r.nextInt(n + 1);
          byte[] inserted = new byte[1 + r.nextInt(16)];
          if (r.nextBoolean()) {
            r.nextBytes(inserted);
          } else {
            Arrays.fill(inserted, SPECIAL[r.nextInt(SPECIAL.length)]);
          }
          byte[] out = new byte[n + inserted.length];
          System.arraycopy(b, 0, out, 0, at);
          System.arraycopy(inserted, 0, out, at, inserted.length);
          System.arraycopy(b, at, out, at + inserted.length, n - at);
          m.bytes = out;
          m.step("insert " + HexFormat.of().formatHex(inserted) + " at " + at);
          return;
        }
      case DELETE:
        {
          if (n > 0) {
            int at = r.nextInt(n);
            int length = Math.min(n - at, 1 + r.nextInt(16));
            byte[] out = new byte[n - length];
            System.arraycopy(b, 0, out, 0, at);
            System.arraycopy(b, at + length, out, at, n - at - length);
            m.bytes = out;
            m.step("delete " + length + " bytes at " + at);
          }
          return;
        }
      default:
        throw new AssertionError(op);
    }
  }
}
