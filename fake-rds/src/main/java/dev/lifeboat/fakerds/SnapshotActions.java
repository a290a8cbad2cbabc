package dev.lifeboat.fakerds;

import dev.lifeboat.common.model.SnapshotInfo;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * CreateDBSnapshot, DescribeDBSnapshots, DeleteDBSnapshot and CopyDBSnapshot. Each answers at
 * once; the base backup, the copy and the deletion run in the background while the snapshot shows
 * {@code creating} or {@code copying} with its PercentProgress.
 */
final class SnapshotActions {
  private static final Logger log = LoggerFactory.getLogger(SnapshotActions.class);
  private static final Duration POLL = Duration.ofMillis(100);

  private final Backend b;
  private final RdsXml xml;

  SnapshotActions(Backend backend, RdsXml xml) {
    this.b = backend;
    this.xml = xml;
  }

  String create(String region, QueryParams p, String requestId) {
    String id = p.require("DBSnapshotIdentifier");
    String instance = Identifiers.name(p.require("DBInstanceIdentifier"), "db", region);
    Identifiers.checkSnapshotId("DBSnapshotIdentifier", id);
    Instances.Entry entry = b.instances.find(region, instance).orElseThrow(() -> ApiError.instanceNotFound(instance));
    if (!entry.rec().managed()) {
      throw ApiError.instanceState("This fake snapshots the platform's own instances only; " + instance
          + " is a restored instance.");
    }
    String status = RdsXml.status(entry.rec(), entry.local());
    if (!"available".equals(status)) {
      throw ApiError.instanceState("DBInstance " + instance + " is not in available state (" + status + ").");
    }
    Map<String, String> tags = p.tags("Tags");
    SnapshotRec rec = new SnapshotRec(region, id, id, instance, SnapshotRec.CREATING, 0, b.now(), null, null, 0,
        tags, b.kmsKey(region), null, null, null, null);
    b.snapshots.add(rec, b.faults.manualSnapshotQuota());
    b.work.execute(() -> take(rec));
    Xml x = RdsXml.begin("CreateDBSnapshot");
    xml.snapshot(x, rec);
    return RdsXml.finish(x, requestId);
  }

  private void take(SnapshotRec rec) {
    try {
      SnapshotInfo info = b.platform.createSnapshot(rec.instance(), rec.localId(), rec.tags(),
          (detail, percent, bytes) -> {
            if (percent != null) {
              b.snapshots.update(rec.region(), rec.id(), s -> s.withProgress(s.status(), Math.min(99, percent)));
            }
          });
      b.snapshots.update(rec.region(), rec.id(), s -> s.withLocal(info, SnapshotRec.AVAILABLE, 100));
      log.info("Snapshot {} of {} is available in {}", rec.id(), rec.instance(), rec.region());
    } catch (RuntimeException e) {
      log.warn("Snapshot {} of {} failed: {}", rec.id(), rec.instance(), e.getMessage());
      b.snapshots.update(rec.region(), rec.id(), s -> s.failed(e.getMessage()));
    }
  }

  String describe(String region, QueryParams p, String requestId) {
    String id = Identifiers.name(p.get("DBSnapshotIdentifier"), "snapshot", region);
    String instance = Identifiers.name(p.get("DBInstanceIdentifier"), "db", region);
    String type = p.get("SnapshotType");
    Predicate<SnapshotRec> keep = s -> (id == null || s.id().equals(id))
        && (instance == null || s.instance().equals(instance))
        && (type == null || type.equals("manual"));
    for (Map.Entry<String, List<String>> f : p.filters().entrySet()) {
      List<String> values = f.getValue();
      Predicate<SnapshotRec> filter = switch (f.getKey()) {
        case "db-snapshot-id" -> s -> values.contains(s.id())
            || values.contains(b.arns.snapshot(region, s.id()));
        case "db-instance-id" -> s -> values.contains(s.instance())
            || values.contains(b.arns.instance(b.home(), s.instance()));
        case "snapshot-type" -> s -> values.contains("manual");
        case "dbi-resource-id" -> s -> values.contains(RdsXml.resourceId(s.instance()));
        default -> throw ApiError.invalidParameter("Unrecognized filter name: " + f.getKey());
      };
      keep = keep.and(filter);
    }
    List<SnapshotRec> all = b.snapshots.list(region).stream().filter(keep).toList();
    if (id != null && all.isEmpty()) {
      throw ApiError.snapshotNotFound(id);
    }
    Paging.Page<SnapshotRec> page = Paging.page(all, p);
    Xml x = RdsXml.begin("DescribeDBSnapshots").leaf("Marker", page.marker()).start("DBSnapshots");
    page.items().forEach(s -> xml.snapshot(x, s));
    x.end();
    return RdsXml.finish(x, requestId);
  }

  String delete(String region, QueryParams p, String requestId) {
    String id = Identifiers.name(p.require("DBSnapshotIdentifier"), "snapshot", region);
    SnapshotRec rec = b.snapshots.find(region, id).orElseThrow(() -> ApiError.snapshotNotFound(id));
    if (rec.inProgress()) {
      throw ApiError.snapshotState("Cannot delete the snapshot " + id + " because it is " + rec.status() + ".");
    }
    Optional<String> local = b.snapshots.remove(rec);
    local.ifPresent(localId -> b.work.execute(() -> {
      try {
        b.platform.deleteSnapshot(region, localId);
      } catch (RuntimeException e) {
        log.warn("Deleting local snapshot {} in {} failed: {}", localId, region, e.getMessage());
      } finally {
        b.snapshots.localDeleted(region, localId);
      }
    }));
    Xml x = RdsXml.begin("DeleteDBSnapshot");
    xml.snapshot(x, rec.withProgress("deleted", rec.percent()));
    return RdsXml.finish(x, requestId);
  }

