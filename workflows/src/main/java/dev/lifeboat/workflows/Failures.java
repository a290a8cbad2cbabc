package dev.lifeboat.workflows;

import dev.lifeboat.common.ErrorType;
import dev.lifeboat.common.activity.CatalogActivities;
import dev.lifeboat.common.model.RunError;
import dev.lifeboat.common.model.RunPhase;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.workflow.Workflow;

/** Reads the type and message an activity or child failure carries down its cause chain. */
final class Failures {
  private Failures() {}

  /**
   * A refusal from an update validator. SDK 1.38 loses the failure type of a validator's
   * exception on the way to the client (sdk-java#2875, fixed in a later release), so the type also
   * leads the message, where {@code TemporalFailures} in the API reads it back.
   */
  static ApplicationFailure rejection(ErrorType type, String message) {
    return ApplicationFailure.newFailure(type.name() + ": " + message, type.name());
  }

  static boolean isCancellation(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof CanceledFailure) {
        return true;
      }
    }
    return false;
  }

  static String type(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof ApplicationFailure app) {
        return ErrorType.fromName(app.getType()).name();
      }
    }
    return ErrorType.INTERNAL.name();
  }

  static String message(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof ApplicationFailure app) {
        return app.getOriginalMessage();
      }
    }
    Throwable root = failure;
    while (root.getCause() != null) {
      root = root.getCause();
    }
    return root.getMessage();
  }

  static RunError error(Throwable failure) {
    return new RunError(type(failure), message(failure));
  }

  /**
   * Ends a run as failed or cancelled and records it. Detached: a cancelled scope cannot
   * schedule activities, and the catalog must hear of it.
   */
  static void recordEnd(RunTracker run, Throwable failure, CatalogActivities catalog) {
    boolean cancelled = isCancellation(failure);
    String type = cancelled ? "CANCELLED" : type(failure);
    String message = cancelled ? "cancelled" : message(failure);
    run.failed(cancelled ? RunPhase.CANCELLED : RunPhase.FAILED, type, message);
    Workflow.getLogger(Failures.class).warn("{} {}: {} {}", run.runId(), run.phase().wireName(), type, message);
    Workflow.newDetachedCancellationScope(() -> catalog.recordRun(run.snapshot())).run();
  }
}
