package dev.lifeboat.fakerds;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the fake has seen: calls per action (throttled and failed ones included), throttled calls,
 * and snapshot copies in flight per destination region, now and at most since the last reset.
 * A copy is in flight from the CopyDBSnapshot that accepted it until it is available or failed.
 */
public final class Stats {
  private final Map<String, AtomicLong> calls = new ConcurrentHashMap<>();
  private final AtomicLong throttled = new AtomicLong();
  private final Map<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> maxInFlight = new ConcurrentHashMap<>();

  public long calls(String action) {
    AtomicLong n = calls.get(action);
    return n == null ? 0 : n.get();
  }

  public long throttled() {
    return throttled.get();
  }

  public int copiesInFlight(String region) {
    AtomicInteger n = inFlight.get(region);
    return n == null ? 0 : n.get();
  }

  public int maxCopiesInFlight(String region) {
    AtomicInteger n = maxInFlight.get(region);
    return n == null ? 0 : n.get();
  }

  /** Forgets calls, throttles and maxima; copies in flight now stay counted (they are still running). */
  public synchronized void reset() {
    calls.clear();
    throttled.set(0);
    maxInFlight.clear();
    inFlight.forEach((region, n) -> maxInFlight.put(region, new AtomicInteger(n.get())));
  }

  /** Calls per action, sorted by action. */
  public Map<String, Long> allCalls() {
    Map<String, Long> all = new TreeMap<>();
    calls.forEach((action, n) -> all.put(action, n.get()));
    return all;
  }

  Map<String, Integer> allCopiesInFlight() {
    Map<String, Integer> all = new TreeMap<>();
    inFlight.forEach((region, n) -> all.put(region, n.get()));
    return all;
  }

  Map<String, Integer> allMaxCopiesInFlight() {
    Map<String, Integer> all = new TreeMap<>();
    maxInFlight.forEach((region, n) -> all.put(region, n.get()));
    return all;
  }

  void called(String action) {
    calls.computeIfAbsent(action, a -> new AtomicLong()).incrementAndGet();
  }

  void throttledOne() {
    throttled.incrementAndGet();
  }

  synchronized void copyStarted(String region) {
    int now = inFlight.computeIfAbsent(region, r -> new AtomicInteger()).incrementAndGet();
    maxInFlight.computeIfAbsent(region, r -> new AtomicInteger()).accumulateAndGet(now, Math::max);
  }

  synchronized void copyFinished(String region) {
    inFlight.computeIfAbsent(region, r -> new AtomicInteger()).decrementAndGet();
  }
}
