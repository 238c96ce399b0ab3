package io.axon.buffer.testing;

import java.lang.reflect.AnnotatedElement;
import java.util.Optional;
import net.jqwik.api.lifecycle.AroundPropertyHook;
import net.jqwik.api.lifecycle.PropagationMode;
import net.jqwik.api.lifecycle.PropertyExecutionResult;
import net.jqwik.api.lifecycle.PropertyExecutor;
import net.jqwik.api.lifecycle.PropertyLifecycleContext;
import org.opentest4j.AssertionFailedError;

/**
 * Puts the random seed of a failing jqwik property into its failure: the message becomes {@code
 * "seed 5136438480460773989 (rerun: @Property(seed = \"5136438480460773989\")): "} followed by the
 * original message, which stays the cause. jqwik keeps a failing seed in its database under {@code
 * target/}, lost with {@code mvn clean} and never present on a CI machine, and prints it in a
 * report only some runners show; the failure itself is what every runner keeps (console summary,
 * surefire XML, an IDE).
 *
 * <p>Registered with {@link JqwikLeakGuard} through jqwik's service loading, so every property of a
 * module with this artifact on its test class path gets it. Properties with a fixed seed
 * ({@code @Property(seed = ...)}) get it too. Costs nothing unless a property fails.
 */
public final class JqwikSeedInFailure implements AroundPropertyHook {

  /** The hook jqwik instantiates. */
  public JqwikSeedInFailure() {}

  @Override
  public PropagationMode propagateTo() {
    return PropagationMode.ALL_DESCENDANTS;
  }

  @Override
  public boolean appliesTo(Optional<AnnotatedElement> element) {
    return element.isPresent();
  }

  @Override
  public PropertyExecutionResult aroundProperty(
      PropertyLifecycleContext context, PropertyExecutor property) {
    PropertyExecutionResult result = property.execute();
    if (result.status() != PropertyExecutionResult.Status.FAILED || result.seed().isEmpty()) {
      return result;
    }
    String seed = result.seed().get();
    Throwable original = result.throwable().orElse(null);
    String message =
        "seed "
            + seed
            + " (rerun: @Property(seed = \""
            + seed
            + "\")): "
            + (original == null ? "failed" : original.getMessage());
    return result.mapTo(
        PropertyExecutionResult.Status.FAILED, new AssertionFailedError(message, original));
  }
}
