package dev.lifeboat.activities.pooler;

import dev.lifeboat.common.model.InstanceInfo;
import dev.lifeboat.common.model.PreflightCheck;
import dev.lifeboat.common.model.RestorePlan;
import dev.lifeboat.common.model.RestoreSpec;
import dev.lifeboat.common.model.RestoreWindow;
import dev.lifeboat.common.model.SnapshotInfo;
import dev.lifeboat.common.model.VerifyResult;
import dev.lifeboat.common.platform.Platform;
import dev.lifeboat.common.platform.ProgressListener;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import javax.sql.DataSource;

/**
 * A platform whose preflight also reports the connection pooler Lifeboat switches in a failover
 * (what {@link ExternalPgBouncer#preflight} finds); everything else is the platform's own.
 */
public final class PlatformWithPooler implements Platform {
  private final Platform platform;
  private final Supplier<List<PreflightCheck>> poolerChecks;

  public PlatformWithPooler(Platform platform, Supplier<List<PreflightCheck>> poolerChecks) {
    this.platform = platform;
    this.poolerChecks = poolerChecks;
  }

  @Override
  public List<PreflightCheck> preflight() {
    List<PreflightCheck> checks = new ArrayList<>(platform.preflight());
    checks.addAll(poolerChecks.get());
    return checks;
  }

  @Override
  public String name() {
    return platform.name();
  }

  @Override
  public List<InstanceInfo> listInstances() {
    return platform.listInstances();
  }

  @Override
  public Optional<InstanceInfo> findInstance(String instanceId) {
    return platform.findInstance(instanceId);
  }

  @Override
  public RestoreWindow restoreWindow(String instanceId) {
    return platform.restoreWindow(instanceId);
  }

  @Override
  public RestoreWindow restoreWindow(String instanceId, String region) {
    return platform.restoreWindow(instanceId, region);
  }

  @Override
  public RestorePlan planRestore(String instanceId, Instant targetTime) {
    return platform.planRestore(instanceId, targetTime);
  }

  @Override
  public RestorePlan planRestore(String instanceId, String region, Instant targetTime) {
    return platform.planRestore(instanceId, region, targetTime);
  }

  @Override
  public InstanceInfo restoreToPointInTime(RestoreSpec spec, ProgressListener progress) {
    return platform.restoreToPointInTime(spec, progress);
  }

  @Override
  public DataSource dataSource(String instanceId) {
    return platform.dataSource(instanceId);
  }

  @Override
  public VerifyResult verify(String instanceId, String schema) {
    return platform.verify(instanceId, schema);
  }

  @Override
  public boolean deleteTemporaryInstance(String instanceId) {
    return platform.deleteTemporaryInstance(instanceId);
  }

  @Override
  public SnapshotInfo createSnapshot(String instanceId, String snapshotId, Map<String, String> tags,
      ProgressListener progress) {
    return platform.createSnapshot(instanceId, snapshotId, tags, progress);
  }

  @Override
  public List<SnapshotInfo> listSnapshots(String instanceId) {
    return platform.listSnapshots(instanceId);
  }

  @Override
  public List<String> regions() {
    return platform.regions();
  }

  @Override
  public List<SnapshotInfo> listSnapshots(String instanceId, String region) {
    return platform.listSnapshots(instanceId, region);
  }

  @Override
  public Optional<SnapshotInfo> findSnapshot(String region, String snapshotId) {
    return platform.findSnapshot(region, snapshotId);
  }

  @Override
  public SnapshotInfo copySnapshot(String sourceRegion, String snapshotId, String targetRegion,
      ProgressListener progress) {
    return platform.copySnapshot(sourceRegion, snapshotId, targetRegion, progress);
  }

  @Override
  public boolean deleteSnapshot(String region, String snapshotId) {
    return platform.deleteSnapshot(region, snapshotId);
  }
}
