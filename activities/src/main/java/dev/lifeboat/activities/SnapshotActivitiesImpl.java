package dev.lifeboat.activities;

import static dev.lifeboat.activities.Failures.typed;

import dev.lifeboat.catalog.RunStore;
import dev.lifeboat.common.activity.SnapshotActivities;
import dev.lifeboat.common.model.RestoreWindow;
import dev.lifeboat.common.model.SnapshotInfo;
import dev.lifeboat.common.platform.Platform;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.function.IntUnaryOperator;

public class SnapshotActivitiesImpl implements SnapshotActivities {
  private final Platform platform;
  private final RunStore runs;
  private final Clock clock;

  public SnapshotActivitiesImpl(Platform platform, RunStore runs, Clock clock) {
    this.platform = platform;
    this.runs = runs;
    this.clock = clock;
  }

  @Override
  public SnapshotInfo takeSnapshot(String instanceId, String snapshotId, Map<String, String> tags, String runId) {
    try (KeepAlive progress = KeepAlive.runProgress(runs, runId, IntUnaryOperator.identity(), clock)) {
      return typed(() -> platform.createSnapshot(instanceId, snapshotId, tags, progress));
    }
  }

  @Override
  public SnapshotInfo copySnapshotToRegion(String sourceRegion, String snapshotId, String targetRegion, String runId) {
    try (KeepAlive progress = KeepAlive.runProgress(runs, runId, IntUnaryOperator.identity(), clock)) {
      return typed(() -> platform.copySnapshot(sourceRegion, snapshotId, targetRegion, progress));
    }
  }

  @Override
  public List<SnapshotInfo> listRegionSnapshots(String instanceId, String region) {
    return typed(() -> platform.listSnapshots(instanceId, region));
  }

  @Override
  public boolean deleteRegionSnapshot(String region, String snapshotId) {
    return typed(() -> platform.deleteSnapshot(region, snapshotId));
  }

  @Override
  public RestoreWindow instanceRestoreWindow(String instanceId) {
    return typed(() -> platform.restoreWindow(instanceId));
  }

  @Override
  public boolean restoreInProgress(String instanceId) {
    return platform.listInstances().stream()
        .anyMatch(i -> i.temporary() && instanceId.equals(i.source()) && !"available".equals(i.status()));
  }

  @Override
  public List<String> platformRegions() {
    return platform.regions();
  }
}
