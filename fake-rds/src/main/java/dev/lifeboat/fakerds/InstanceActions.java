package dev.lifeboat.fakerds;

import dev.lifeboat.common.ErrorType;
import dev.lifeboat.common.LifeboatException;
import dev.lifeboat.common.model.InstanceInfo;
import dev.lifeboat.common.model.InstanceRole;
import dev.lifeboat.common.model.RestorePlan;
import dev.lifeboat.common.model.RestoreSpec;
import dev.lifeboat.common.model.RestoreWindow;
import dev.lifeboat.common.model.SnapshotInfo;
import dev.lifeboat.common.platform.ProgressListener;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * RestoreDBInstanceToPointInTime, RestoreDBInstanceFromDBSnapshot, DescribeDBInstances,
 * DeleteDBInstance and PromoteReadReplica. Restores, deletions and promotions run in the
 * background; the instance shows {@code creating}, {@code deleting} or {@code modifying} meanwhile.
 * Unlike RDS, PromoteReadReplica fences (stops) a source primary that still runs: the local
 * platform refuses to make a second writable primary.
 */
final class InstanceActions {
  private static final Logger log = LoggerFactory.getLogger(InstanceActions.class);
  /** Failures of the restore itself (as opposed to the machine): RDS shows these as incompatible-restore. */
  private static final Set<ErrorType> INCOMPATIBLE = Set.of(ErrorType.RESTORE_TIME_OUTSIDE_WINDOW,
      ErrorType.RESTORE_TIME_IN_FUTURE, ErrorType.RECOVERY_TARGET_NOT_REACHED, ErrorType.WAL_MISSING);

  private final Backend b;
  private final RdsXml xml;

  InstanceActions(Backend backend, RdsXml xml) {
    this.b = backend;
    this.xml = xml;
  }

  /** What both restores take: class, network, public access and tags. */
  private record Settings(String instanceClass, String subnetGroup, List<String> securityGroups,
      boolean publiclyAccessible, Map<String, String> tags) {}

  private Settings settings(QueryParams p) {
    String subnetGroup = p.get("DBSubnetGroupName");
    if (subnetGroup != null && !subnetGroup.equals(b.options.subnetGroup())) {
      throw new ApiError(404, "DBSubnetGroupNotFoundFault", "DBSubnetGroup " + subnetGroup + " not found.");
    }
    List<String> groups = p.list("VpcSecurityGroupIds");
    for (String sg : groups) {
      if (!b.options.securityGroups().contains(sg)) {
        throw ApiError.invalidParameter("Invalid security group , groupId= " + sg + ", groupName=.");
      }
    }
    Map<String, String> tags = p.tags("Tags");
    RestoreTags.validate(tags);
    String instanceClass = p.get("DBInstanceClass");
    return new Settings(instanceClass == null ? Instances.DEFAULT_CLASS : instanceClass,
        subnetGroup == null ? "default" : subnetGroup, groups, Boolean.TRUE.equals(p.bool("PubliclyAccessible")), tags);
  }

  private InstanceRec newInstance(String region, String id, String source, Settings s) {
    return new InstanceRec(region, id, false, InstanceRec.CREATING, null, s.instanceClass(), s.subnetGroup(),
        s.securityGroups(), s.publiclyAccessible(), b.now(), s.tags(), b.kmsKey(region), source, false);
  }

  String restoreToPointInTime(String region, QueryParams p, String requestId) {
    String target = p.require("TargetDBInstanceIdentifier");
    Identifiers.checkInstanceId("TargetDBInstanceIdentifier", target);
    String source = sourceOf(region, p);
    Instant restoreTime = p.instant("RestoreTime");
    boolean useLatest = Boolean.TRUE.equals(p.bool("UseLatestRestorableTime"));
    if (restoreTime != null && useLatest) {
      throw ApiError.invalidCombination("Cannot specify both RestoreTime and UseLatestRestorableTime.");
    }
    if (restoreTime == null && !useLatest) {
      throw ApiError.invalidCombination("Either RestoreTime or UseLatestRestorableTime must be specified.");
    }
    Settings settings = settings(p);
    RestoreWindow window = b.platform.restoreWindow(source, region);
    if (window.earliest() == null || window.latest() == null) {
      throw ApiError.invalidParameter("DB instance " + source + " has no restorable time in " + region + " yet.");
    }
    Instant targetTime = useLatest ? window.latest() : restoreTime;
    if (!window.contains(targetTime)) {
      throw ApiError.invalidParameter("The restore time " + Xml.timestamp(targetTime) + " is outside the restorable"
          + " window of " + source + ": it must be between " + Xml.timestamp(window.earliest()) + " and the latest"
          + " restorable time " + Xml.timestamp(window.latest()) + ".");
    }
    InstanceRec rec = newInstance(region, target, source, settings);
    b.instances.add(rec);
    b.work.execute(() -> restore(rec, () -> {
      RestorePlan plan = b.platform.planRestore(source, region, targetTime);
      return RestoreTags.spec(target, source, targetTime, plan.snapshotId(), region, rec.tags());
    }));
    return answer("RestoreDBInstanceToPointInTime", rec, requestId);
  }

