package dev.lifeboat.api;

import dev.lifeboat.catalog.Catalog;
import dev.lifeboat.common.platform.Platform;
import dev.lifeboat.common.workflow.PointInTimeRestoreWorkflow;
import io.temporal.client.WorkflowClient;
import java.time.Clock;
import java.util.Objects;

/**
 * What the API needs from the rest of the application, built once by the launcher.
 *
 * @param taskQueue where restore workflows are started; {@link PointInTimeRestoreWorkflow#TASK_QUEUE} when null
 * @param clock stamps {@code startedAt} of new runs; the system UTC clock when null
 * @param restoreLimits TTL bounds of restores; {@link RestoreLimits#DEFAULTS} when null
 */
public record ApiContext(
    WorkflowClient workflowClient,
    String taskQueue,
    Platform platform,
    Catalog catalog,
    Clock clock,
    RestoreLimits restoreLimits) {

  public ApiContext {
    Objects.requireNonNull(workflowClient, "workflowClient");
    Objects.requireNonNull(platform, "platform");
    Objects.requireNonNull(catalog, "catalog");
    taskQueue = taskQueue == null ? PointInTimeRestoreWorkflow.TASK_QUEUE : taskQueue;
    clock = clock == null ? Clock.systemUTC() : clock;
    restoreLimits = restoreLimits == null ? RestoreLimits.DEFAULTS : restoreLimits;
  }
}
