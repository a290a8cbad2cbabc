package dev.lifeboat.workflows;

import dev.lifeboat.common.activity.PlatformActivities;
import io.temporal.failure.ActivityFailure;
import io.temporal.workflow.Workflow;
import java.time.Instant;

/** What every workflow that creates a temporary instance does with it when the run fails or is cancelled. */
final class TemporaryInstances {
  private TemporaryInstances() {}

  /**
   * Deletes the instance in a detached scope, so it runs even while the workflow is being
   * cancelled (a temporary instance must never leak), and records it as a cleanup step. The
   * run's terminal phase is recorded after it, so a run never reads as ended while it still
   * tears down.
   *
   * @return true when every instance is gone (deleted now, or never created); they are deleted in the order given
   */
  static boolean teardownAfterFailure(RunTracker run, PlatformActivities platform, String step,
      String... instanceIds) {
    boolean[] gone = {true};
    Workflow.newDetachedCancellationScope(() -> {
      run.endpointGone();
      for (String instanceId : instanceIds) {
        Instant begun = RunTracker.now();
        try {
          boolean existed = platform.deleteTemporaryInstance(instanceId);
          run.cleanupStep(step, "succeeded", begun,
              existed ? "deleted " + instanceId : instanceId + " was never created");
        } catch (ActivityFailure e) {
          run.cleanupStep(step, "failed", begun, "could not delete " + instanceId + ": " + Failures.message(e)
              + " (the reaper will retry)");
          gone[0] = false;
        }
      }
    }).run();
    return gone[0];
  }
}
