package dev.lifeboat.common.activity;

import dev.lifeboat.common.model.RunState;
import dev.lifeboat.common.model.SnapshotInfo;
import io.temporal.activity.ActivityInterface;

/** Records runs in Lifeboat's catalog, which outlives Temporal's retention and serves the API's lists. */
@ActivityInterface
public interface CatalogActivities {
  /** Upserts the run and its steps (idempotent: recording the same state twice changes nothing). */
  void recordRun(RunState state);

  /** Appends to the audit log what a workflow did on its own (e.g. a snapshot retention deleted). */
  void recordAudit(String principal, String action, String runId, String detailJson);

  /** Records a snapshot (or a copy) in the catalog's inventory. */
  void recordSnapshot(SnapshotInfo snapshot, String runId);

  /** Marks a snapshot of the inventory as deleted; its row stays as history. */
  void recordSnapshotDeleted(String region, String snapshotId);
}
