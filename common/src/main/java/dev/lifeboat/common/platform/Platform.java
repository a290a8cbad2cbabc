package dev.lifeboat.common.platform;

import dev.lifeboat.common.model.InstanceInfo;
import dev.lifeboat.common.model.PreflightCheck;
import dev.lifeboat.common.model.RestorePlan;
import dev.lifeboat.common.model.RestoreSpec;
import dev.lifeboat.common.model.RestoreWindow;
import dev.lifeboat.common.model.SnapshotInfo;
import dev.lifeboat.common.model.VerifyResult;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Where instances live: the local PostgreSQL fleet or Amazon RDS. Every method is idempotent, so
 * an activity retried after a crash finds and finishes what an earlier attempt began. Failures a
 * caller must act on are {@link dev.lifeboat.common.LifeboatException}s with their type.
 */
public interface Platform {
  /** {@code local} or {@code rds}. */
  String name();

  List<InstanceInfo> listInstances();

  Optional<InstanceInfo> findInstance(String instanceId);

  /** @throws dev.lifeboat.common.LifeboatException INSTANCE_NOT_FOUND */
  RestoreWindow restoreWindow(String instanceId);

  /**
   * Checks a target time against the restorable window and picks the snapshot to start from.
   *
   * @throws dev.lifeboat.common.LifeboatException INSTANCE_NOT_FOUND, RESTORE_TIME_IN_FUTURE,
   *     RESTORE_TIME_OUTSIDE_WINDOW, WAL_MISSING
   */
  RestorePlan planRestore(String instanceId, Instant targetTime);

  /**
   * Restores into a new temporary instance and returns once it is promoted and accepts
   * read-write connections. Calling it again for the same {@code spec.instanceId()} finishes or
   * returns the earlier attempt's instance: never creates a second one.
   *
   * @throws dev.lifeboat.common.LifeboatException RECOVERY_TARGET_NOT_REACHED, WAL_MISSING,
   *     INSTANCE_START_FAILED
   */
  InstanceInfo restoreToPointInTime(RestoreSpec spec, ProgressListener progress);

  /**
   * Connections to an instance's database with the credentials the platform holds for it (local:
   * user postgres over loopback; RDS: the configured secret). For table copy and verification.
   *
   * @throws dev.lifeboat.common.LifeboatException INSTANCE_NOT_FOUND
   */
  DataSource dataSource(String instanceId);

  /** Connects and counts rows in the user tables of {@code schema} (all user schemas when null). */
  VerifyResult verify(String instanceId, String schema);

  /**
   * Stops and removes a temporary instance and its data. Returns false when it did not exist.
   *
   * @throws dev.lifeboat.common.LifeboatException NOT_A_TEMPORARY_INSTANCE for anything else
   */
  boolean deleteTemporaryInstance(String instanceId);

  /** Takes a snapshot with a caller-chosen id; an existing snapshot with that id is returned as is. */
  SnapshotInfo createSnapshot(String instanceId, String snapshotId, Map<String, String> tags, ProgressListener progress);

  /** Snapshots of an instance (all instances when null) in every region, oldest first. */
  List<SnapshotInfo> listSnapshots(String instanceId);

  /** The regions this platform serves: the home region first, then the DR regions. */
  List<String> regions();

  /** Snapshots of an instance (all instances when null) in one region, oldest first. */
  List<SnapshotInfo> listSnapshots(String instanceId, String region);

  Optional<SnapshotInfo> findSnapshot(String region, String snapshotId);

  /**
   * Copies a snapshot into another region under the same id, with everything a restore there
   * needs (on the local platform: the base backup and the archived WAL up to the copy's time),
   * verifies the copy (size and checksum), and returns it. Idempotent: an available copy is
   * returned as is, a partial one is redone.
   *
   * @throws dev.lifeboat.common.LifeboatException SNAPSHOT_NOT_FOUND, REGION_NOT_FOUND
   */
  SnapshotInfo copySnapshot(String sourceRegion, String snapshotId, String targetRegion, ProgressListener progress);

  /** Deletes a snapshot (and, on the local platform, archived WAL no snapshot needs any more). */
  boolean deleteSnapshot(String region, String snapshotId);

  /**
   * Like {@link #planRestore(String, Instant)} with the snapshots and WAL of one region, e.g. a
   * restore from DR copies.
   */
  RestorePlan planRestore(String instanceId, String region, Instant targetTime);

  /**
   * The restorable window from the snapshots and WAL of one region (null: home), e.g. where a DR
   * drill can restore to. A platform without point-in-time restore outside its home region says
   * so with PLATFORM_ERROR.
   *
   * @throws dev.lifeboat.common.LifeboatException INSTANCE_NOT_FOUND, REGION_NOT_FOUND, PLATFORM_ERROR
   */
  default RestoreWindow restoreWindow(String instanceId, String region) {
    if (region == null || region.equals(regions().get(0))) {
      return restoreWindow(instanceId);
    }
    throw new dev.lifeboat.common.LifeboatException(dev.lifeboat.common.ErrorType.PLATFORM_ERROR, "Platform "
        + name() + " offers no point-in-time window in region " + region,
        Map.of("instance", instanceId, "region", region));
  }

  /**
   * Checks, without changing anything, what runs on this platform will need: credentials, every
   * managed instance and its backups, each DR region's key, subnet and security groups for
   * temporary instances, quotas left. Never throws for a failed check: a failure is a finding.
   */
  List<PreflightCheck> preflight();
}
