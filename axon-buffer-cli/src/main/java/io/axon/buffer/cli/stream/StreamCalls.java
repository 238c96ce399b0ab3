package io.axon.buffer.cli.stream;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The calls of {@code GET /stream} now open: the per-tenant call limit, and what {@code /metrics}
 * shows of them ({@link StreamMetrics}) (calls and live bytes per tenant and per call, calls ended
 * by fault, frame latency). A call counts from {@link #open} to {@link #close}.
 *
 * <p>Threading: safe from any thread. The per-tenant count is a compare-and-set loop, so two calls
 * opening at once can never both take the last place.
 */
final class StreamCalls {

  /** What a call reports about itself. */
  interface Call {
    String id();

    String tenant();

    /** Pooled bytes the call holds now (a partial message, echoed audio not yet written out). */
    long liveBytes();
  }

  private final int maxPerTenant;
  private final Map<String, Call> calls = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> perTenant = new ConcurrentHashMap<>();
  private final Map<StreamFault, LongAdder> faults = new EnumMap<>(StreamFault.class);
  private final LongAdder completed = new LongAdder();
  private final LongAdder disconnected = new LongAdder();
  private final AtomicLong sequence = new AtomicLong();
  private final LatencyHistogram latency = new LatencyHistogram();

  StreamCalls(int maxPerTenant) {
    this.maxPerTenant = maxPerTenant;
    for (StreamFault f : StreamFault.values()) {
      faults.put(f, new LongAdder());
    }
  }

  /** A new call id: a sequence number and 32 random bits, in base 36 ({@code c12-1x3k9f}). */
  String newCallId() {
    return "c"
        + Long.toString(sequence.incrementAndGet(), 36)
        + "-"
        + Long.toString(java.util.concurrent.ThreadLocalRandom.current().nextLong(1L << 32), 36);
  }

  /**
   * Opens {@code call} unless its tenant already has the most calls.
   *
   * @return false if refused (nothing counted)
   */
  boolean open(Call call) {
    AtomicInteger n = perTenant.computeIfAbsent(call.tenant(), t -> new AtomicInteger());
    while (true) {
      int now = n.get();
      if (now >= maxPerTenant) {
        return false;
      }
      if (n.compareAndSet(now, now + 1)) {
        break;
      }
    }
    calls.put(call.id(), call);
    return true;
  }

  /** Ends an opened call. */
  void close(Call call) {
    if (calls.remove(call.id()) != null) {
      AtomicInteger n = perTenant.get(call.tenant());
      if (n != null) {
        n.decrementAndGet();
      }
    }
  }

  int maxPerTenant() {
    return maxPerTenant;
  }

  void ended(StreamFault fault) {
    faults.get(fault).increment();
  }

  void completed() {
    completed.increment();
  }

  void disconnected() {
    disconnected.increment();
  }

  LatencyHistogram latency() {
    return latency;
  }

  /** {@return the calls open now} */
  java.util.Collection<Call> snapshot() {
    return java.util.List.copyOf(calls.values());
  }

  long completedCount() {
    return completed.sum();
  }

  long disconnectedCount() {
    return disconnected.sum();
  }

  long endedCount(StreamFault fault) {
    return faults.get(fault).sum();
  }

  /** {@return calls open now} */
  int open() {
    return calls.size();
  }

  /** {@return live bytes of every open call} */
  long liveBytes() {
    long n = 0;
    for (Call c : calls.values()) {
      n += c.liveBytes();
    }
    return n;
  }
}
