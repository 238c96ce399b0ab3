package io.axon.buffer;

import io.axon.buffer.spi.BufferKindProvider;
import io.axon.buffer.spi.Priority;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.ToIntFunction;

/**
 * The open registry of kinds: what each kind is called, its media types and extensions, and how to
 * recognise and inspect it.
 *
 * <h2>Where kinds come from</h2>
 *
 * <ul>
 *   <li>{@code raw} is built in.
 *   <li>{@link #global()} loads every {@link BufferKindProvider} visible through {@link
 *       ServiceLoader} on first use (class path and module path alike).
 *   <li>{@link #load(ClassLoader)} adds the providers of JARs loaded later (plugins).
 *   <li>{@link #register(KindDescriptor)} adds a kind defined in code.
 * </ul>
 *
 * <p>Each provider is isolated: one that cannot be found or instantiated, whose {@code kinds()}
 * throws, or that returns an invalid descriptor is skipped and reported in {@link #problems()}; the
 * others load. Providers are de-duplicated by class (a child class loader sees its parent's
 * providers too), and a second class with an already loaded provider's name is skipped and
 * reported.
 *
 * <h2>Conflicts</h2>
 *
 * When two contributors declare the same slug, or two kinds claim the same media type or extension,
 * the winner is decided by these rules, in order, and the conflict is reported in {@link
 * #problems()} (never an exception at lookup time):
 *
 * <ol>
 *   <li>the higher {@link KindDescriptor#priority()}: "ours before theirs" is this declared number
 *       ({@link Priority#BUILT_IN} for {@code raw} and the media module's kinds, {@link
 *       Priority#DEFAULT} for a plugin that does not say otherwise), never a package name;
 *   <li>for a media type or extension: the kind that lists it earlier (its canonical one first);
 *   <li>the provider class name, in {@link String#compareTo} order ({@value #REGISTERED}, the name
 *       of code registrations, sorts before any class name);
 *   <li>the slug;
 *   <li>the order of registration.
 * </ol>
 *
 * A later {@link #register(KindDescriptor)} of a slug replaces an earlier code registration of that
 * slug.
 *
 * <h2>Detection</h2>
 *
 * {@link #detect(ByteBuffer)} runs every sniffer over the head of the content (the first {@value
 * #SNIFF_HEAD_BYTES} bytes, without copying them) and returns the highest score; ties go to the
 * higher {@link KindDescriptor#priority()}, then the lower slug, so a plugin's sniffer that scores
 * {@value KindSniffer#CERTAIN} on everything never wins a built-in kind's full signature match by
 * slug order; {@code raw} with score 0 when nothing scores. A sniffer that throws counts as 0 and
 * is reported once. A file name ({@link #detect(ByteBuffer, String)}) may refine a weak answer,
 * never override a signature (see {@link KindSniffer#SIGNATURE}).
 *
 * <h2>Built-ins taken over</h2>
 *
 * A contribution that takes a slug, media type or extension from a built-in kind (one declared at
 * exactly {@link Priority#BUILT_IN}) is reported as {@link
 * RegistryProblem.Type#BUILT_IN_OVERRIDDEN} rather than as a plain conflict. So is, once per pair,
 * a sniffer that wins content on which a built-in kind's sniffer scored a signature ({@link
 * KindSniffer#SIGNATURE} or more): a plugin that outbids a built-in signature takes that kind's
 * files, and the operator sees it. Winning over a built-in heuristic (JSON, CSV, below {@link
 * KindSniffer#SIGNATURE}) is what a plugin for a dialect (GeoJSON, NDJSON) is for, and is not
 * reported.
 *
 * <h2>Threads and cost</h2>
 *
 * Reads never lock: they see an immutable snapshot, which registration replaces atomically
 * (registrations are serialised). Detection costs one read-only view of the head plus one duplicate
 * per sniffer; lookups are hash lookups.
 */
public final class BufferKindRegistry {

  /** How many bytes of the content sniffers see (when the content is that long). */
  public static final int SNIFF_HEAD_BYTES = 8192;

  /** The provider name of built-in kinds ({@code raw}). */
  public static final String BUILT_IN = "<built-in>";

  /** The provider name of descriptors added with {@link #register(KindDescriptor)}. */
  public static final String REGISTERED = "<registered>";

