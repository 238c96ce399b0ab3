package io.axon.buffer;

import io.axon.buffer.spi.BufferTranscoder;
import io.axon.buffer.spi.Priority;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.TreeMap;

/**
 * Finds and runs chains of {@link BufferTranscoder}s: {@code wav → mulaw8} may run as {@code wav →
 * pcm16 → mulaw8} when no transcoder does it in one step.
 *
 * <h2>Where transcoders come from</h2>
 *
 * {@link #global()} loads every {@link BufferTranscoder} visible through {@link ServiceLoader}
 * (thread context class loader and this class's loader) on first use; {@link #load(ClassLoader)}
 * adds those of JARs loaded later; {@link #register(BufferTranscoder)} adds one built in code. As
 * in {@link BufferKindRegistry}, each transcoder is isolated: one that cannot be loaded or
 * instantiated, or whose {@code from()}/{@code to()}/{@code priority()} throws (or {@code
 * from()}/{@code to()} returns null), is skipped and reported in {@link #problems()}; the others
 * load. Discovered transcoders are de-duplicated by class (a child class loader sees its parent's
 * too).
 *
 * <h2>Conflicts</h2>
 *
 * When two transcoders convert between the same pair of kinds, the higher declared {@link
 * BufferTranscoder#priority()} wins ("ours before theirs": the library's own declare {@link
 * io.axon.buffer.spi.Priority#BUILT_IN}, a plugin by default {@link
 * io.axon.buffer.spi.Priority#DEFAULT}; a package name decides nothing), then the lower class name,
 * then the earlier registration; the conflict is reported ({@link
 * RegistryProblem.Type#TRANSCODER_CONFLICT}, or {@link RegistryProblem.Type#BUILT_IN_OVERRIDDEN}
 * when the winner took the pair from a built-in transcoder), never thrown.
 *
 * <h2>Chains</h2>
 *
 * {@link #path} is a breadth-first search over the kinds, so the chain has the fewest steps; among
 * chains of equal length the one whose kinds come first in slug order wins, so the answer is the
 * same on every run. {@link #transcode} runs the chain, closing every intermediate buffer (also
 * when a step fails); the input is borrowed and never closed; the result belongs to the caller.
 *
 * <h2>Rate changes</h2>
 *
 * A transcoder whose source and target kinds are equal ({@code pcm16 → pcm16}) is a <em>rate
 * step</em>: it converts content of its kind from the sample rate {@link TranscodeOptions#rate()}
 * (or the one its header gives) to {@link TranscodeOptions#targetRate()}. It is never part of a
 * chain unless the options ask for a target rate; then every chain runs through exactly one: the
 * shortest {@code from → K → K → to} over the kinds {@code K} that have one, the earlier rate step
 * among chains of equal length (the source's header still says the rate), then the lower slug. The
 * steps after it see the target rate as their {@link TranscodeOptions#rate()}, so {@code mulaw8 →
 * wav} at a target rate runs as {@code mulaw8 → pcm16 → pcm16 (resampled) → wav} with the new rate
 * in the header. See {@link #path(BufferKind, BufferKind, TranscodeOptions)}.
 *
 * <h2>Threads and cost</h2>
 *
 * Reads never lock: they see an immutable snapshot that registration replaces atomically. A path
 * search costs a breadth-first walk over the (few) registered kinds.
 */
public final class Transcoders {

  private final ServiceRegistry<BufferTranscoder, Entry, State> transcoders =
      new ServiceRegistry<>(
          BufferTranscoder.class,
          "transcoder",
          List.of(),
          Transcoders::admit,
          State::derive,
          s -> s.conflicts);

  private Transcoders() {}

  /**
   * The process-wide instance: every transcoder visible through {@link ServiceLoader}.
   *
   * @return the one process-wide instance
   */
  public static Transcoders global() {
    return GlobalHolder.INSTANCE;
  }

  private static final class GlobalHolder {
    static final Transcoders INSTANCE = createGlobal();

    private static Transcoders createGlobal() {
      Transcoders transcoders = new Transcoders();
      ServiceDiscovery.fromDefaultLoaders(transcoders::load);
      return transcoders;
    }
  }

  /**
   * An instance with no transcoders; load or register them.
   *
   * @return a new instance
   */
  public static Transcoders empty() {
    return new Transcoders();
  }

  /**
   * An instance with the transcoders visible from {@code loader}.
   *
   * @param loader where to look for transcoders
   * @return a new instance
   */
  public static Transcoders loading(ClassLoader loader) {
    Transcoders transcoders = new Transcoders();
    transcoders.load(loader);
    return transcoders;
  }

  /**
   * Adds every {@link BufferTranscoder} visible through {@link ServiceLoader} from {@code loader}.
   * Classes already loaded are skipped silently; failures are reported and skipped.
   *
   * @param loader where to look for transcoders
   * @return the transcoders added and the problems found
   */
  public LoadResult load(ClassLoader loader) {
    return transcoders.load(loader);
  }

