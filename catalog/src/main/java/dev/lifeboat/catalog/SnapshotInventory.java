package dev.lifeboat.catalog;

import dev.lifeboat.common.model.SnapshotInfo;
import java.time.Instant;
import java.util.List;

/** Snapshots per region, recorded by the snapshot, copy and retention workflows. */
public interface SnapshotInventory {
  /** Upserts the snapshot; recording it again changes nothing but its latest state. */
  void record(SnapshotInfo snapshot, String runId);

  /** Keeps the row, with the time it was deleted. */
  void markDeleted(String region, String snapshotId, Instant at);

  /** Newest first; null filters mean any. */
  List<InventoryEntry> list(String instance, String region, boolean includeDeleted);
}