  private static final KindDescriptor RAW_DESCRIPTOR =
      KindDescriptor.builder(BufferKind.raw())
          .description("Bytes of no declared kind")
          .mediaTypes("application/octet-stream")
          .extensions("bin")
          .priority(Priority.BUILT_IN)
          .build();

  private final ServiceRegistry<BufferKindProvider, Contribution, State> providers =
      new ServiceRegistry<>(
          BufferKindProvider.class,
          "provider",
          List.of(new Contribution(RAW_DESCRIPTOR, BUILT_IN, null)),
          BufferKindRegistry::admit,
          State::derive,
          s -> s.conflicts);

  private BufferKindRegistry() {}

  /**
   * The process-wide registry: {@code raw} plus every provider visible through {@link
   * ServiceLoader} from the thread context class loader and from this class's loader, loaded on
   * first use.
   *
   * @return the one process-wide registry
   */
  public static BufferKindRegistry global() {
    return GlobalHolder.INSTANCE;
  }

  private static final class GlobalHolder {
    static final BufferKindRegistry INSTANCE = createGlobal();

    private static BufferKindRegistry createGlobal() {
      BufferKindRegistry registry = new BufferKindRegistry();
      ServiceDiscovery.fromDefaultLoaders(registry::load);
      return registry;
    }
  }

  /**
   * A registry that knows {@code raw} only; load or register the rest.
   *
   * @return a new registry
   */
  public static BufferKindRegistry empty() {
    return new BufferKindRegistry();
  }

  /**
   * A registry with {@code raw} and the providers visible from {@code loader}.
   *
   * @param loader where to look for providers
   * @return a new registry
   */
  public static BufferKindRegistry loading(ClassLoader loader) {
    BufferKindRegistry registry = new BufferKindRegistry();
    registry.load(loader);
    return registry;
  }

  /**
   * Adds every {@link BufferKindProvider} visible through {@link ServiceLoader} from {@code loader}
   * (for example a {@link java.net.URLClassLoader} over plugin JARs). Providers already loaded are
   * skipped silently; failures are reported and skipped.
   *
   * @param loader where to look for providers
   * @return the providers added and the problems found
   */
  public LoadResult load(ClassLoader loader) {
    return providers.load(loader);
  }

  /**
   * Adds one provider instance (for providers built in code rather than discovered), de-duplicated
   * by class as discovered ones are.
   *
   * @param provider the provider
   * @return the provider added (none if its class was loaded already) and the problems found
   */
  public LoadResult register(BufferKindProvider provider) {
    return providers.register(provider, true);
  }

  /**
   * Adds a kind defined in code, under the provider name {@value #REGISTERED}. It replaces an
   * earlier code registration of the same slug; against providers' descriptors the usual conflict
   * rules apply.
   *
   * @param descriptor the kind
   * @return the registration that now wins for the descriptor's slug (which may be another
   *     provider's, if that one outranks it)
   */
  public KindRegistration register(KindDescriptor descriptor) {
    Objects.requireNonNull(descriptor, "descriptor");
    State updated =
        providers.update(
            members -> {
              members.removeIf(
                  c ->
                      c.provider.equals(REGISTERED)
                          && c.descriptor.kind().equals(descriptor.kind()));
              members.add(new Contribution(descriptor, REGISTERED, null));
              return members;
            });
    return updated.bySlug.get(descriptor.kind());
  }

  /** The valid descriptors of one provider, or null (reported) when it cannot be read at all. */
  private static List<Contribution> admit(
      BufferKindProvider provider, String name, String origin, List<RegistryProblem> problems) {
    Collection<KindDescriptor> kinds;
    try {
      kinds = provider.kinds();
    } catch (RuntimeException | LinkageError e) {
      problems.add(
          new RegistryProblem(
              RegistryProblem.Type.PROVIDER_FAILED,
              name,
              "kinds() threw " + e + "; provider skipped",
              e));
      return null;
    }
    if (kinds == null) {
      problems.add(
          new RegistryProblem(
              RegistryProblem.Type.PROVIDER_FAILED,
              name,
              "kinds() returned null; provider skipped",
              null));
      return null;
    }
    List<KindDescriptor> list;
    try {
      list = new ArrayList<>(kinds);
    } catch (RuntimeException e) {
      problems.add(
          new RegistryProblem(
              RegistryProblem.Type.PROVIDER_FAILED,
              name,
              "its kinds() collection could not be read: " + e + "; provider skipped",
              e));
      return null;
    }
    Set<BufferKind> seen = new HashSet<>();
    List<Contribution> contributions = new ArrayList<>(list.size());
    for (KindDescriptor d : list) {
      if (d == null) {
        problems.add(
            new RegistryProblem(
                RegistryProblem.Type.INVALID_DESCRIPTOR,
                name,
                "kinds() contains a null descriptor; skipped",
                null));
      } else if (!seen.add(d.kind())) {
        problems.add(
            new RegistryProblem(
                RegistryProblem.Type.INVALID_DESCRIPTOR,
                name,
                "declares kind \"" + d.kind() + "\" twice; the second is skipped",
                null));
      } else {
        contributions.add(new Contribution(d, name, origin));
      }
    }
    return contributions;
  }

