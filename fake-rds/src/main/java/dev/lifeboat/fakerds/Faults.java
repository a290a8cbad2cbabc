package dev.lifeboat.fakerds;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Faults injected into the fake's answers, changeable while it runs; every method is thread-safe.
 * Throttling counts every API call (RDS, KMS, EC2); the control surface under {@code /_fake/} is
 * never faulted.
 */
public final class Faults {
  /** An error the next call of one action answers with. */
  public record InjectedError(String action, String code, String message, int httpStatus) {}

  private final int defaultQuota;
  private int throttleEveryNth;
  private long callsSeen;
  private Duration latency = Duration.ZERO;
  private final Map<String, Deque<InjectedError>> failNext = new LinkedHashMap<>();
  private boolean stuckCopies;
  private Duration copyDelay = Duration.ZERO;
  private int manualSnapshotQuota;

  Faults(int manualSnapshotQuota) {
    this.defaultQuota = manualSnapshotQuota;
    this.manualSnapshotQuota = manualSnapshotQuota;
  }

  /** Every n-th API call answers 400 {@code Throttling: Rate exceeded}; 0 turns it off. */
  public synchronized Faults throttleEveryNth(int n) {
    if (n < 0) {
      throw new IllegalArgumentException("n must not be negative");
    }
    throttleEveryNth = n;
    callsSeen = 0;
    return this;
  }

  /** Every API call waits this long before it is answered. */
  public synchronized Faults latency(Duration delay) {
    latency = delay == null || delay.isNegative() ? Duration.ZERO : delay;
    return this;
  }

  /** The next call of {@code action} answers this error (queued: several calls fail one after another). */
  public synchronized Faults failNext(String action, String awsCode, String message, int httpStatus) {
    failNext.computeIfAbsent(action, a -> new ArrayDeque<>())
        .add(new InjectedError(action, awsCode, message, httpStatus));
    return this;
  }

  /** While true, copies stay {@code copying} (at most 99 percent) once their data is copied. */
  public synchronized Faults stuckCopies(boolean stuck) {
    stuckCopies = stuck;
    return this;
  }

  /** Each copy stays {@code copying} at least this long, so concurrency is observable. */
  public synchronized Faults copyDelay(Duration delay) {
    copyDelay = delay == null || delay.isNegative() ? Duration.ZERO : delay;
    return this;
  }

  /** The manual snapshot quota of every region from now on. */
  public synchronized Faults manualSnapshotQuota(int quota) {
    if (quota < 0) {
      throw new IllegalArgumentException("quota must not be negative");
    }
    manualSnapshotQuota = quota;
    return this;
  }

  /** No throttling, latency, injected errors, stuck copies or copy delay; the quota of the options. */
  public synchronized Faults clear() {
    throttleEveryNth = 0;
    callsSeen = 0;
    latency = Duration.ZERO;
    failNext.clear();
    stuckCopies = false;
    copyDelay = Duration.ZERO;
    manualSnapshotQuota = defaultQuota;
    return this;
  }

  public synchronized int throttleEveryNth() {
    return throttleEveryNth;
  }

  public synchronized Duration latency() {
    return latency;
  }

  public synchronized boolean stuckCopies() {
    return stuckCopies;
  }

  public synchronized Duration copyDelay() {
    return copyDelay;
  }

  public synchronized int manualSnapshotQuota() {
    return manualSnapshotQuota;
  }

  /** The errors still queued, in order. */
  public synchronized List<InjectedError> pendingErrors() {
    return failNext.values().stream().flatMap(Deque::stream).toList();
  }

  /** Counts a call; true when this one is to be throttled. */
  synchronized boolean throttleThisCall() {
    if (throttleEveryNth <= 0) {
      return false;
    }
    callsSeen++;
    return callsSeen % throttleEveryNth == 0;
  }

  synchronized Optional<InjectedError> takeError(String action) {
    Deque<InjectedError> queue = failNext.get(action);
    if (queue == null || queue.isEmpty()) {
      return Optional.empty();
    }
    InjectedError e = queue.poll();
    if (queue.isEmpty()) {
      failNext.remove(action);
    }
    return Optional.of(e);
  }
}
