package io.axon.buffer;

import java.net.URL;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The discovery mechanics {@link BufferKindRegistry} and {@link Transcoders} share, each holding
 * one: loading the implementations of a service from a class loader with every failure isolated and
 * reported, de-duplication, the problems list, and the immutable snapshot that readers see without
 * a lock.
 *
 * <ul>
 *   <li>{@link #load(ClassLoader)} walks {@link java.util.ServiceLoader} entry by entry ({@link
 *       ServiceDiscovery}): an entry that cannot be loaded or instantiated becomes a {@link
 *       RegistryProblem.Type#PROVIDER_FAILED} and the walk goes on.
 *   <li>Discovered instances are de-duplicated by class (a child class loader sees its parent's
 *       services too); a second class with an already loaded class's name is skipped and reported
 *       ({@link RegistryProblem.Type#DUPLICATE_PROVIDER}). Instances registered in code may be
 *       de-duplicated by class too, or only by identity (several configured instances of one
 *       class).
 *   <li>Each accepted instance is turned into members by the owner's {@link Admission} (which
 *       reports and skips what is invalid); the owner's derivation turns all members into the
 *       tables readers use. A change builds a new snapshot and publishes it with one volatile
 *       write.
 * </ul>
 *
 * <p>What it does not do: rank, resolve conflicts or read the members; that is the owner's
 * derivation.
 *
 * <h2>Threading</h2>
 *
 * Changes are serialised by one lock ({@code writeLock}, the only lock; the admission and
 * derivation run under it and take none). Reads ({@link #state()}, {@link #problems()}) never lock:
 * they read the current snapshot. Problems found at read time ({@link #reportOnce}) go to a
 * concurrent list.
 *
 * @param <S> the service interface
 * @param <M> what one instance contributes (one or more members per instance)
 * @param <D> the tables derived from all members
 */
final class ServiceRegistry<S, M, D> {

  /** Turns one accepted instance into members. */
  @FunctionalInterface
  interface Admission<S, M> {
    /**
     * The members {@code instance} contributes (possibly none), or null when it is skipped, with
     * the reason added to {@code problems}.
     */
    List<M> admit(S instance, String className, String origin, List<RegistryProblem> problems);
  }

  private final Class<S> service;
  private final String noun;
  private final Admission<S, M> admission;
  private final Function<List<M>, D> derivation;
  private final Function<D, List<RegistryProblem>> conflicts;
  private final Object writeLock = new Object();
  private volatile Snapshot<M, D> snapshot;
  private final List<RegistryProblem> runtimeProblems = new CopyOnWriteArrayList<>();
  private final Set<String> reportedOnce = ConcurrentHashMap.newKeySet();

  /**
   * @param service the service interface discovered
   * @param noun what its implementations are called in messages ({@code "provider"})
   * @param initial members present from the start (built-ins)
   * @param admission turns an accepted instance into members
   * @param derivation turns all members into the tables readers use
   * @param conflicts the conflicts a derivation resolved, for {@link #problems()}
   */
  ServiceRegistry(
      Class<S> service,
      String noun,
      List<M> initial,
      Admission<S, M> admission,
      Function<List<M>, D> derivation,
      Function<D, List<RegistryProblem>> conflicts) {
    this.service = service;
    this.noun = noun;
    this.admission = admission;
    this.derivation = derivation;
    this.conflicts = conflicts;
    this.snapshot =
        new Snapshot<>(
            List.copyOf(initial), Map.of(), Map.of(), List.of(), derivation.apply(initial));
  }

  /** The tables of the current snapshot. */
  D state() {
    return snapshot.derived;
  }

  /**
   * Adds every implementation of the service visible from {@code loader}; those already loaded are
   * skipped silently.
   */
  LoadResult load(ClassLoader loader) {
    Objects.requireNonNull(loader, "loader");
    synchronized (writeLock) {
      Batch batch = new Batch(snapshot);
      ServiceDiscovery.forEach(
          service,
          loader,
          found -> batch.add(found, true),
          e ->
              batch.problems.add(
                  new RegistryProblem(
                      RegistryProblem.Type.PROVIDER_FAILED,
                      classNameIn(e),
                      noun + " could not be loaded: " + rootMessage(e),
                      e)));
      return commit(batch);
    }
  }

  /**
   * Adds one instance built in code.
   *
   * @param byClass de-duplicate by class, as discovered instances are; otherwise only the same
   *     instance is skipped
   */
  LoadResult register(S instance, boolean byClass) {
    Objects.requireNonNull(instance, noun);
    synchronized (writeLock) {
      Batch batch = new Batch(snapshot);
      batch.add(instance, byClass);
      return commit(batch);
    }
  }

  /** Replaces the members with {@code change(members)} and publishes the result's tables. */
  D update(UnaryOperator<List<M>> change) {
    synchronized (writeLock) {
      Snapshot<M, D> s = snapshot;
      List<M> members = List.copyOf(change.apply(new ArrayList<>(s.members)));
      snapshot =
          new Snapshot<>(members, s.names, s.instances, s.loadProblems, derivation.apply(members));
      return snapshot.derived;
    }
  }

  /** Load problems, then the conflicts of the current tables, then problems found at read time. */
  List<RegistryProblem> problems() {
    Snapshot<M, D> s = snapshot;
    List<RegistryProblem> all = new ArrayList<>(s.loadProblems);
    all.addAll(conflicts.apply(s.derived));
    all.addAll(runtimeProblems);
    return Collections.unmodifiableList(all);
  }

  /** Adds the problem {@code problem} makes, the first time {@code key} is reported only. */
  void reportOnce(String key, Supplier<RegistryProblem> problem) {
    if (reportedOnce.add(key)) {
      runtimeProblems.add(problem.get());
    }
  }

  private LoadResult commit(Batch batch) {
    Snapshot<M, D> s = snapshot;
    List<RegistryProblem> problems = new ArrayList<>(s.loadProblems);
    problems.addAll(batch.problems);
    List<M> members = List.copyOf(batch.members);
    snapshot =
        new Snapshot<>(
            members,
            Map.copyOf(batch.names),
            Collections.unmodifiableMap(batch.instances),
            List.copyOf(problems),
            derivation.apply(members));
    return new LoadResult(batch.added, batch.problems);
  }

  /** One load or register call's additions, committed in one swap. */
  private final class Batch {
    final List<M> members;
    final Map<String, Class<?>> names;
    final Map<Object, Boolean> instances;
    final List<RegistryProblem> problems = new ArrayList<>();
    final List<String> added = new ArrayList<>();

    // s.instances is a read-only view of the previous batch's IdentityHashMap: identity all along.
    @SuppressWarnings("IdentityHashMapUsage")
    Batch(Snapshot<M, D> s) {
      this.members = new ArrayList<>(s.members);
      this.names = new HashMap<>(s.names);
      this.instances = new IdentityHashMap<>(s.instances);
    }

    void add(S instance, boolean byClass) {
      Class<?> type = instance.getClass();
      String name = type.getName();
      if (instances.containsKey(instance)) {
        return;
      }
      if (byClass) {
        Class<?> known = names.get(name);
        if (known == type) {
          return;
        }
        if (known != null) {
          problems.add(
              new RegistryProblem(
                  RegistryProblem.Type.DUPLICATE_PROVIDER,
                  name,
                  "a "
                      + noun
                      + " class of this name is already loaded from "
                      + origin(known)
                      + "; the copy from "
                      + origin(type)
                      + " is skipped",
                  null));
          return;
        }
        // Seen from now on, also if it fails below: a child loader does not report it again.
        names.put(name, type);
      }
      instances.put(instance, Boolean.TRUE);
      List<M> admitted = admission.admit(instance, name, origin(type), problems);
      if (admitted != null) {
        members.addAll(admitted);
        added.add(name);
      }
    }
  }

  /** An immutable snapshot: everything readers and the next change need. */
  private static final class Snapshot<M, D> {
    final List<M> members;
    final Map<String, Class<?>> names;
    final Map<Object, Boolean> instances;
    final List<RegistryProblem> loadProblems;
    final D derived;

    Snapshot(
        List<M> members,
        Map<String, Class<?>> names,
        Map<Object, Boolean> instances,
        List<RegistryProblem> loadProblems,
        D derived) {
      this.members = members;
      this.names = names;
      this.instances = instances;
      this.loadProblems = loadProblems;
      this.derived = derived;
    }
  }

  // ---------------------------------------------------------------- messages

  /** Where a class came from: its module and JAR or folder, when known; null otherwise. */
  static String origin(Class<?> type) {
    Module module = type.getModule();
    String where;
    try {
      CodeSource source = type.getProtectionDomain().getCodeSource();
      URL location = source == null ? null : source.getLocation();
      where = location == null ? null : location.toString();
    } catch (SecurityException e) {
      where = null;
    }
    if (module.isNamed()) {
      return "module " + module.getName() + (where == null ? "" : " (" + where + ")");
    }
    return where;
  }

  private static final Pattern CLASS_IN_MESSAGE =
      Pattern.compile("Provider (\\S+)|: (\\S+) not a subtype");

  /** The class a {@link java.util.ServiceLoader} failure names, or the services file. */
  private String classNameIn(Throwable e) {
    Matcher m = CLASS_IN_MESSAGE.matcher(String.valueOf(e.getMessage()));
    if (m.find()) {
      return m.group(1) != null ? m.group(1) : m.group(2);
    }
    return "META-INF/services/" + service.getName();
  }

  private static String rootMessage(Throwable e) {
    StringBuilder out = new StringBuilder(String.valueOf(e.getMessage()));
    Throwable cause = e.getCause();
    for (int depth = 0; cause != null && depth < 5; depth++, cause = cause.getCause()) {
      out.append("; caused by ").append(cause);
    }
    return out.toString();
  }
}
