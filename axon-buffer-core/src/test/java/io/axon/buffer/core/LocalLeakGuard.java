package io.axon.buffer.core;

import io.axon.buffer.core.internal.UnexpectedLeaks;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.opentest4j.AssertionFailedError;

/**
 * The core's own leak guard (autodetected, see {@code junit-platform.properties}): the core's tests
 * cannot use axon-buffer-testing's {@code LeakGuard} (that module depends on this one), so this is
 * the same JUnit glue over the same {@link UnexpectedLeaks}, checking once per class.
 */
public final class LocalLeakGuard implements BeforeAllCallback, AfterAllCallback {

  @Override
  public void beforeAll(ExtensionContext context) {
    UnexpectedLeaks.drain(context.getDisplayName()); // not this class's fault
  }

  @Override
  public void afterAll(ExtensionContext context) {
    String failure = UnexpectedLeaks.drain(context.getDisplayName());
    if (failure != null) {
      throw new AssertionFailedError(failure);
    }
  }
}
