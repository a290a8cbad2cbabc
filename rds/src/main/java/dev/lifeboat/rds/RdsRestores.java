package dev.lifeboat.rds;

import static dev.lifeboat.rds.RdsErrors.details;

import dev.lifeboat.common.ErrorType;
import dev.lifeboat.common.LifeboatException;
import dev.lifeboat.common.model.InstanceInfo;
import dev.lifeboat.common.model.RestorePlan;
import dev.lifeboat.common.model.RestoreSpec;
import dev.lifeboat.common.model.RestoreWindow;
import dev.lifeboat.common.model.SnapshotInfo;
import dev.lifeboat.common.platform.ProgressListener;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.rds.model.CreateDbInstanceReadReplicaRequest;
import software.amazon.awssdk.services.rds.model.DBInstance;
import software.amazon.awssdk.services.rds.model.DBInstanceAutomatedBackup;
import software.amazon.awssdk.services.rds.model.DBSnapshot;
import software.amazon.awssdk.services.rds.model.RestoreDbInstanceFromDbSnapshotRequest;

/**
 * Point-in-time restores into temporary instances. In the home region RDS replays its automated
 * backups (RestoreDBInstanceToPointInTime) anywhere in {@code [earliest, LatestRestorableTime]};
 * in a DR region, without replicated automated backups, only the snapshot copies there can be
 * restored (RestoreDBInstanceFromDBSnapshot), so the window runs from the oldest copy to just
 * after the newest one. Every target is checked against the window before anything is created.
 */
final class RdsRestores {
  private static final Logger log = LoggerFactory.getLogger(RdsRestores.class);
  /** The DR window ends this much after the newest copy, so a target just before that end lands on it. */
  static final Duration DR_LATEST_MARGIN = Duration.ofMillis(1);
  /** An instance in one of these states will not become available without someone acting. */
  private static final Set<String> DEAD_END = Set.of("failed", "incompatible-restore", "incompatible-parameters",
      "incompatible-network", "incompatible-option-group", "storage-full", "inaccessible-encryption-credentials",
      "inaccessible-encryption-credentials-recoverable", "deleting", "stopped", "stopping");

  private final RdsContext ctx;
  private final RdsSnapshots snapshots;
  private final RdsInstances instances;

  RdsRestores(RdsContext ctx, RdsSnapshots snapshots, RdsInstances instances) {
    this.ctx = ctx;
    this.snapshots = snapshots;
    this.instances = instances;
  }

  /** The home window: automated backups from their earliest time up to LatestRestorableTime. */
  RestoreWindow window(String instanceId) {
    ctx.managed(instanceId);
    String region = ctx.home();
    DBInstance db = ctx.describeInstance(region, instanceId).orElseThrow(() -> new LifeboatException(
        ErrorType.INSTANCE_NOT_FOUND, "Managed instance " + instanceId + " does not exist in " + region
            + " (DescribeDBInstances found nothing): check platform.rds.instances", details("instance", instanceId,
            "region", region)));
    List<SnapshotInfo> manual = snapshots.list(instanceId, region);
    Instant latest = db.latestRestorableTime();
    if (latest == null) {
      return new RestoreWindow(instanceId, region, null, null, manual, List.of());
    }
    Instant earliest = earliestAutomated(region, instanceId).orElse(null);
    if (earliest == null) {
      int days = db.backupRetentionPeriod() == null ? 0 : db.backupRetentionPeriod();
      earliest = days <= 0 ? null : ctx.now().minus(Duration.ofDays(days));
    }
    if (earliest == null || earliest.isAfter(latest)) {
      return new RestoreWindow(instanceId, region, null, null, manual, List.of());
    }
    return new RestoreWindow(instanceId, region, earliest, latest, manual, List.of());
  }

  private Optional<Instant> earliestAutomated(String region, String instanceId) {
    try {
      List<DBInstanceAutomatedBackup> backups = ctx.rds(region)
          .describeDBInstanceAutomatedBackups(b -> b.dbInstanceIdentifier(instanceId)).dbInstanceAutomatedBackups();
      return backups.stream()
          .filter(b -> b.restoreWindow() != null && b.restoreWindow().earliestTime() != null)
          .filter(b -> b.region() == null || region.equals(b.region()))
          .map(b -> b.restoreWindow().earliestTime())
          .min(Comparator.naturalOrder());
    } catch (SdkException e) {
      if (RdsErrors.code(e) != null && RdsErrors.code(e).startsWith("DBInstanceAutomatedBackupNotFound")) {
        return Optional.empty();
      }
      throw RdsErrors.translate(e, "DescribeDBInstanceAutomatedBackups", region, details("instance", instanceId));
    }
  }

