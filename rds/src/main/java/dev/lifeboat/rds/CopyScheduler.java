package dev.lifeboat.rds;

import dev.lifeboat.common.platform.ProgressListener;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * Keeps cross-region snapshot copies within what AWS allows: at most {@code maxCopiesInFlight}
 * copies into one destination region (AWS documents 20, 5 on older accounts; a copy over the limit
 * fails), and one copy at a time of one source snapshot.
 *
 * <p>Within this process a fair semaphore per destination region is held from before
 * CopyDBSnapshot until the copy is available or failed. Other workers are counted too: before a
 * copy starts, the copies RDS reports as not yet available in the destination must leave a slot
 * free. The check and the start run under one lock per region, so two threads of this process
 * never both see the last free slot. Every wait reports progress at each poll, so the activity
 * keeps heartbeating while it queues.
 */
final class CopyScheduler {
  private final Duration poll;
  private final Map<String, Semaphore> slots = new ConcurrentHashMap<>();
  private final Map<String, ReentrantLock> starting = new ConcurrentHashMap<>();
  /** One lock per source snapshot with a copy running or waiting; gone once none is, so the map stays small. */
  private final Map<String, SourceLock> sources = new ConcurrentHashMap<>();

  private static final class SourceLock {
    final ReentrantLock lock = new ReentrantLock(true);
    /** Threads that use this lock now; changed only inside the map's atomic compute. */
    int users;
  }

  CopyScheduler(Duration poll) {
    this.poll = poll.isZero() || poll.isNegative() ? Duration.ofMillis(10) : poll;
  }

  /**
   * Runs one copy when its turn comes.
   *
   * @param region destination region
   * @param maxInFlight the region's cap
   * @param sourceKey the source snapshot's ARN: copies of it run one at a time
   * @param inFlight copies RDS reports as not yet available in the destination (all workers)
   * @param start sends CopyDBSnapshot; runs with a slot held and no other start of the region running
   * @param untilDone waits for the copy to be available or failed; the slot is held until it returns
   */
  <T> T run(String region, int maxInFlight, String sourceKey, IntSupplier inFlight, ProgressListener progress,
      Runnable start, Supplier<T> untilDone) {
    ReentrantLock source = sources.compute(sourceKey, (k, held) -> {
      SourceLock used = held == null ? new SourceLock() : held;
      used.users++;
      return used;
    }).lock;
    try {
      while (!tryLock(source)) {
        progress.progress("waiting for another copy of " + sourceKey + " to finish", null, null);
      }
    } catch (RuntimeException e) {
      leave(sourceKey);
      throw e;
    }
    try {
      Semaphore slot = slots.computeIfAbsent(region, r -> new Semaphore(Math.max(1, maxInFlight), true));
      ReentrantLock startLock = starting.computeIfAbsent(region, r -> new ReentrantLock(true));
      acquire(region, maxInFlight, slot, startLock, inFlight, progress, start);
      try {
        return untilDone.get();
      } finally {
        slot.release();
      }
    } finally {
      source.unlock();
      leave(sourceKey);
    }
  }

  private void leave(String sourceKey) {
    sources.computeIfPresent(sourceKey, (k, used) -> --used.users == 0 ? null : used);
  }

  /** Source snapshots with a copy running or waiting (tests: the map does not grow with every copy). */
  int sourcesInUse() {
    return sources.size();
  }

  private void acquire(String region, int max, Semaphore slot, ReentrantLock startLock, IntSupplier inFlight,
      ProgressListener progress, Runnable start) {
    while (true) {
      if (!tryAcquire(slot)) {
        progress.progress("waiting for a copy slot in " + region + " (" + (max - slot.availablePermits())
            + " in flight)", null, null);
        continue;
      }
      boolean started = false;
      try {
        if (tryLock(startLock)) {
          try {
            int n = inFlight.getAsInt();
            if (n < max) {
              start.run();
              started = true;
              return;
            }
            progress.progress("waiting for a copy slot in " + region + " (" + n + " in flight)", null, null);
          } finally {
            startLock.unlock();
          }
        }
      } finally {
        if (!started) {
          slot.release();
        }
      }
      sleep(poll);
    }
  }

  private boolean tryLock(ReentrantLock lock) {
    return within(ms -> lock.tryLock(ms, TimeUnit.MILLISECONDS));
  }

  private boolean tryAcquire(Semaphore slot) {
    return within(ms -> slot.tryAcquire(ms, TimeUnit.MILLISECONDS));
  }

  /** A wait of at most one poll, so the caller reports progress (and heartbeats) between waits. */
  private boolean within(TimedWait wait) {
    try {
      return wait.tryFor(poll.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RdsTransientException("interrupted while waiting for a snapshot copy slot");
    }
  }

  @FunctionalInterface
  private interface TimedWait {
    boolean tryFor(long millis) throws InterruptedException;
  }

  static void sleep(Duration d) {
    try {
      Thread.sleep(Math.max(1, d.toMillis()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RdsTransientException("interrupted while waiting on RDS");
    }
  }
}