  /**
   * Adds one transcoder instance built in code. Unlike discovered transcoders, several instances of
   * one class may be registered (a parameterised transcoder); registering the same instance twice
   * does nothing.
   *
   * @param transcoder the transcoder
   * @return the transcoder added (none if this instance was added already) and the problems found
   */
  public LoadResult register(BufferTranscoder transcoder) {
    return transcoders.register(transcoder, false);
  }

  /** The entry of one transcoder, or null (reported) when its declarations cannot be used. */
  private static List<Entry> admit(
      BufferTranscoder t, String name, String origin, List<RegistryProblem> problems) {
    BufferKind from;
    BufferKind to;
    int priority;
    try {
      from = t.from();
      to = t.to();
      priority = t.priority();
    } catch (RuntimeException | LinkageError e) {
      problems.add(
          new RegistryProblem(
              RegistryProblem.Type.PROVIDER_FAILED,
              name,
              "from()/to()/priority() threw " + e + "; transcoder skipped",
              e));
      return null;
    }
    if (from == null || to == null) {
      problems.add(
          new RegistryProblem(
              RegistryProblem.Type.PROVIDER_FAILED,
              name,
              "from() or to() returned null; transcoder skipped",
              null));
      return null;
    }
    return List.of(new Entry(new TranscoderRegistration(t, from, to, priority, origin), name));
  }

  // ---------------------------------------------------------------- reads

  /**
   * {@return the transcoders in use (conflict winners), sorted by source kind, then target kind}
   */
  public List<BufferTranscoder> transcoders() {
    return transcoders.state().winners;
  }

  /**
   * {@return the transcoders in use (conflict winners) with what they declared and where their
   * classes came from, sorted by source kind, then target kind}
   */
  public List<TranscoderRegistration> registrations() {
    return transcoders.state().registrations;
  }

  /**
   * The transcoder that converts {@code from} to {@code to} in one step, if any.
   *
   * @param from the source kind
   * @param to the target kind
   * @return the winning one-step transcoder, or empty
   */
  public Optional<BufferTranscoder> direct(BufferKind from, BufferKind to) {
    Map<BufferKind, Entry> out = transcoders.state().graph.get(from);
    Entry e = out == null ? null : out.get(to);
    return Optional.ofNullable(e == null ? null : e.transcoder);
  }

  /**
   * The shortest chain of transcoders from {@code from} to {@code to}: empty list when the kinds
   * are equal, empty {@link Optional} when no chain exists.
   *
   * @param from the source kind
   * @param to the target kind
   * @return the transcoders to apply in order, or empty
   */
  public Optional<List<BufferTranscoder>> path(BufferKind from, BufferKind to) {
    return chain(transcoders.state(), from, to).map(Transcoders::transcodersOf);
  }

  /**
   * The chain {@link #transcode} runs with {@code options}: as {@link #path(BufferKind,
   * BufferKind)} without a target rate; with one, the shortest chain through one rate step (see the
   * class documentation), empty {@link Optional} when no kind on a way from {@code from} to {@code
   * to} has a rate step.
   *
   * @param from the kind of the content
   * @param to the kind asked for
   * @param options the options the chain would run with
   * @return the transcoders in the order they would run
   */
  public Optional<List<BufferTranscoder>> path(
      BufferKind from, BufferKind to, TranscodeOptions options) {
    Objects.requireNonNull(options, "options");
    return chain(transcoders.state(), from, to, options).map(Transcoders::transcodersOf);
  }

  private static List<BufferTranscoder> transcodersOf(List<Entry> entries) {
    List<BufferTranscoder> out = new ArrayList<>(entries.size());
    for (Entry e : entries) {
      out.add(e.transcoder);
    }
    return List.copyOf(out);
  }

  /** The chain for {@code options}: through one rate step when they ask for a target rate. */
  private static Optional<List<Entry>> chain(
      State state, BufferKind from, BufferKind to, TranscodeOptions options) {
    if (options.targetRate().isEmpty()) {
      return chain(state, from, to);
    }
    List<Entry> best = null;
    int bestBefore = 0;
    for (Map.Entry<BufferKind, Map<BufferKind, Entry>> source : state.graph.entrySet()) {
      Entry step = source.getValue().get(source.getKey()); // a rate step; kinds in slug order
      if (step == null) {
        continue;
      }
      Optional<List<Entry>> before = chain(state, from, step.from);
      Optional<List<Entry>> after = chain(state, step.to, to);
      if (before.isEmpty() || after.isEmpty()) {
        continue;
      }
      int length = before.get().size() + 1 + after.get().size();
      if (best == null
          || length < best.size()
          || (length == best.size() && before.get().size() < bestBefore)) {
        best = new ArrayList<>(before.get());
        best.add(step);
        best.addAll(after.get());
        bestBefore = before.get().size();
      }
    }
    return Optional.ofNullable(best);
  }

