package dev.lifeboat.rds;

import dev.lifeboat.activities.local.Verifier;
import dev.lifeboat.common.ErrorType;
import dev.lifeboat.common.LifeboatException;
import dev.lifeboat.common.model.InstanceInfo;
import dev.lifeboat.common.model.PreflightCheck;
import dev.lifeboat.common.model.RestorePlan;
import dev.lifeboat.common.model.RestoreSpec;
import dev.lifeboat.common.model.RestoreWindow;
import dev.lifeboat.common.model.SnapshotInfo;
import dev.lifeboat.common.model.VerifyResult;
import dev.lifeboat.common.platform.Platform;
import dev.lifeboat.common.platform.ProgressListener;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Amazon RDS for PostgreSQL through the AWS SDK v2, with the same semantics as the local
 * platform so every workflow runs unchanged on either. The home region (the first configured)
 * holds the managed instances and their automated backups; DR regions hold snapshot copies and
 * the temporary instances restored from them.
 *
 * <p>AWS actions called: rds:CreateDBSnapshot, rds:AddTagsToResource (tags on create),
 * rds:DescribeDBSnapshots, rds:DeleteDBSnapshot, rds:CopyDBSnapshot, rds:DescribeDBInstances,
 * rds:DescribeDBInstanceAutomatedBackups, rds:RestoreDBInstanceToPointInTime,
 * rds:RestoreDBInstanceFromDBSnapshot, rds:DeleteDBInstance (tag {@code lifeboat:temporary=true}
 * only), rds:DescribeAccountAttributes, rds:DescribeDBSubnetGroups, rds-db:connect (IAM database
 * auth), kms:DescribeKey and kms:CreateGrant (encrypted copies), ec2:DescribeSecurityGroups.
 *
 * <p>Failures: {@link dev.lifeboat.common.LifeboatException}s of a type for what a retry cannot
 * fix, {@link RdsTransientException} for throttling, 5xx and no answer (Temporal retries those);
 * see {@link RdsErrors}.
 */
public final class RdsPlatform implements Platform, AutoCloseable {
  public static final String NAME = "rds";

  private final RdsContext ctx;
  private final RdsQuotas quotas;
  private final RdsSnapshots snapshots;
  private final RdsInstances instances;
  private final RdsRestores restores;
  private final RdsPreflight preflight;
  private final RdsDataSources dataSources;

  public RdsPlatform(RdsSettings settings, Clock clock) {
    this(new RdsClients(settings), clock);
  }

  public RdsPlatform(RdsClients clients, Clock clock) {
    this.ctx = new RdsContext(clients, clock);
    this.quotas = new RdsQuotas(ctx);
    this.snapshots = new RdsSnapshots(ctx, quotas);
    this.instances = new RdsInstances(ctx);
    this.restores = new RdsRestores(ctx, snapshots, instances);
    this.preflight = new RdsPreflight(ctx);
    this.dataSources = new RdsDataSources(ctx, System::getenv);
  }

  public RdsClients clients() {
    return ctx.clients;
  }

  /** Tests: how long a copy may show no progress before it is called stuck. */
  void stuckCopyAfter(Duration d) {
    snapshots.stuckAfter(d);
  }

  /** Tests: how long one delete call waits for the instance to disappear. */
  void deleteWait(Duration d) {
    instances.deleteWait(d);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public List<InstanceInfo> listInstances() {
    return instances.list();
  }

  @Override
  public Optional<InstanceInfo> findInstance(String instanceId) {
    return instances.find(instanceId);
  }

  @Override
  public RestoreWindow restoreWindow(String instanceId) {
    return restores.window(instanceId);
  }

  @Override
  public RestoreWindow restoreWindow(String instanceId, String region) {
    return restores.window(instanceId, region);
  }

  @Override
  public RestorePlan planRestore(String instanceId, Instant targetTime) {
    return restores.plan(instanceId, null, targetTime);
  }

  @Override
  public RestorePlan planRestore(String instanceId, String region, Instant targetTime) {
    return restores.plan(instanceId, region, targetTime);
  }

  @Override
  public InstanceInfo restoreToPointInTime(RestoreSpec spec, ProgressListener progress) {
    return restores.restore(spec, progress == null ? ProgressListener.NONE : progress);
  }

  @Override
  public DataSource dataSource(String instanceId) {
    return dataSources.forInstance(existing(instanceId));
  }

  @Override
  public VerifyResult verify(String instanceId, String schema) {
    return Verifier.verify(instanceId, dataSource(instanceId), schema);
  }

  @Override
  public boolean deleteTemporaryInstance(String instanceId) {
    return instances.deleteTemporary(instanceId);
  }

  @Override
  public SnapshotInfo createSnapshot(String instanceId, String snapshotId, Map<String, String> tags,
      ProgressListener progress) {
    return snapshots.create(instanceId, snapshotId, tags, progress == null ? ProgressListener.NONE : progress);
  }

  @Override
  public List<SnapshotInfo> listSnapshots(String instanceId) {
    return snapshots.list(instanceId, null);
  }

  @Override
  public List<String> regions() {
    return ctx.regionNames();
  }

  @Override
  public List<SnapshotInfo> listSnapshots(String instanceId, String region) {
    return snapshots.list(instanceId, region);
  }

  @Override
  public Optional<SnapshotInfo> findSnapshot(String region, String snapshotId) {
    return snapshots.find(region, snapshotId);
  }

  @Override
  public SnapshotInfo copySnapshot(String sourceRegion, String snapshotId, String targetRegion,
      ProgressListener progress) {
    return snapshots.copy(sourceRegion, snapshotId, targetRegion, progress == null ? ProgressListener.NONE : progress);
  }

  @Override
  public boolean deleteSnapshot(String region, String snapshotId) {
    return snapshots.delete(region, snapshotId);
  }

  @Override
  public List<PreflightCheck> preflight() {
    return preflight.run();
  }

  @Override
  public void close() {
    ctx.clients.close();
  }

  private InstanceInfo existing(String instanceId) {
    return instances.find(instanceId).orElseThrow(() -> new LifeboatException(ErrorType.INSTANCE_NOT_FOUND,
        "No managed or temporary instance is called '" + instanceId + "' in " + ctx.regionNames(),
        RdsErrors.details("instance", instanceId)));
  }
}
