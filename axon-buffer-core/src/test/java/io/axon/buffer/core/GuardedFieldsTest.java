package io.axon.buffer.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Keeps the pool's "Locking" section (the package documentation) true field by field: in every
 * class of the pool that holds or guards shared state, each instance field is either guarded
 * ({@code @GuardedBy}, which Error Prone's GuardedBy analysis checks at each access), {@code
 * volatile}, final and immutable or thread-safe by its type, or listed below with the reason it
 * needs no lock. A new mutable field without its lock named fails here. Read from the sources: the
 * annotation is not kept in class files at run time.
 */
class GuardedFieldsTest {

  private static final Path SOURCES = Path.of("src/main/java/io/axon/buffer/core");

  /** The classes the Locking section covers. */
  private static final List<String> CLASSES =
      List.of(
          "ClassPool",
          "LeakDetector",
          "Leases",
          "SlabCache",
          "Stripe",
          "StripeRegistry",
          "Tenant",
          "TenantAllocator",
          "TenantCell",
          "TenantLedger");

  /** Final field types that are immutable or thread-safe on their own. */
  private static final Set<String> SAFE_FINAL_TYPES =
      Set.of(
          "int",
          "long",
          "boolean",
          "String",
          "Optional<String>",
          "PoolClass",
          "LeakTracing",
          "AtomicInteger",
          "AtomicLong",
          "ReentrantLock",
          "LongSupplier",
          "ThreadLocal<Stripe>",
          "ConcurrentHashMap<String, Tenant>",
          // the pool's own thread-safe jobs, each with its own Threading paragraph
          "SlabBufferPool",
          "SlabCache",
          "TenantLedger",
          "StripeRegistry",
          "LeakDetector",
          "Tenant",
          "Stripe");

  /** Fields that need no lock for a reason their type does not tell: class.field, reason. */
  private static final Map<String, String> EXEMPT =
      Map.of(
          "SlabCache.classes", "filled in the constructor, never replaced; each ClassPool locks",
          "StripeRegistry.live", "ConcurrentHashMap.newKeySet()",
          "LeakDetector.tracedLive", "ConcurrentHashMap.newKeySet()",
          "TenantLedger.softLimits", "Map.copyOf: immutable",
          "TenantLedger.hardLimits", "Map.copyOf: immutable",
          "Stripe.traceCount", "owner thread only, never read by another",
          "Stripe.smallRegistrationCountdown", "owner thread only, never read by another",
          "Stripe.mediumRegistrationCountdown", "owner thread only, never read by another");

  private static final Pattern FIELD =
      Pattern.compile(
          "^  ((?:(?:private|protected|public|static|final|volatile|transient) )*)"
              + "([A-Za-z][\\w<>, ?\\[\\]]*?) (\\w+)( =.*|;)$");

  @Test
  void everyFieldOfThePoolsLockingClassesIsGuardedVolatileOrSafeByConstruction()
      throws IOException {
    List<String> unguarded = new ArrayList<>();
    int guarded = 0;
    for (String cls : CLASSES) {
      List<String> lines = Files.readAllLines(SOURCES.resolve(cls + ".java"));
      for (int i = 0; i < lines.size(); i++) {
        Matcher m = FIELD.matcher(lines.get(i));
        if (!m.matches() || m.group(2).equals("return") || m.group(1).contains("static")) {
          continue;
        }
        String modifiers = m.group(1);
        String type = m.group(2);
        String name = m.group(3);
        if (annotations(lines, i).contains("@GuardedBy(")) {
          guarded++;
        } else if (!modifiers.contains("volatile")
            && !(modifiers.contains("final") && SAFE_FINAL_TYPES.contains(type))
            && !EXEMPT.containsKey(cls + "." + name)) {
          unguarded.add(cls + "." + name + " (" + modifiers + type + ")");
        }
      }
    }
    assertEquals(List.of(), unguarded, "fields with no @GuardedBy, no volatile, no listed reason");
    assertTrue(guarded >= 20, "the scan found the guarded fields: " + guarded);
  }

  @Test
  void everyExemptionNamesAFieldThatExists() throws IOException {
    for (String field : EXEMPT.keySet()) {
      String cls = field.substring(0, field.indexOf('.'));
      String name = field.substring(field.indexOf('.') + 1);
      String source = Files.readString(SOURCES.resolve(cls + ".java"));
      assertTrue(
          Pattern.compile(" " + name + "( =|;)").matcher(source).find(),
          field + " is listed as exempt but does not exist");
    }
  }

  /** The annotation lines right above line {@code i} (and their comments). */
  private static String annotations(List<String> lines, int i) {
    StringBuilder sb = new StringBuilder();
    for (int j = i - 1; j >= 0; j--) {
      String l = lines.get(j).trim();
      if (l.startsWith("@")) {
        sb.append(l).append('\n');
      } else {
        break;
      }
    }
    return sb.toString();
  }
}
