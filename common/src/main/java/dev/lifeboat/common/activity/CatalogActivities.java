package dev.lifeboat.common.activity;

import dev.lifeboat.common.model.RunState;
import io.temporal.activity.ActivityInterface;

/** Records runs in Lifeboat's catalog, which outlives Temporal's retention and serves the API's lists. */
@ActivityInterface
public interface CatalogActivities {
  /** Upserts the run and its steps (idempotent: recording the same state twice changes nothing). */
  void recordRun(RunState state);

  /** Appends to the audit log what a workflow did on its own (e.g. a snapshot retention deleted). */
  void recordAudit(String principal, String action, String runId, String detailJson);
}