  /** SourceDBInstanceIdentifier (home region) or SourceDBInstanceAutomatedBackupsArn (its region's backups). */
  private String sourceOf(String region, QueryParams p) {
    String id = p.get("SourceDBInstanceIdentifier");
    if (id != null) {
      String name = Identifiers.name(id, "db", region);
      Instances.Entry e = b.instances.find(region, name).filter(x -> x.rec().managed())
          .orElseThrow(() -> ApiError.instanceNotFound(name));
      return e.rec().id();
    }
    String backups = p.get("SourceDBInstanceAutomatedBackupsArn");
    if (backups == null) {
      throw ApiError.missing("SourceDBInstanceIdentifier");
    }
    Optional<Arns.Arn> arn = Arns.parse(backups)
        .filter(a -> a.type().equals("auto-backup") && a.region().equals(region) && a.name().startsWith("ab-"));
    String name = arn.map(a -> a.name().substring(3)).orElse(null);
    if (name == null || !b.options.managedInstances().contains(name) || b.local(name).isEmpty()) {
      throw new ApiError(404, "DBInstanceAutomatedBackupNotFound", "Automated backup " + backups + " not found.");
    }
    return name;
  }

  String restoreFromSnapshot(String region, QueryParams p, String requestId) {
    String target = p.require("DBInstanceIdentifier");
    Identifiers.checkInstanceId("DBInstanceIdentifier", target);
    String snapshotId = Identifiers.name(p.require("DBSnapshotIdentifier"), "snapshot", region);
    SnapshotRec snap = b.snapshots.find(region, snapshotId).orElseThrow(() -> ApiError.snapshotNotFound(snapshotId));
    if (!snap.available()) {
      throw ApiError.snapshotState("Snapshot " + snapshotId + " is not in available state (" + snap.status() + ").");
    }
    Settings settings = settings(p);
    InstanceRec rec = newInstance(region, target, snap.instance(), settings);
    b.instances.add(rec);
    b.work.execute(() -> restore(rec, () -> {
      if (b.isHome(region)) {
        // replay stops at the first commit after the target: make sure there is one past the backup's end
        b.archiveQuietly(snap.instance());
      }
      SnapshotInfo local = b.platform.findSnapshot(region, snap.localId())
          .orElseThrow(() -> new LifeboatException(ErrorType.SNAPSHOT_NOT_FOUND, "Local snapshot " + snap.localId()
              + " is gone from " + region));
      return RestoreTags.spec(target, snap.instance(), local.stoppedAt(), snap.localId(), region, rec.tags());
    }));
    return answer("RestoreDBInstanceFromDBSnapshot", rec, requestId);
  }

  private interface SpecSupplier {
    RestoreSpec get();
  }

  private void restore(InstanceRec rec, SpecSupplier spec) {
    try {
      InstanceInfo info = b.platform.restoreToPointInTime(spec.get(), ProgressListener.NONE);
      log.info("Restored {} in {} on port {}", rec.id(), rec.region(), info.endpoint().port());
      if (b.instances.finishCreate(rec.id(), InstanceRec.AVAILABLE, null)) {
        deleteNow(rec.id());
      }
    } catch (RuntimeException e) {
      String status = e instanceof LifeboatException le && INCOMPATIBLE.contains(le.type())
          ? InstanceRec.INCOMPATIBLE_RESTORE : InstanceRec.FAILED;
      log.warn("Restore {} failed ({}): {}", rec.id(), status, e.getMessage());
      if (b.instances.finishCreate(rec.id(), status, e.getMessage())) {
        deleteNow(rec.id());
      }
    }
  }