  // ---------------------------------------------------------------- lookups

  /** {@return every registered kind, winners only, sorted by slug} */
  public List<KindRegistration> registrations() {
    return providers.state().registrations;
  }

  /** {@return every registered kind, sorted by slug} */
  public List<BufferKind> kinds() {
    return providers.state().kinds;
  }

  /**
   * The registration of {@code kind}, if any provider declared it.
   *
   * @param kind the kind to look up
   * @return its winning registration, or empty if nobody declared it
   */
  public Optional<KindRegistration> registration(BufferKind kind) {
    return Optional.ofNullable(providers.state().bySlug.get(kind));
  }

  /**
   * The descriptor of {@code kind}, if any provider declared it.
   *
   * @param kind the kind to look up
   * @return its winning descriptor, or empty if nobody declared it
   */
  public Optional<KindDescriptor> descriptor(BufferKind kind) {
    KindRegistration r = providers.state().bySlug.get(kind);
    return r == null ? Optional.empty() : Optional.of(r.descriptor());
  }

  /**
   * The descriptor of the kind with this slug. Empty for a slug nobody declared, and for a string
   * that is not a valid slug (use {@link BufferKind#of} to get the error).
   *
   * @param slug the slug to look up, may be null
   * @return its winning descriptor, or empty
   */
  public Optional<KindDescriptor> descriptor(String slug) {
    if (slug == null || !BufferKind.isValidSlug(slug)) {
      return Optional.empty();
    }
    return descriptor(BufferKind.of(slug));
  }

  /**
   * The kind that claims {@code mediaType}, parsed as a {@link MediaType}: case-insensitive,
   * parameters ({@code ; charset=utf-8}) and surrounding white space ignored.
   *
   * @param mediaType a media type as a header carries it; may be null
   * @return the winning kind's descriptor; empty when no kind claims the type, and when {@code
   *     mediaType} is null or not a media type (a peer's bad Content-Type claims nothing)
   */
  public Optional<KindDescriptor> byMediaType(String mediaType) {
    MediaType parsed = MediaType.tryParse(mediaType).orElse(null);
    KindRegistration r =
        parsed == null ? null : providers.state().byMediaType.get(parsed.essence());
    return r == null ? Optional.empty() : Optional.of(r.descriptor());
  }

  /**
   * The kinds that claim a file extension, best first (see the conflict rules): case-insensitive,
   * with or without the leading dot.
   *
   * @param extension the extension to look up, may be null
   * @return the descriptors that claim it, best first; empty if none does
   */
  public List<KindDescriptor> byExtension(String extension) {
    if (extension == null) {
      return List.of();
    }
    String e = extension.startsWith(".") ? extension.substring(1) : extension;
    List<KindRegistration> ranked = providers.state().byExtension.get(e.toLowerCase(Locale.ROOT));
    if (ranked == null) {
      return List.of();
    }
    List<KindDescriptor> out = new ArrayList<>(ranked.size());
    for (KindRegistration r : ranked) {
      out.add(r.descriptor());
    }
    return Collections.unmodifiableList(out);
  }

  /**
   * The kinds that claim the extension of a file name or path ({@code "a/b/photo.JPG"}).
   *
   * @param fileName the file name or path, may be null
   * @return the descriptors that claim its extension, best first; empty if none does
   */
  public List<KindDescriptor> byFileName(String fileName) {
    String ext = extensionOf(fileName);
    return ext == null ? List.of() : byExtension(ext);
  }

