package dev.lifeboat.activities;

import dev.lifeboat.catalog.RunStore;
import dev.lifeboat.common.platform.ProgressListener;
import io.temporal.activity.Activity;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.IntUnaryOperator;

/**
 * Passes progress on, and repeats the newest report while none comes: a single statement (a
 * primary key built over 100 million rows, the sort before a comparison's first row) can run
 * for minutes without anything to report, and an activity that stops heartbeating is declared
 * dead and started again while it still runs. A failure of the listener in the background (a
 * cancelled activity's heartbeat) is thrown at the next report from the worker's own thread.
 */
public final class KeepAlive implements ProgressListener, AutoCloseable {
  private final ProgressListener target;
  private final long everyNanos;
  private final ScheduledExecutorService timer;
  private String detail = "starting";
  private Integer percent;
  private Long bytes;
  private long lastAt = System.nanoTime();
  private long quietSince = lastAt;
  private RuntimeException failed;

  /** How often a quiet operation's last progress is repeated: well within any heartbeat timeout the workflows set. */
  static final Duration EVERY = Duration.ofSeconds(3);

  /**
   * The current activity's heartbeats and the run's live progress in the catalog, kept alive while
   * a platform call blocks (a long statement, or an AWS call waiting out throttling).
   */
  static KeepAlive runProgress(RunStore runs, String runId, IntUnaryOperator runPercent, Clock clock) {
    return new KeepAlive(new RunProgressReporter(Activity.getExecutionContext(), runs, runId, runPercent, clock),
        EVERY);
  }

  public KeepAlive(ProgressListener target, Duration every) {
    this.target = target;
    this.everyNanos = every.toNanos();
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "progress-keepalive");
      t.setDaemon(true);
      return t;
    });
    long ms = Math.max(1, every.toMillis());
    timer.scheduleWithFixedDelay(this::repeat, ms, ms, TimeUnit.MILLISECONDS);
  }

  @Override
  public synchronized void progress(String detail, Integer percent, Long bytes) {
    if (failed != null) {
      RuntimeException e = failed;
      failed = null;
      throw e;
    }
    this.detail = detail;
    this.percent = percent;
    this.bytes = bytes;
    lastAt = System.nanoTime();
    quietSince = lastAt;
    target.progress(detail, percent, bytes);
  }

  private synchronized void repeat() {
    long now = System.nanoTime();
    if (failed != null || now - lastAt < everyNanos) {
      return;
    }
    lastAt = now;
    try {
      target.progress(detail + " (" + TimeUnit.NANOSECONDS.toSeconds(now - quietSince) + " s)", percent, bytes);
    } catch (RuntimeException e) {
      failed = e;
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