  private static Optional<List<Entry>> chain(State state, BufferKind from, BufferKind to) {
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    if (from.equals(to)) {
      return Optional.of(List.of());
    }
    Map<BufferKind, Map<BufferKind, Entry>> graph = state.graph;
    Map<BufferKind, Entry> reachedBy = new HashMap<>();
    ArrayDeque<BufferKind> queue = new ArrayDeque<>();
    queue.add(from);
    reachedBy.put(from, null);
    while (!queue.isEmpty()) {
      Map<BufferKind, Entry> out = graph.get(queue.poll());
      if (out == null) {
        continue;
      }
      for (Entry edge : out.values()) { // sorted by target slug
        if (reachedBy.containsKey(edge.to)) {
          continue;
        }
        reachedBy.put(edge.to, edge);
        if (edge.to.equals(to)) {
          List<Entry> chain = new ArrayList<>();
          for (Entry e = edge; e != null; e = reachedBy.get(e.from)) {
            chain.add(e);
          }
          Collections.reverse(chain);
          return Optional.of(chain);
        }
        queue.add(edge.to);
      }
    }
    return Optional.empty();
  }

  /**
   * Whether some chain converts {@code from} to {@code to} (always true for equal kinds).
   *
   * @param from the source kind
   * @param to the target kind
   * @return true if {@link #path} finds a chain
   */
  public boolean canTranscode(BufferKind from, BufferKind to) {
    return path(from, to).isPresent();
  }

  /**
   * Converts {@code input}, read as its own kind, to {@code to}. See {@link
   * #transcode(ZeroCopyBuffer, BufferKind, BufferKind, TranscodeOptions, BufferAllocator)}.
   *
   * @param input the content, read as its own kind; borrowed, not closed
   * @param to the target kind
   * @param options what the steps need beyond the bytes (rate, channels)
   * @param allocator the memory the steps build their output in, and its tenant
   * @return a new view of kind {@code to}, which the caller must close
   * @throws NoTranscoderPathException if no chain leads from the input's kind to {@code to}
   * @throws MalformedContentException if a step finds the content invalid
   * @throws IllegalArgumentException if a step needs an option that is missing or invalid
   */
  public ZeroCopyBuffer transcode(
      ZeroCopyBuffer input, BufferKind to, TranscodeOptions options, BufferAllocator allocator) {
    return transcode(input, input.kind(), to, options, allocator);
  }

  /**
   * Converts {@code input}, read as kind {@code from} (whatever its tag says), to {@code to},
   * through the shortest chain.
   *
   * <p>The input is borrowed: it is neither closed nor kept, except through views the result holds.
   * Every intermediate buffer is closed, also when a step fails. When {@code from} equals {@code
   * to} and the options ask for no target rate, the result is a new view of the input (no copy)
   * tagged {@code to}. With a target rate the chain runs through one rate step (see the class
   * documentation).
   *
   * @param input the content; borrowed, not closed
   * @param from the kind to read the input as
   * @param to the target kind
   * @param options what the steps need beyond the bytes (rate, channels)
   * @param allocator the memory the steps build their output in, and its tenant
   * @return a new view of kind {@code to}, which the caller must close
   * @throws NoTranscoderPathException if no chain leads from {@code from} to {@code to}
   * @throws MalformedContentException if a step finds the content invalid
   * @throws IllegalArgumentException if a step needs an option that is missing or invalid
   */
  public ZeroCopyBuffer transcode(
      ZeroCopyBuffer input,
      BufferKind from,
      BufferKind to,
      TranscodeOptions options,
      BufferAllocator allocator) {
    Objects.requireNonNull(input, "input");
    Objects.requireNonNull(options, "options");
    Objects.requireNonNull(allocator, "allocator");
    State s = transcoders.state();
    List<Entry> chain =
        chain(s, from, to, options)
            .orElseThrow(
                () ->
                    new NoTranscoderPathException(
                        from,
                        to,
                        s.description
                            + (options.targetRate().isPresent()
                                ? " (a target rate needs a chain through a rate step K->K)"
                                : "")));
    if (chain.isEmpty()) {
      return input.kind().equals(to) ? input.share() : input.retag(to);
    }
    ZeroCopyBuffer current = input.kind().equals(from) ? input : input.retag(from);
    boolean owned = current != input;
    TranscodeOptions stepOptions = options;
    for (Entry step : chain) {
      ZeroCopyBuffer next;
      try {
        next = step.transcoder.transcode(current, stepOptions, allocator);
      } finally {
        if (owned) {
          current.close();
        }
      }
      if (next == null) {
        throw new IllegalStateException(
            "transcoder "
                + step.className
                + " ("
                + step.from
                + " -> "
                + step.to
                + ") returned null");
      }
      if (!next.kind().equals(step.to)) {
        ZeroCopyBuffer tagged;
        try {
          tagged = next.retag(step.to);
        } finally {
          next.close();
        }
        next = tagged;
      }
      current = next;
      owned = true;
      if (step.from.equals(step.to)) { // the rate step: the steps after it see the new rate
        stepOptions = stepOptions.withRate(options.targetRate().getAsInt());
      }
    }
    return current;
  }