  String describe(String region, QueryParams p, String requestId) {
    String id = Identifiers.name(p.get("DBInstanceIdentifier"), "db", region);
    Predicate<Instances.Entry> keep = e -> id == null || e.rec().id().equals(id);
    for (Map.Entry<String, List<String>> f : p.filters().entrySet()) {
      List<String> values = f.getValue();
      Predicate<Instances.Entry> filter = switch (f.getKey()) {
        case "db-instance-id" -> e -> values.contains(e.rec().id())
            || values.contains(b.arns.instance(region, e.rec().id()));
        case "dbi-resource-id" -> e -> values.contains(RdsXml.resourceId(e.rec().id()));
        case "engine" -> e -> values.contains("postgres");
        default -> throw ApiError.invalidParameter("Unrecognized filter name: " + f.getKey());
      };
      keep = keep.and(filter);
    }
    List<Instances.Entry> all = b.instances.list(region);
    List<Instances.Entry> matching = all.stream().filter(keep).toList();
    if (id != null && matching.isEmpty()) {
      throw ApiError.instanceNotFound(id);
    }
    Paging.Page<Instances.Entry> page = Paging.page(matching, p);
    Xml x = RdsXml.begin("DescribeDBInstances").leaf("Marker", page.marker()).start("DBInstances");
    page.items().forEach(e -> xml.instance(x, e, replicasOf(e.rec().id(), all)));
    x.end();
    return RdsXml.finish(x, requestId);
  }

  private static List<String> replicasOf(String id, List<Instances.Entry> all) {
    return all.stream().filter(e -> e.rec().managed() && e.local().isPresent()
            && e.local().get().role() == InstanceRole.REPLICA && id.equals(e.local().get().source()))
        .map(e -> e.rec().id()).toList();
  }

  /**
   * Lifeboat's IAM policy allows rds:DeleteDBInstance only on instances tagged
   * {@code lifeboat:temporary=true}; the fake answers AccessDenied as IAM would for any other.
   */
  String delete(String region, QueryParams p, String requestId) {
    String id = Identifiers.name(p.require("DBInstanceIdentifier"), "db", region);
    Instances.Entry e = b.instances.find(region, id).orElseThrow(() -> ApiError.instanceNotFound(id));
    if (!e.rec().temporary()) {
      throw new ApiError(403, "AccessDenied", "User: arn:aws:sts::" + b.arns.account() + ":assumed-role/lifeboat/"
          + "lifeboat is not authorized to perform: rds:DeleteDBInstance on resource: "
          + b.arns.instance(region, id) + " because no identity-based policy allows the rds:DeleteDBInstance"
          + " action (the policy requires the tag " + RestoreTags.TEMPORARY + "=true)");
    }
    Boolean skip = p.bool("SkipFinalSnapshot");
    String finalSnapshot = p.get("FinalDBSnapshotIdentifier");
    if (!Boolean.TRUE.equals(skip) && finalSnapshot == null) {
      throw ApiError.invalidCombination("FinalDBSnapshotIdentifier is required unless SkipFinalSnapshot is"
          + " specified.");
    }
    if (finalSnapshot != null) {
      throw ApiError.invalidCombination(Boolean.TRUE.equals(skip)
          ? "Cannot specify both SkipFinalSnapshot and FinalDBSnapshotIdentifier."
          : "This fake takes no final snapshots of restored instances: use SkipFinalSnapshot.");
    }
    InstanceRec before = b.instances.markDeleting(id)
        .orElseThrow(() -> ApiError.instanceNotFound(id));
    if (InstanceRec.DELETING.equals(before.status())) {
      throw ApiError.instanceState("Instance " + id + " is already being deleted.");
    }
    if (!InstanceRec.CREATING.equals(before.status())) {
      b.work.execute(() -> deleteNow(id));
    }
    return answer("DeleteDBInstance", before.deleting(), requestId);
  }

  private void deleteNow(String id) {
    try {
      b.platform.deleteTemporaryInstance(id);
      b.instances.remove(id);
      log.info("Deleted instance {}", id);
    } catch (RuntimeException e) {
      log.warn("Deleting {} failed: {}", id, e.getMessage());
      b.instances.update(id, r -> r.withStatus(InstanceRec.FAILED, "delete failed: " + e.getMessage()));
    }
  }

