package io.axon.buffer.testing;

import io.axon.buffer.core.internal.UnexpectedLeaks;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Modifier;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import net.jqwik.api.lifecycle.AroundContainerHook;
import net.jqwik.api.lifecycle.ContainerLifecycleContext;
import net.jqwik.api.lifecycle.PropagationMode;
import org.opentest4j.AssertionFailedError;

/**
 * {@link LeakGuard} for jqwik: fails a property class (a top-level or static nested class of
 * {@code @Property} methods) when any {@link io.axon.buffer.core.SlabBufferPool} reports a leak it
 * was not told to expect ({@link LeakGuard#expectLeaksFrom}) while the class ran. jqwik runs on an
 * engine of its own, which never calls Jupiter's extensions, so without this a property that drops
 * a buffer would pass, and its leak would reach the next Jupiter class instead.
 *
 * <p>Registered through jqwik's service loading ({@code
 * META-INF/services/net.jqwik.api.lifecycle.LifecycleHook} of this artifact): every jqwik class of
 * a module with this artifact on its test class path is guarded, with no annotation. On the module
 * path, add {@code @AddLifecycleHook(JqwikLeakGuard.class)} to a class. Like {@link LeakGuard}, a
 * leak reported before a class starts is kept and reported at the end of that class, named as found
 * before it.
 *
 * <p>Cost: a check runs the garbage collector (two full collections) at the start and the end of
 * each class. Threading: jqwik runs containers one at a time; an instance keeps a stack of the
 * classes it is inside.
 */
public final class JqwikLeakGuard implements AroundContainerHook {

  private final Deque<Optional<String>> earlier = new ArrayDeque<>();

  /** The guard jqwik instantiates (through service loading or {@code @AddLifecycleHook}). */
  public JqwikLeakGuard() {}

  @Override
  public PropagationMode propagateTo() {
    return PropagationMode.ALL_DESCENDANTS;
  }

  /** Classes only (not jqwik's engine, not the inner classes of {@code @Group}). */
  @Override
  public boolean appliesTo(Optional<AnnotatedElement> element) {
    return element
        .filter(e -> e instanceof Class)
        .map(e -> (Class<?>) e)
        .filter(c -> c.getEnclosingClass() == null || Modifier.isStatic(c.getModifiers()))
        .isPresent();
  }

  @Override
  public void beforeContainer(ContainerLifecycleContext context) {
    earlier.push(Optional.ofNullable(UnexpectedLeaks.drainBefore(name(context))));
  }

  @Override
  public void afterContainer(ContainerLifecycleContext context) {
    String before = earlier.isEmpty() ? null : earlier.pop().orElse(null);
    String failure = UnexpectedLeaks.drainAfter(before, name(context));
    if (failure != null) {
      throw new AssertionFailedError(failure);
    }
  }

  private static String name(ContainerLifecycleContext context) {
    return context.optionalContainerClass().map(Class::getName).orElse(context.label());
  }
}
