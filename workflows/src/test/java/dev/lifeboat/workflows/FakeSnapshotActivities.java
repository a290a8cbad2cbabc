package dev.lifeboat.workflows;

import dev.lifeboat.common.ErrorType;
import dev.lifeboat.common.activity.SnapshotActivities;
import dev.lifeboat.common.model.RestoreWindow;
import dev.lifeboat.common.model.SnapshotInfo;
import io.temporal.failure.ApplicationFailure;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** Snapshots kept in memory by region, so workflow logic is tested alone. */
final class FakeSnapshotActivities implements SnapshotActivities {
  static final String HOME = "local-1";
  /** "region/id" of every snapshot that exists. */
  final Set<String> snapshots = ConcurrentHashMap.newKeySet();
  final List<String> takeCalls = new CopyOnWriteArrayList<>();
  final List<String> copyCalls = new CopyOnWriteArrayList<>();
  final Set<String> failingInstances = ConcurrentHashMap.newKeySet();

  @Override
  public SnapshotInfo takeSnapshot(String instanceId, String snapshotId, Map<String, String> tags, String runId) {
    takeCalls.add(snapshotId);
    if (failingInstances.contains(instanceId)) {
      throw ApplicationFailure.newNonRetryableFailure(instanceId + " is unreachable", ErrorType.PLATFORM_ERROR.name());
    }
    snapshots.add(HOME + "/" + snapshotId);
    return info(instanceId, snapshotId, HOME);
  }

  @Override
  public SnapshotInfo copySnapshotToRegion(String sourceRegion, String snapshotId, String targetRegion, String runId) {
    copyCalls.add(targetRegion + "/" + snapshotId);
    if (!snapshots.contains(sourceRegion + "/" + snapshotId)) {
      throw ApplicationFailure.newNonRetryableFailure("no " + snapshotId, ErrorType.SNAPSHOT_NOT_FOUND.name());
    }
    snapshots.add(targetRegion + "/" + snapshotId);
    return info("?", snapshotId, targetRegion);
  }

  @Override
  public List<SnapshotInfo> listRegionSnapshots(String instanceId, String region) {
    if (failingInstances.contains(instanceId)) {
      throw ApplicationFailure.newNonRetryableFailure(instanceId + " is unknown", ErrorType.INSTANCE_NOT_FOUND.name());
    }
    return snapshots.stream().filter(s -> s.startsWith(region + "/"))
        .map(s -> dated.getOrDefault(s, info(instanceId, s.substring(region.length() + 1), region))).toList();
  }

  @Override
  public boolean deleteRegionSnapshot(String region, String snapshotId) {
    return snapshots.remove(region + "/" + snapshotId);
  }

  /** Snapshots with real times, for retention: "region/id" to its info. */
  final Map<String, SnapshotInfo> dated = new ConcurrentHashMap<>();
  volatile RestoreWindow window;

  @Override
  public RestoreWindow instanceRestoreWindow(String instanceId) {
    return window;
  }

  final Set<String> restoring = ConcurrentHashMap.newKeySet();

  @Override
  public boolean restoreInProgress(String instanceId) {
    return restoring.contains(instanceId);
  }

  @Override
  public List<String> platformRegions() {
    return List.of(HOME, "dr-1");
  }

  void addDated(SnapshotInfo info) {
    dated.put(info.region() + "/" + info.id(), info);
    snapshots.add(info.region() + "/" + info.id());
  }

  long copiesIn(String region) {
    return snapshots.stream().filter(s -> s.startsWith(region + "/")).count();
  }

  private static SnapshotInfo info(String instance, String id, String region) {
    return new SnapshotInfo(id, instance, region, "available", Instant.EPOCH, Instant.EPOCH, 1000, Map.of());
  }
}
