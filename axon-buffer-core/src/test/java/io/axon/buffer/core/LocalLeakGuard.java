package io.axon.buffer.core;

import io.axon.buffer.core.internal.UnexpectedLeaks;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.opentest4j.AssertionFailedError;

/**
 * The core's own leak guard (autodetected, see {@code junit-platform.properties}): the core's tests
 * cannot use axon-buffer-testing's {@code LeakGuard} (that module depends on this one), so this is
 * the same JUnit glue over the same {@link UnexpectedLeaks}, checking once per class. Leaks found
 * when a class starts (reported after their own class's check) fail that class at its end.
 */
public final class LocalLeakGuard implements BeforeAllCallback, AfterAllCallback {

  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(LocalLeakGuard.class);

  @Override
  public void beforeAll(ExtensionContext context) {
    String before = UnexpectedLeaks.drainBefore(context.getDisplayName());
    if (before != null) {
      context.getStore(NAMESPACE).put("before", before);
    }
  }

  @Override
  public void afterAll(ExtensionContext context) {
    String before = context.getStore(NAMESPACE).remove("before", String.class);
    String failure = UnexpectedLeaks.drainAfter(before, context.getDisplayName());
    if (failure != null) {
      throw new AssertionFailedError(failure);
    }
  }
}
