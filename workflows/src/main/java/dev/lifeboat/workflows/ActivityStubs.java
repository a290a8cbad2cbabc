package dev.lifeboat.workflows;

import dev.lifeboat.common.ErrorType;
import dev.lifeboat.common.activity.CatalogActivities;
import io.temporal.activity.ActivityCancellationType;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.workflow.Workflow;
import java.time.Duration;

/** Activity options every workflow shares. */
final class ActivityStubs {
  /** Failures no retry can fix: the caller must see them at once. */
  static final String[] DO_NOT_RETRY = {
    ErrorType.INVALID_REQUEST.name(),
    ErrorType.INSTANCE_NOT_FOUND.name(),
    ErrorType.SNAPSHOT_NOT_FOUND.name(),
    ErrorType.REGION_NOT_FOUND.name(),
    ErrorType.RESTORE_TIME_IN_FUTURE.name(),
    ErrorType.RESTORE_TIME_OUTSIDE_WINDOW.name(),
    ErrorType.RECOVERY_TARGET_NOT_REACHED.name(),
    ErrorType.WAL_MISSING.name(),
    ErrorType.NOT_A_TEMPORARY_INSTANCE.name(),
    ErrorType.CONFIGURATION_ERROR.name(),
  };

  /**
   * Change id of the snapshot inventory: snapshot, copy and retention runs record into the
   * catalog's inventory from version 1 on; runs recorded before it replay without those calls.
   */
  static final String INVENTORY_CHANGE = "catalog-inventory";

  private ActivityStubs() {}

  /** A long platform operation: heartbeats show it is alive, so a dead worker is noticed in seconds. */
  static ActivityOptions longRunning(Duration startToClose, int maximumAttempts) {
    return ActivityOptions.newBuilder()
        .setStartToCloseTimeout(startToClose)
        .setHeartbeatTimeout(Duration.ofSeconds(15))
        .setRetryOptions(RetryOptions.newBuilder()
            .setInitialInterval(Duration.ofSeconds(1))
            .setMaximumInterval(Duration.ofMinutes(1))
            .setMaximumAttempts(maximumAttempts)
            .setDoNotRetry(DO_NOT_RETRY)
            .build())
        .build();
  }

  /**
   * A long operation that writes an instance or a table (restore, export, import): a cancel waits
   * for the activity to stop, so a teardown never races an attempt still writing.
   */
  static ActivityOptions longRunningUntilStopped(Duration startToClose, int maximumAttempts) {
    return ActivityOptions.newBuilder(longRunning(startToClose, maximumAttempts))
        .setCancellationType(ActivityCancellationType.WAIT_CANCELLATION_COMPLETED)
        .build();
  }

  /**
   * A step of a failover or rebuild: it heartbeats every few seconds, so a worker that dies
   * mid-step is noticed in seconds and the (idempotent) step retried on another; a step that hangs
   * is retried a few times, then the run says where it stopped.
   */
  static ActivityOptions failoverStep(Duration startToClose, Duration maximumInterval) {
    return ActivityOptions.newBuilder()
        .setStartToCloseTimeout(startToClose)
        .setHeartbeatTimeout(Duration.ofSeconds(10))
        .setRetryOptions(RetryOptions.newBuilder()
            .setInitialInterval(Duration.ofSeconds(1))
            .setBackoffCoefficient(2)
            .setMaximumInterval(maximumInterval)
            .setMaximumAttempts(5)
            .setDoNotRetry(DO_NOT_RETRY)
            .build())
        .build();
  }

  /** A short call. */
  static ActivityOptions quick() {
    return ActivityOptions.newBuilder()
        .setStartToCloseTimeout(Duration.ofMinutes(5))
        .setRetryOptions(RetryOptions.newBuilder()
            .setMaximumInterval(Duration.ofSeconds(30))
            .setDoNotRetry(DO_NOT_RETRY)
            .build())
        .build();
  }

  /** The catalog must eventually hear of every change: retried without limit, briefly spaced. */
  static CatalogActivities catalog() {
    return Workflow.newActivityStub(CatalogActivities.class, catalogOptions());
  }

  /** Options of every call that records into the catalog (runs, audit, drill reports). */
  static ActivityOptions catalogOptions() {
    return ActivityOptions.newBuilder()
        .setStartToCloseTimeout(Duration.ofSeconds(30))
        .setRetryOptions(RetryOptions.newBuilder().setMaximumInterval(Duration.ofSeconds(10)).build())
        .build();
  }
}
