package dev.lifeboat.common.activity;

import dev.lifeboat.common.model.RestoreWindow;
import dev.lifeboat.common.model.SnapshotInfo;
import io.temporal.activity.ActivityInterface;
import java.util.List;
import java.util.Map;

/** Snapshot operations of the platform; method names are activity type names: never rename one. */
@ActivityInterface
public interface SnapshotActivities {
  /** Takes (or finds, for a retried attempt) the snapshot with this id; heartbeats while it runs. */
  SnapshotInfo takeSnapshot(String instanceId, String snapshotId, Map<String, String> tags, String runId);

  /** Copies a snapshot into another region and verifies it; heartbeats while it runs. */
  SnapshotInfo copySnapshotToRegion(String sourceRegion, String snapshotId, String targetRegion, String runId);

  List<SnapshotInfo> listRegionSnapshots(String instanceId, String region);

  boolean deleteRegionSnapshot(String region, String snapshotId);

  /** The instance's restorable window in its home region. */
  RestoreWindow instanceRestoreWindow(String instanceId);

  /**
   * Whether a temporary instance restored from this instance's backups is still being laid down
   * or replaying WAL: its snapshot and archived WAL must not be expired under it.
   */
  boolean restoreInProgress(String instanceId);

  /** The regions of the platform, home first. */
  List<String> platformRegions();
}