  static String extensionOf(String fileName) {
    if (fileName == null) {
      return null;
    }
    int slash = Math.max(fileName.lastIndexOf('/'), fileName.lastIndexOf('\\'));
    String base = fileName.substring(slash + 1);
    int dot = base.lastIndexOf('.');
    return dot <= 0 || dot == base.length() - 1 ? null : base.substring(dot + 1);
  }

  /**
   * Everything the registry skipped or resolved on its own, in the order it happened: provider
   * failures, invalid descriptors, duplicate providers, conflicts (with their winners), and
   * sniffers that threw (once each).
   *
   * @return the problems so far, oldest first
   */
  public List<RegistryProblem> problems() {
    return providers.problems();
  }

  // ---------------------------------------------------------------- detection

  /**
   * Detects the kind of {@code content} (from its position to its limit) from its first {@value
   * #SNIFF_HEAD_BYTES} bytes. Neither copies nor moves {@code content}.
   *
   * @param content the bytes to detect
   * @return the kind found ({@code raw} when nothing scored) and its score
   */
  public Detection detect(ByteBuffer content) {
    return detect(content, null);
  }

  /**
   * As {@link #detect(ByteBuffer)}, letting {@code fileName} refine the answer: when no sniffer
   * reached {@link KindSniffer#SIGNATURE}, a kind that both scored above 0 and claims the file's
   * extension is chosen (the best-scoring one); when nothing scored at all, a headerless kind (one
   * without a sniffer, such as {@code mulaw8} for {@code .ul}) that claims the extension is chosen
   * with score 0. A signature answer is never changed. {@code fileName} may be null.
   *
   * @param content the bytes to detect
   * @param fileName the content's file name or path, or null
   * @return the kind found ({@code raw} when nothing scored) and its score
   */
  public Detection detect(ByteBuffer content, String fileName) {
    Objects.requireNonNull(content, "content");
    ByteBuffer head = content.slice();
    if (head.remaining() > SNIFF_HEAD_BYTES) {
      head.limit(SNIFF_HEAD_BYTES);
    }
    head = head.asReadOnlyBuffer();
    State s = providers.state();
    Sniffing[] sniffers = s.sniffers;
    int[] scores = fileName == null ? null : new int[sniffers.length];
    int bestIndex = -1;
    int bestScore = 0;
    int builtInIndex = -1;
    int builtInScore = 0;
    for (int i = 0; i < sniffers.length; i++) {
      Sniffing sniffing = sniffers[i];
      int score = run(sniffing, head.duplicate());
      if (scores != null) {
        scores[i] = score;
      }
      if (score > bestScore) { // ties: the earlier, so the higher priority, then the lower slug
        bestScore = score;
        bestIndex = i;
      }
      if (sniffing.builtIn && score > builtInScore) {
        builtInScore = score;
        builtInIndex = i;
      }
    }
    if (builtInScore >= KindSniffer.SIGNATURE && bestIndex != builtInIndex) {
      reportTakeover(sniffers[bestIndex], bestScore, sniffers[builtInIndex], builtInScore);
    }
    if (fileName != null && bestScore < KindSniffer.SIGNATURE) {
      Detection refined = refineByName(s, sniffers, scores, bestScore, fileName);
      if (refined != null) {
        return refined;
      }
    }
    return bestIndex < 0
        ? new Detection(BufferKind.raw(), 0, Detection.Basis.NOTHING)
        : new Detection(sniffers[bestIndex].kind, bestScore, Detection.Basis.CONTENT);
  }

  private static Detection refineByName(
      State s, Sniffing[] sniffers, int[] scores, int bestScore, String fileName) {
    String ext = extensionOf(fileName);
    List<KindRegistration> candidates =
        ext == null ? null : s.byExtension.get(ext.toLowerCase(Locale.ROOT));
    if (candidates == null) {
      return null;
    }
    if (bestScore > 0) {
      BufferKind chosen = null;
      int chosenScore = 0;
      for (KindRegistration candidate : candidates) {
        for (int i = 0; i < sniffers.length; i++) {
          if (sniffers[i].kind.equals(candidate.kind()) && scores[i] > chosenScore) {
            chosen = candidate.kind();
            chosenScore = scores[i];
          }
        }
      }
      return chosen == null
          ? null
          : new Detection(chosen, chosenScore, Detection.Basis.CONTENT_AND_NAME);
    }
    for (KindRegistration candidate : candidates) {
      if (candidate.descriptor().sniffer().isEmpty() && !candidate.kind().isRaw()) {
        return new Detection(candidate.kind(), 0, Detection.Basis.NAME);
      }
    }
    return null;
  }