  String promote(String region, QueryParams p, String requestId) {
    String id = Identifiers.name(p.require("DBInstanceIdentifier"), "db", region);
    Instances.Entry e = b.instances.find(region, id).orElseThrow(() -> ApiError.instanceNotFound(id));
    if (e.local().isEmpty() || e.local().get().role() != InstanceRole.REPLICA) {
      throw ApiError.instanceState("DB Instance " + id + " is not a read replica.");
    }
    String status = RdsXml.status(e.rec(), e.local());
    if (!"available".equals(status)) {
      throw ApiError.instanceState("DB Instance " + id + " is not in available state (" + status + ").");
    }
    String source = e.local().get().source();
    b.instances.update(id, r -> r.withStatus(InstanceRec.MODIFYING, null));
    b.work.execute(() -> {
      String reason = null;
      try {
        // RDS leaves the source running; the local platform never lets two primaries take writes, so the
        // source is fenced (stopped) first, as a failover does
        if (source != null && b.local(source).filter(i -> i.role() == InstanceRole.PRIMARY
            && "available".equals(i.status())).isPresent()) {
          b.platform.failover().fence(source);
        }
        b.platform.failover().promote(id);
        log.info("Promoted read replica {}", id);
      } catch (RuntimeException ex) {
        log.warn("Promoting {} failed: {}", id, ex.getMessage());
        reason = "promotion failed: " + ex.getMessage();
      }
      String why = reason;
      b.instances.update(id, r -> r.withStatus(InstanceRec.AVAILABLE, why));
    });
    Instances.Entry now = b.instances.find(region, id).orElse(e);
    Xml x = RdsXml.begin("PromoteReadReplica");
    xml.instance(x, now, List.of());
    return RdsXml.finish(x, requestId);
  }

  /**
   * A new streaming replica of a running primary (a failover's replacement for a replica that
   * cannot follow the promoted one): a real replica on the local platform, managed from then on.
   * Of a temporary instance (a failover drill's restored primary), a temporary replica of it, owned
   * and expiring as its tags say.
   */
  String createReadReplica(String region, QueryParams p, String requestId) {
    String id = p.require("DBInstanceIdentifier");
    Identifiers.checkInstanceId("DBInstanceIdentifier", id);
    if (b.instances.exists(id)) {
      throw new ApiError(400, "DBInstanceAlreadyExists", "DB instance already exists");
    }
    String source = Identifiers.name(p.require("SourceDBInstanceIdentifier"), "db", region);
    Instances.Entry src = b.instances.find(region, source).filter(e -> e.rec().managed() || e.rec().temporary())
        .orElseThrow(() -> ApiError.instanceNotFound(source));
    boolean temporary = src.rec().temporary();
    Map<String, String> tags = p.tags("Tags");
    if (temporary) {
      RestoreTags.validate(tags);
    }
    if (src.local().isEmpty() || src.local().get().role() != (temporary ? InstanceRole.TEMPORARY : InstanceRole.PRIMARY)
        || !"available".equals(src.local().get().status())) {
      throw ApiError.instanceState("DB Instance " + source + " is not an available primary; it cannot be the source"
          + " of a read replica.");
    }
    String instanceClass = p.get("DBInstanceClass");
    InstanceRec rec = new InstanceRec(region, id, !temporary, InstanceRec.CREATING, null,
        instanceClass == null ? Instances.DEFAULT_CLASS : instanceClass, "default", p.list("VpcSecurityGroupIds"),
        Boolean.TRUE.equals(p.bool("PubliclyAccessible")), b.now(), tags, b.kmsKey(region), source, false);
    b.instances.add(rec);
    b.work.execute(() -> {
      try {
        if (temporary) {
          b.platform.failover().createTemporaryReplica(id, source, null, tags.get(RestoreTags.RUN),
              RestoreTags.expiresAt(tags));
        } else {
          b.platform.createReplica(id, source);
        }
        log.info("Created read replica {} of {}", id, source);
        b.instances.finishCreate(id, InstanceRec.AVAILABLE, null);
      } catch (RuntimeException e) {
        log.warn("Creating read replica {} failed: {}", id, e.getMessage());
        b.instances.finishCreate(id, InstanceRec.FAILED, e.getMessage());
      }
    });
    return answer("CreateDBInstanceReadReplica", rec, requestId);
  }

  private String answer(String action, InstanceRec rec, String requestId) {
    Xml x = RdsXml.begin(action);
    xml.instance(x, new Instances.Entry(rec, Optional.empty()), List.of());
    return RdsXml.finish(x, requestId);
  }
}