  /** The window of a DR region: from its oldest copy to just after its newest. */
  RestoreWindow window(String instanceId, String region) {
    if (ctx.isHome(region)) {
      return window(instanceId);
    }
    ctx.managed(instanceId);
    String r = ctx.region(region).name();
    List<SnapshotInfo> copies = availableCopies(instanceId, r);
    if (copies.isEmpty()) {
      return new RestoreWindow(instanceId, r, null, null, snapshots.list(instanceId, r), List.of());
    }
    Instant earliest = copies.get(0).stoppedAt();
    Instant latest = copies.get(copies.size() - 1).stoppedAt().plus(DR_LATEST_MARGIN);
    return new RestoreWindow(instanceId, r, earliest, latest, snapshots.list(instanceId, r), List.of());
  }

  RestorePlan plan(String instanceId, String region, Instant target) {
    if (target == null) {
      throw new LifeboatException(ErrorType.INVALID_REQUEST, "A target time is required", details("instance",
          instanceId));
    }
    ctx.managed(instanceId);
    String r = ctx.region(region).name();
    Instant now = ctx.now();
    if (target.isAfter(now)) {
      throw new LifeboatException(ErrorType.RESTORE_TIME_IN_FUTURE, "Restore time " + target
          + " is in the future (now " + now + "); the latest restorable time of " + instanceId + " is its"
          + " LatestRestorableTime in RDS", details("instance", instanceId, "region", r, "targetTime", target,
          "now", now));
    }
    RestoreWindow window = window(instanceId, r);
    if (!window.contains(target)) {
      throw outsideWindow(instanceId, r, target, window);
    }
    if (ctx.isHome(r)) {
      // RDS picks the automated backup itself; name the newest snapshot before the target for people
      Optional<DBSnapshot> base = ctx.describeSnapshots(r, instanceId, null).stream()
          .filter(s -> "available".equals(RdsSnapshots.status(s.status())))
          .filter(s -> time(s) != null && !time(s).isAfter(target))
          .max(Comparator.comparing(RdsRestores::time));
      return new RestorePlan(instanceId, target, base.map(DBSnapshot::dbSnapshotIdentifier).orElse(null),
          base.map(RdsRestores::time).orElse(window.earliest()), null);
    }
    SnapshotInfo copy = availableCopies(instanceId, r).stream()
        .filter(s -> !s.stoppedAt().isAfter(target))
        .reduce((a, b) -> b)
        .orElseThrow(() -> outsideWindow(instanceId, r, target, window));
    return new RestorePlan(instanceId, target, copy.id(), copy.stoppedAt(), r);
  }

  private LifeboatException outsideWindow(String instanceId, String region, Instant target, RestoreWindow w) {
    String where = ctx.isHome(region) ? "" : " in region " + region;
    String text;
    if (w.earliest() == null) {
      text = "Nothing of " + instanceId + " is restorable" + where + " yet: " + (ctx.isHome(region)
          ? "its automated backups are off or have no restorable time (BackupRetentionPeriod 0?)"
          : "the region holds no available snapshot copy of it; copy a snapshot to " + region + " first");
    } else if (target.isBefore(w.earliest())) {
      text = "Restore time " + target + " is before the earliest restorable time of " + instanceId + where + ", "
          + w.earliest() + (ctx.isHome(region) ? " (the start of its automated backups)" : " (its oldest copy)")
          + ". Restorable window: " + w.earliest() + " to " + w.latest() + ".";
    } else {
      text = "Restore time " + target + " is after the latest restorable time of " + instanceId + where + ", "
          + w.latest() + (ctx.isHome(region) ? " (LatestRestorableTime; RDS moves it forward every few minutes)"
          : " (its newest copy; copying a newer snapshot there moves it forward)") + ". Restorable window: "
          + w.earliest() + " to " + w.latest() + ".";
    }
    return new LifeboatException(ErrorType.RESTORE_TIME_OUTSIDE_WINDOW, text, details("instance", instanceId,
        "region", region, "targetTime", target, "earliest", w.earliest(), "latest", w.latest()));
  }

  private List<SnapshotInfo> availableCopies(String instanceId, String region) {
    return snapshots.list(instanceId, region).stream()
        .filter(s -> "available".equals(s.status()) && s.stoppedAt() != null)
        .sorted(Comparator.comparing(SnapshotInfo::stoppedAt))
        .toList();
  }