  /** {@return the transcoders skipped at load time and the conflicts resolved, oldest first} */
  public List<RegistryProblem> problems() {
    return transcoders.problems();
  }

  @Override
  public String toString() {
    return "Transcoders{" + transcoders.state().description + "}";
  }

  // ---------------------------------------------------------------- internals

  /** One transcoder with what it declared when it was added. */
  private static final class Entry {
    final TranscoderRegistration registration;
    final BufferTranscoder transcoder;
    final BufferKind from;
    final BufferKind to;
    final String className;
    final int priority;

    Entry(TranscoderRegistration registration, String className) {
      this.registration = registration;
      this.transcoder = registration.transcoder();
      this.from = registration.from();
      this.to = registration.to();
      this.className = className;
      this.priority = registration.priority();
    }
  }

  /** The higher priority, then the lower class name; ties keep the order of registration. */
  private static final Comparator<Entry> RANKING =
      Comparator.<Entry>comparingInt(e -> -e.priority).thenComparing(e -> e.className);

  /** The tables readers use, derived from every entry at each change. */
  private static final class State {
    final List<RegistryProblem> conflicts;
    final Map<BufferKind, Map<BufferKind, Entry>> graph;
    final List<BufferTranscoder> winners;
    final List<TranscoderRegistration> registrations;
    final String description;

    private State(
        List<RegistryProblem> conflicts,
        Map<BufferKind, Map<BufferKind, Entry>> graph,
        List<TranscoderRegistration> registrations,
        String description) {
      this.conflicts = conflicts;
      this.graph = graph;
      this.registrations = registrations;
      List<BufferTranscoder> transcoders = new ArrayList<>(registrations.size());
      for (TranscoderRegistration r : registrations) {
        transcoders.add(r.transcoder());
      }
      this.winners = List.copyOf(transcoders);
      this.description = description;
    }

    static State derive(List<Entry> entries) {
      Map<BufferKind, Map<BufferKind, List<Entry>>> byPair = new TreeMap<>();
      for (Entry e : entries) {
        byPair
            .computeIfAbsent(e.from, k -> new TreeMap<>())
            .computeIfAbsent(e.to, k -> new ArrayList<>())
            .add(e);
      }
      Map<BufferKind, Map<BufferKind, Entry>> graph = new LinkedHashMap<>();
      List<TranscoderRegistration> winners = new ArrayList<>();
      List<String> pairs = new ArrayList<>();
      List<RegistryProblem> conflicts = new ArrayList<>();
      for (Map.Entry<BufferKind, Map<BufferKind, List<Entry>>> source : byPair.entrySet()) {
        Map<BufferKind, Entry> out = new LinkedHashMap<>();
        for (Map.Entry<BufferKind, List<Entry>> pair : source.getValue().entrySet()) {
          List<Entry> ranked = pair.getValue();
          ranked.sort(RANKING);
          Entry winner = ranked.get(0);
          out.put(pair.getKey(), winner);
          winners.add(winner.registration);
          pairs.add(winner.from + "->" + winner.to);
          if (ranked.size() > 1) {
            List<String> names = new ArrayList<>();
            Entry builtInLoser = null;
            for (Entry e : ranked) {
              names.add(e.className + " (priority " + e.priority + ")");
              if (builtInLoser == null
                  && e.priority == Priority.BUILT_IN
                  && !e.className.equals(winner.className)) {
                builtInLoser = e;
              }
            }
            conflicts.add(
                new RegistryProblem(
                    builtInLoser == null
                        ? RegistryProblem.Type.TRANSCODER_CONFLICT
                        : RegistryProblem.Type.BUILT_IN_OVERRIDDEN,
                    source.getKey() + "->" + pair.getKey(),
                    (builtInLoser == null
                            ? ""
                            : winner.className
                                + " takes the pair from the built-in "
                                + builtInLoser.className
                                + ": ")
                        + "converted by "
                        + String.join(", ", names)
                        + "; "
                        + winner.className
                        + " wins",
                    null));
          }
        }
        graph.put(source.getKey(), Collections.unmodifiableMap(out));
      }
      return new State(
          List.copyOf(conflicts),
          Collections.unmodifiableMap(graph),
          List.copyOf(winners),
          pairs.isEmpty() ? "none" : String.join(", ", pairs));
    }
  }
}