  /**
   * Called in the destination region. A cross-region copy of an (always encrypted) snapshot needs
   * the PreSignedUrl the SDK makes from SourceRegion, and a KmsKeyId of the destination region.
   */
  String copy(String region, QueryParams p, String requestId) {
    String source = p.require("SourceDBSnapshotIdentifier");
    String target = p.require("TargetDBSnapshotIdentifier");
    Identifiers.checkSnapshotId("TargetDBSnapshotIdentifier", target);
    String sourceRegion = region;
    String sourceId = source;
    if (source.startsWith("arn:")) {
      Arns.Arn arn = Arns.parse(source).filter(a -> a.service().equals("rds") && a.type().equals("snapshot"))
          .orElseThrow(() -> ApiError.invalidParameter("Invalid source snapshot ARN " + source));
      if (!b.platform.regions().contains(arn.region())) {
        throw ApiError.invalidParameter("Invalid source region " + arn.region() + " in " + source);
      }
      if (!arn.account().equals(b.arns.account())) {
        throw ApiError.snapshotNotFound(source);
      }
      sourceRegion = arn.region();
      sourceId = arn.name();
    }
    String fromId = sourceId;
    SnapshotRec src = b.snapshots.find(sourceRegion, sourceId).orElseThrow(() -> ApiError.snapshotNotFound(fromId));
    if (!src.available()) {
      throw ApiError.snapshotState("Snapshot " + sourceId + " is not in available state (" + src.status() + ").");
    }
    boolean cross = !sourceRegion.equals(region);
    String kmsKeyId = p.get("KmsKeyId");
    if (cross && p.get("PreSignedUrl") == null) {
      throw ApiError.invalidParameter("PreSignedUrl is required to copy an encrypted DB snapshot from another region"
          + " (" + sourceRegion + "); with the AWS SDK set SourceRegion and it presigns the request.");
    }
    if (cross && kmsKeyId == null) {
      throw ApiError.invalidParameter("KmsKeyId must be specified to copy an encrypted DB snapshot to another region:"
          + " a KMS key of " + region + ".");
    }
    if (kmsKeyId != null && !KmsService.matches(kmsKeyId, b.kmsKey(region))) {
      throw new ApiError(400, "KMSKeyNotAccessibleFault", "The specified KMS key [" + kmsKeyId + "] does not exist,"
          + " is not enabled or you do not have permissions to access it in region " + region + ".");
    }
    Map<String, String> tags = new LinkedHashMap<>();
    if (Boolean.TRUE.equals(p.bool("CopyTags"))) {
      tags.putAll(src.tags());
    }
    tags.putAll(p.tags("Tags"));
    SnapshotRec rec = new SnapshotRec(region, target, src.localId(), src.instance(), SnapshotRec.COPYING, 0, b.now(),
        null, null, 0, tags, kmsKeyId == null ? src.kmsKeyId() : b.kmsKey(region),
        b.arns.snapshot(sourceRegion, sourceId), cross ? sourceRegion : null,
        src.originalCreateTime() == null ? src.startedAt() : src.originalCreateTime(), null);
    b.snapshots.add(rec, b.faults.manualSnapshotQuota());
    b.stats.copyStarted(region);
    String from = sourceRegion;
    try {
      b.copies.execute(() -> runCopy(rec, from, src));
    } catch (RuntimeException e) {
      b.stats.copyFinished(region);
      throw e;
    }
    Xml x = RdsXml.begin("CopyDBSnapshot");
    xml.snapshot(x, rec);
    return RdsXml.finish(x, requestId);
  }

  private void runCopy(SnapshotRec rec, String sourceRegion, SnapshotRec src) {
    long started = System.nanoTime();
    try {
      SnapshotRec done;
      if (!sourceRegion.equals(rec.region())) {
        if (b.isHome(sourceRegion)) {
          // so the WAL copied with the snapshot holds a commit past the end of the backup
          b.archiveQuietly(src.instance());
        }
        SnapshotInfo info = b.platform.copySnapshot(sourceRegion, src.localId(), rec.region(),
            (detail, percent, bytes) -> {
              if (percent != null) {
                b.snapshots.update(rec.region(), rec.id(), s -> s.withProgress(s.status(), Math.min(99, percent)));
              }
            });
        done = rec.withLocal(info, SnapshotRec.AVAILABLE, 100);
      } else {
        done = rec.withTimes(src.startedAt(), src.stoppedAt(), src.bytes(), SnapshotRec.AVAILABLE, 100);
      }
      waitOutDelayAndStuck(rec, started);
      b.snapshots.update(rec.region(), rec.id(), s -> done.withTags(s.tags()));
      log.info("Copy {} of {} is available in {}", rec.id(), rec.sourceArn(), rec.region());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      log.warn("Copy {} of {} to {} failed: {}", rec.id(), rec.sourceArn(), rec.region(), e.getMessage());
      b.snapshots.update(rec.region(), rec.id(), s -> s.failed(e.getMessage()));
    } finally {
      b.stats.copyFinished(rec.region());
    }
  }

  private void waitOutDelayAndStuck(SnapshotRec rec, long startedNanos) throws InterruptedException {
    while (true) {
      long delay = b.faults.copyDelay().toNanos();
      long elapsed = System.nanoTime() - startedNanos;
      if (elapsed >= delay && !b.faults.stuckCopies()) {
        return;
      }
      int percent = delay <= 0 ? 99 : (int) Math.min(99, elapsed * 100 / delay);
      b.snapshots.update(rec.region(), rec.id(), s -> s.withProgress(s.status(), Math.max(s.percent(), percent)));
      Thread.sleep(POLL.toMillis());
    }
  }
}