  /** Reports, once per pair, a kind that won content a built-in kind's signature recognised. */
  private void reportTakeover(Sniffing winner, int score, Sniffing builtIn, int builtInScore) {
    providers.reportOnce(
        "takeover " + winner.kind.slug() + " " + winner.provider + " " + builtIn.kind.slug(),
        () ->
            new RegistryProblem(
                RegistryProblem.Type.BUILT_IN_OVERRIDDEN,
                winner.provider,
                "the sniffer of kind \""
                    + winner.kind
                    + "\" (priority "
                    + winner.priority
                    + ") took content that the built-in kind \""
                    + builtIn.kind
                    + "\" recognises by its signature (score "
                    + score
                    + " against "
                    + builtInScore
                    + "); reported once",
                null));
  }

  private int run(Sniffing sniffing, ByteBuffer head) {
    try {
      int score = sniffing.sniffer.sniff(head);
      return score < 0 ? 0 : Math.min(score, KindSniffer.CERTAIN);
    } catch (RuntimeException | Error e) {
      rethrowIfJvmFailure(e);
      providers.reportOnce(
          "sniffer " + sniffing.kind.slug() + " " + sniffing.provider,
          () ->
              new RegistryProblem(
                  RegistryProblem.Type.SNIFFER_FAILED,
                  sniffing.provider,
                  "sniffer of kind \""
                      + sniffing.kind
                      + "\" threw "
                      + e
                      + "; it counts as 0 (reported once)",
                  e));
      return 0;
    }
  }

  /**
   * Detects the kind of a buffer from its first {@value #SNIFF_HEAD_BYTES} bytes, without copying
   * them (a composite buffer whose head spans several pieces is consolidated, at most {@value
   * #SNIFF_HEAD_BYTES} bytes). The buffer stays open.
   *
   * @param buffer the bytes to detect
   * @return the kind found ({@code raw} when nothing scored) and its score
   */
  public Detection detect(ZeroCopyBuffer buffer) {
    return detect(buffer, null);
  }

  /**
   * As {@link #detect(ZeroCopyBuffer)}, with a file name (see {@link #detect(ByteBuffer, String)}).
   *
   * @param buffer the bytes to detect
   * @param fileName the content's file name or path, or null
   * @return the kind found ({@code raw} when nothing scored) and its score
   */
  public Detection detect(ZeroCopyBuffer buffer, String fileName) {
    int n = Math.min(buffer.length(), SNIFF_HEAD_BYTES);
    try (ZeroCopyBuffer head = buffer.slice(0, n)) {
      return detect(head.asReadOnlyByteBuffer(), fileName);
    }
  }

  /**
   * Runs the inspector of {@code kind} over {@code content} (from its position to its limit, which
   * is not moved).
   *
   * @param kind the kind whose inspector reads the content
   * @param content the bytes to inspect
   * @return the facts, or empty if the kind has no inspector
   * @throws MalformedContentException if the content is not valid; an inspector that fails with
   *     another exception is reported the same way, naming its provider
   */
  public Optional<Map<String, Object>> inspect(BufferKind kind, ByteBuffer content) {
    KindRegistration r = providers.state().bySlug.get(kind);
    if (r == null || r.descriptor().inspector().isEmpty()) {
      return Optional.empty();
    }
    ByteBuffer view = content.slice().asReadOnlyBuffer();
    try {
      Map<String, Object> facts = r.descriptor().inspector().get().inspect(view);
      return Optional.of(facts == null ? Map.of() : facts);
    } catch (MalformedContentException e) {
      throw e;
    } catch (RuntimeException | Error e) {
      rethrowIfJvmFailure(e);
      throw new MalformedContentException(
          kind,
          MalformedContentException.NO_OFFSET,
          "inspector of provider " + r.provider() + " failed: " + e,
          e);
    }
  }

  /**
   * Runs the inspector of the buffer's own kind over its bytes (see {@link #inspect(BufferKind,
   * ByteBuffer)}).
   *
   * @param buffer the bytes to inspect, read through their own kind's inspector
   * @return the facts, or empty if the kind has no inspector
   * @throws MalformedContentException if the content is not valid
   */
  public Optional<Map<String, Object>> inspect(ZeroCopyBuffer buffer) {
    return inspect(buffer.kind(), buffer.asReadOnlyByteBuffer());
  }