  private static Instant time(DBSnapshot s) {
    return s.originalSnapshotCreateTime() != null ? s.originalSnapshotCreateTime() : s.snapshotCreateTime();
  }

  InstanceInfo restore(RestoreSpec spec, ProgressListener progress) {
    validate(spec);
    RdsSettings.Region region = ctx.region(spec.region());
    String r = region.name();
    Optional<DBInstance> existing = ctx.describeInstance(r, spec.instanceId());
    if (existing.isPresent()) {
      requireEarlierAttempt(existing.get(), spec, r);
      log.info("Restore {} exists already (status {}); waiting for it", spec.instanceId(),
          existing.get().dbInstanceStatus());
    } else {
      // the target is checked before anything is created, as planRestore did: the window may have moved since
      plan(spec.sourceInstance(), r, spec.targetTime());
      send(spec, region);
    }
    return waitAvailable(spec, r, progress);
  }

  private void validate(RestoreSpec spec) {
    if (spec == null || spec.instanceId() == null || spec.instanceId().isBlank() || spec.sourceInstance() == null
        || spec.targetTime() == null || spec.runId() == null) {
      throw new LifeboatException(ErrorType.INVALID_REQUEST, "A restore needs an instance id, a source instance,"
          + " a target time and a run id", details("instance", spec == null ? null : spec.instanceId()));
    }
    if (ctx.isManaged(spec.instanceId())) {
      throw new LifeboatException(ErrorType.INVALID_REQUEST, "Instance " + spec.instanceId() + " is a managed"
          + " instance: a restore needs a new id", details("instance", spec.instanceId()));
    }
    ctx.managed(spec.sourceInstance());
  }

  private void requireEarlierAttempt(DBInstance db, RestoreSpec spec, String region) {
    Map<String, String> tags = RdsTags.toMap(db.tagList());
    if (!RdsTags.isTemporary(tags) || !spec.runId().equals(tags.get(RdsTags.RUN))) {
      throw new LifeboatException(ErrorType.INVALID_REQUEST, "Instance " + spec.instanceId() + " exists in " + region
          + " and is not this run's restore (" + RdsTags.RUN + "=" + tags.get(RdsTags.RUN) + "): a restore needs a"
          + " new id, and Lifeboat never touches an instance it did not create for the run",
          details("instance", spec.instanceId(), "region", region, "runId", spec.runId(),
              "foundRunId", tags.get(RdsTags.RUN)));
    }
  }

  private void send(RestoreSpec spec, RdsSettings.Region region) {
    String r = region.name();
    Placement temp = Placement.temporary(ctx.settings, r, spec.instanceId());
    Map<String, String> tags = RdsTags.temporary(spec.runId(), spec.expiresAt(), spec.requester(),
        spec.sourceInstance());
    String action = ctx.isHome(r) ? "RestoreDBInstanceToPointInTime" : "RestoreDBInstanceFromDBSnapshot";
    try {
      if (ctx.isHome(r)) {
        ctx.rds(r).restoreDBInstanceToPointInTime(b -> b.sourceDBInstanceIdentifier(spec.sourceInstance())
            .targetDBInstanceIdentifier(spec.instanceId()).restoreTime(spec.targetTime())
            .dbInstanceClass(temp.instanceClass()).dbSubnetGroupName(temp.subnetGroup())
            .vpcSecurityGroupIds(temp.securityGroups())
            .publiclyAccessible(false).multiAZ(false).deletionProtection(false)
            .enableIAMDatabaseAuthentication(temp.iamAuth()).tags(RdsTags.toTags(tags)));
      } else {
        if (spec.snapshotId() == null) {
          throw new LifeboatException(ErrorType.INVALID_REQUEST, "A restore in " + r + " needs the snapshot copy"
              + " to restore (plan it first)", details("instance", spec.instanceId(), "region", r));
        }
        ctx.rds(r).restoreDBInstanceFromDBSnapshot(b -> temp.apply(b.dbSnapshotIdentifier(spec.snapshotId())
            .dbInstanceIdentifier(spec.instanceId()).tags(RdsTags.toTags(tags))));
      }
      log.info("{} {} -> {} ({}) sent in {}", action, spec.sourceInstance(), spec.instanceId(),
          ctx.isHome(r) ? spec.targetTime() : spec.snapshotId(), r);
    } catch (SdkException e) {
      if (!RdsErrors.hasCode(e, RdsErrors.DB_INSTANCE_ALREADY_EXISTS)) {
        throw RdsErrors.translate(e, action, r, details("instance", spec.instanceId(), "source",
            spec.sourceInstance(), "snapshotId", ctx.isHome(r) ? null : spec.snapshotId(),
            "targetTime", spec.targetTime()));
      }
      // created by an earlier attempt whose answer was lost, or by someone else: only ours is waited for
      ctx.describeInstance(r, spec.instanceId()).ifPresent(db -> requireEarlierAttempt(db, spec, r));
    }
  }

