package dev.lifeboat.activities;

import dev.lifeboat.catalog.RunStore;
import dev.lifeboat.common.platform.ProgressListener;
import io.temporal.activity.ActivityExecutionContext;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.IntUnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Progress of a long activity: every report heartbeats (the SDK throttles what it sends, and a
 * heartbeat is how a cancel reaches the activity), and at most once a second the run's progress
 * is written to the catalog, where {@code GET /v1/runs/{id}} reads it.
 */
final class RunProgressReporter implements ProgressListener {
  private static final Logger log = LoggerFactory.getLogger(RunProgressReporter.class);
  private static final Duration CATALOG_INTERVAL = Duration.ofSeconds(1);

  private final ActivityExecutionContext context;
  private final RunStore runs;
  private final String runId;
  private final IntUnaryOperator runPercent;
  private final Clock clock;
  private Instant lastWrite = Instant.MIN;

  RunProgressReporter(ActivityExecutionContext context, RunStore runs, String runId, IntUnaryOperator runPercent,
      Clock clock) {
    this.context = context;
    this.runs = runs;
    this.runId = runId;
    this.runPercent = runPercent;
    this.clock = clock;
  }

  @Override
  public void progress(String detail, Integer percent, Long bytes) {
    context.heartbeat(detail);
    Instant now = clock.instant();
    if (runs == null || Duration.between(lastWrite, now).compareTo(CATALOG_INTERVAL) < 0) {
      return;
    }
    lastWrite = now;
    try {
      runs.updateProgress(runId, percent == null ? null : runPercent.applyAsInt(percent), bytes, detail);
    } catch (RuntimeException e) {
      // Progress is informative: a catalog hiccup must not fail a restore.
      log.warn("could not record progress of run {}: {}", runId, e.getMessage());
    }
  }
}