  // ---------------------------------------------------------------- internals

  /**
   * A plugin's bug, whatever it throws, is contained by the caller (a sniffer's counts as 0, an
   * inspector's becomes a {@link MalformedContentException}). Only the JVM's own failures (out of
   * memory, internal errors) pass, rethrown here; a stack overflow is the plugin's.
   */
  private static void rethrowIfJvmFailure(Throwable e) {
    if (e instanceof VirtualMachineError && !(e instanceof StackOverflowError)) {
      throw (VirtualMachineError) e;
    }
  }

  /** One descriptor as one contributor declared it. */
  private static final class Contribution {
    final KindDescriptor descriptor;
    final String provider;
    final String origin;

    Contribution(KindDescriptor descriptor, String provider, String origin) {
      this.descriptor = descriptor;
      this.provider = provider;
      this.origin = origin;
    }

    KindRegistration registration() {
      return new KindRegistration(descriptor, provider, origin);
    }

    String describe() {
      return provider + " (priority " + descriptor.priority() + ")";
    }

    /** Declared at exactly {@link Priority#BUILT_IN}: one of the library's own kinds. */
    boolean isBuiltIn() {
      return descriptor.priority() == Priority.BUILT_IN;
    }
  }

  /**
   * The conflict rules as an order, best first; contributions that tie on all of them keep the
   * order they were added in (the sort is stable).
   */
  private static Comparator<Contribution> ranking(ToIntFunction<Contribution> position) {
    return Comparator.<Contribution>comparingInt(c -> -c.descriptor.priority())
        .thenComparingInt(position)
        .thenComparing(c -> c.provider)
        .thenComparing(c -> c.descriptor.slug());
  }

  /** A sniffer with the kind it answers for. */
  private static final class Sniffing {
    final BufferKind kind;
    final KindSniffer sniffer;
    final String provider;
    final int priority;
    final boolean builtIn;

    Sniffing(Contribution c, KindSniffer sniffer) {
      this.kind = c.descriptor.kind();
      this.sniffer = sniffer;
      this.provider = c.provider;
      this.priority = c.descriptor.priority();
      this.builtIn = c.isBuiltIn();
    }
  }

  /** An immutable snapshot: everything readers need, derived once per registration. */
  private static final class State {
    final List<RegistryProblem> conflicts;
    final Map<BufferKind, KindRegistration> bySlug;
    final List<KindRegistration> registrations;
    final List<BufferKind> kinds;
    final Map<String, KindRegistration> byMediaType;
    final Map<String, List<KindRegistration>> byExtension;
    final Sniffing[] sniffers;

    private State(
        List<RegistryProblem> conflicts,
        Map<BufferKind, KindRegistration> bySlug,
        Map<String, KindRegistration> byMediaType,
        Map<String, List<KindRegistration>> byExtension,
        Sniffing[] sniffers) {
      this.conflicts = conflicts;
      this.bySlug = bySlug;
      this.registrations = List.copyOf(bySlug.values());
      this.kinds = List.copyOf(bySlug.keySet());
      this.byMediaType = byMediaType;
      this.byExtension = byExtension;
      this.sniffers = sniffers;
    }