  /**
   * Where and how big a temporary instance is: the configured class, the region's subnet group and
   * security groups, IAM authentication as the database settings say. Null leaves an option out of
   * a request (RDS's default): no empty list, no explicit false for IAM auth.
   */
  record Placement(String instanceClass, String subnetGroup, List<String> securityGroups, Boolean iamAuth) {

    static Placement temporary(RdsSettings settings, String region, String instanceId) {
      RdsSettings.Temporary temp = settings.temporary();
      String subnetGroup = temp.subnetGroupByRegion().get(region);
      if (subnetGroup == null || subnetGroup.isBlank()) {
        throw new LifeboatException(ErrorType.CONFIGURATION_ERROR, "No DB subnet group is configured for temporary"
            + " instances in " + region + ": set platform.rds.temporary.subnetGroups[" + region + "]",
            details("region", region, "instance", instanceId));
      }
      List<String> groups = temp.securityGroupsByRegion().getOrDefault(region, List.of());
      return new Placement(temp.instanceClass(), subnetGroup, groups.isEmpty() ? null : groups,
          settings.database().iamAuth() ? Boolean.TRUE : null);
    }

    /** A restore of a snapshot into a temporary instance: never public, single-AZ, deletable. */
    RestoreDbInstanceFromDbSnapshotRequest.Builder apply(RestoreDbInstanceFromDbSnapshotRequest.Builder b) {
      return b.dbInstanceClass(instanceClass).dbSubnetGroupName(subnetGroup).vpcSecurityGroupIds(securityGroups)
          .publiclyAccessible(false).multiAZ(false).deletionProtection(false)
          .enableIAMDatabaseAuthentication(iamAuth);
    }

    /**
     * A temporary read replica, as {@link #apply(RestoreDbInstanceFromDbSnapshotRequest.Builder)}; no subnet
     * group: a replica in its source's region lands in the source's, the temporary one.
     */
    CreateDbInstanceReadReplicaRequest.Builder apply(CreateDbInstanceReadReplicaRequest.Builder b) {
      return b.dbInstanceClass(instanceClass).vpcSecurityGroupIds(securityGroups)
          .publiclyAccessible(false).multiAZ(false).deletionProtection(false)
          .enableIAMDatabaseAuthentication(iamAuth);
    }
  }

  private InstanceInfo waitAvailable(RestoreSpec spec, String region, ProgressListener progress) {
    String lastStatus = null;
    while (true) {
      DBInstance db = ctx.describeInstance(region, spec.instanceId()).orElseThrow(() -> new LifeboatException(
          ErrorType.INSTANCE_START_FAILED, "Restore " + spec.instanceId() + " in " + region + " disappeared while"
              + " Lifeboat waited for it (deleted by the reaper or by hand?); run the restore again",
          details("instance", spec.instanceId(), "region", region)));
      String status = RdsInstances.status(db.dbInstanceStatus());
      if ("available".equals(status) && db.endpoint() != null && db.endpoint().address() != null) {
        progress.progress("available at " + db.endpoint().address() + ":" + db.endpoint().port(), 100, null);
        log.info("Restore {} is available at {}", spec.instanceId(), db.endpoint().address());
        return instances.toInfo(db, region).orElseThrow();
      }
      if (DEAD_END.contains(status.toLowerCase(Locale.ROOT))) {
        throw new LifeboatException(ErrorType.INSTANCE_START_FAILED, "Restore " + spec.instanceId() + " in "
            + region + " is " + status + " and will not become available on its own; the RDS events of the"
            + " instance say why. The run's cleanup deletes it", details("instance", spec.instanceId(),
            "region", region, "status", status));
      }
      if (!status.equals(lastStatus)) {
        log.info("Restore {} is {}", spec.instanceId(), status);
        lastStatus = status;
      }
      // RDS reports no percentage for instances: the status is the news
      String detail = "RDS status of " + spec.instanceId() + ": " + status;
      progress.progress(detail, null, null);
      ctx.sleepPoll(progress, detail, null);
    }
  }
}