    static State derive(List<Contribution> contributions) {
      List<RegistryProblem> conflicts = new ArrayList<>();

      Map<BufferKind, KindRegistration> bySlug = new LinkedHashMap<>();
      List<Contribution> winners = new ArrayList<>();
      for (Map.Entry<BufferKind, List<Contribution>> e :
          rankedClaims(contributions, c -> List.of(c.descriptor.kind())).entrySet()) {
        List<Contribution> group = e.getValue();
        Contribution winner = group.get(0);
        winners.add(winner);
        bySlug.put(e.getKey(), winner.registration());
        if (group.size() > 1) {
          conflicts.add(
              conflict(
                  RegistryProblem.Type.SLUG_CONFLICT,
                  e.getKey().slug(),
                  "the slug",
                  group,
                  "declared by " + describeAll(group) + "; " + winner.provider + " wins"));
        }
      }

      Map<String, KindRegistration> byMediaType = new HashMap<>();
      for (Map.Entry<String, List<Contribution>> e :
          rankedClaims(winners, c -> c.descriptor.mediaTypes()).entrySet()) {
        List<Contribution> ranked = e.getValue();
        String type = e.getKey();
        byMediaType.put(type, ranked.get(0).registration());
        if (ranked.size() > 1) {
          conflicts.add(
              conflict(
                  RegistryProblem.Type.MEDIA_TYPE_CONFLICT,
                  type,
                  "media type " + type,
                  ranked,
                  "claimed by kinds "
                      + slugs(ranked)
                      + "; \""
                      + ranked.get(0).descriptor.kind()
                      + "\" wins"));
        }
      }

      Map<String, List<KindRegistration>> byExtension = new HashMap<>();
      for (Map.Entry<String, List<Contribution>> e :
          rankedClaims(winners, c -> c.descriptor.extensions()).entrySet()) {
        List<Contribution> ranked = e.getValue();
        String ext = e.getKey();
        List<KindRegistration> list = new ArrayList<>(ranked.size());
        for (Contribution c : ranked) {
          list.add(c.registration());
        }
        byExtension.put(ext, List.copyOf(list));
        if (ranked.size() > 1) {
          conflicts.add(
              conflict(
                  RegistryProblem.Type.EXTENSION_CONFLICT,
                  "." + ext,
                  "extension ." + ext,
                  ranked,
                  "claimed by kinds " + slugs(ranked) + ", ranked in that order"));
        }
      }

      // In slug order (winners are), then stably by priority: the first of equal scores wins.
      List<Sniffing> sniffers = new ArrayList<>();
      for (Contribution w : winners) {
        w.descriptor.sniffer().ifPresent(s -> sniffers.add(new Sniffing(w, s)));
      }
      sniffers.sort(Comparator.comparingInt(sn -> -sn.priority));
      return new State(
          List.copyOf(conflicts),
          Collections.unmodifiableMap(bySlug),
          Map.copyOf(byMediaType),
          Map.copyOf(byExtension),
          sniffers.toArray(new Sniffing[0]));
    }

    /**
     * The contributors of each key (slug, media type or extension) they claim, keys in order, each
     * group ranked by the conflict rules, best first (the position rule uses the key's place in the
     * contributor's own list).
     */
    private static <K extends Comparable<K>> Map<K, List<Contribution>> rankedClaims(
        List<Contribution> contributions, Function<Contribution, List<K>> keys) {
      Map<K, List<Contribution>> out = new TreeMap<>();
      for (Contribution c : contributions) {
        for (K key : keys.apply(c)) {
          out.computeIfAbsent(key, k -> new ArrayList<>()).add(c);
        }
      }
      out.forEach((key, group) -> group.sort(ranking(c -> keys.apply(c).indexOf(key))));
      return out;
    }

    /**
     * The problem for a claim several contributions make, best first: {@code type}, or {@link
     * RegistryProblem.Type#BUILT_IN_OVERRIDDEN} when the winner took the claim from a built-in.
     */
    private static RegistryProblem conflict(
        RegistryProblem.Type type,
        String claim,
        String what,
        List<Contribution> ranked,
        String resolution) {
      Contribution winner = ranked.get(0);
      for (Contribution loser : ranked.subList(1, ranked.size())) {
        if (loser.isBuiltIn() && !winner.provider.equals(loser.provider)) {
          return new RegistryProblem(
              RegistryProblem.Type.BUILT_IN_OVERRIDDEN,
              claim,
              "kind \""
                  + winner.descriptor.kind()
                  + "\" of "
                  + winner.describe()
                  + " takes "
                  + what
                  + " from the built-in kind \""
                  + loser.descriptor.kind()
                  + "\" of "
                  + loser.describe()
                  + ": "
                  + resolution,
              null);
        }
      }
      return new RegistryProblem(type, claim, resolution, null);
    }

    private static String describeAll(List<Contribution> group) {
      List<String> parts = new ArrayList<>();
      for (Contribution c : group) {
        parts.add(c.describe());
      }
      return String.join(", ", parts);
    }

    private static String slugs(List<Contribution> ranked) {
      List<String> parts = new ArrayList<>();
      for (Contribution c : ranked) {
        parts.add(c.descriptor.slug() + " (" + c.provider + ")");
      }
      return String.join(", ", parts);
    }
  }
}
