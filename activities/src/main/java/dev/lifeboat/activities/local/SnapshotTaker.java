package dev.lifeboat.activities.local;

import static dev.lifeboat.activities.local.LocalContext.details;

import dev.lifeboat.common.ErrorType;
import dev.lifeboat.common.LifeboatException;
import dev.lifeboat.common.model.InstanceRole;
import dev.lifeboat.common.platform.ProgressListener;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes snapshots: a {@code pg_basebackup} into the region's snapshot storage, compressed with zstd
 * on the server ({@link SnapshotFormat}).
 * {@code startedAt} is noted before the backup begins and {@code stoppedAt} after it returns, so
 * both are conservative: any target after {@code stoppedAt} is past the backup's end.
 */
final class SnapshotTaker {
  private static final Logger log = LoggerFactory.getLogger(SnapshotTaker.class);
  static final Pattern SNAPSHOT_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,254}");

  private final LocalContext ctx;

  SnapshotTaker(LocalContext ctx) {
    this.ctx = ctx;
  }

  SnapshotRecord create(String instanceId, String snapshotId, Map<String, String> tags, ProgressListener progress) {
    if (snapshotId == null || !SNAPSHOT_ID.matcher(snapshotId).matches() || snapshotId.contains("..")) {
      throw new LifeboatException(ErrorType.INVALID_REQUEST, "Invalid snapshot id '" + snapshotId
          + "': letters, digits, '.', '_' and '-' only", details("snapshotId", snapshotId));
    }
    InstanceRecord instance = ctx.managed(instanceId);
    if (instance.role() == InstanceRole.FORMER_PRIMARY) {
      throw new LifeboatException(ErrorType.INVALID_REQUEST, "Instance " + instanceId + " is a former primary,"
          + " fenced by a failover: snapshot the primary that replaced it", details("instance", instanceId));
    }
    String region = ctx.region();
    return ctx.locked("snapshot:" + region + "/" + snapshotId, () -> {
      Optional<SnapshotRecord> existing = ctx.snapshots.find(region, snapshotId);
      if (existing.isPresent()) {
        SnapshotRecord s = existing.get();
        if (!s.instance().equals(instanceId)) {
          throw new LifeboatException(ErrorType.INVALID_REQUEST, "Snapshot id " + snapshotId + " is taken by a snapshot of "
              + s.instance(), details("snapshotId", snapshotId, "instance", s.instance()));
        }
        if (s.available()) {
          return s;
        }
        log.info("Removing partial snapshot {} before taking it again", snapshotId);
        ctx.snapshots.delete(region, snapshotId);
      }
      PgCluster cluster = ctx.cluster(instanceId);
      if (!cluster.isRunning()) {
        throw new LifeboatException(ErrorType.PLATFORM_ERROR, "Instance " + instanceId
            + " is stopped; start it before taking snapshot " + snapshotId, details("instance", instanceId));
      }
      Instant startedAt = ctx.now();
      SnapshotRecord record = new SnapshotRecord(snapshotId, instanceId, region, SnapshotRecord.CREATING, startedAt,
          null, 0, tags, null, 0);
      ctx.osUser.createOwnedDirectory(ctx.snapshots.dir(region, snapshotId), "755");
      ctx.snapshots.save(record);
      try {
        ctx.baseBackup.takeCompressed(instance.port(), ctx.snapshots.dataDir(region, snapshotId), progress);
      } catch (RuntimeException e) {
        ctx.snapshots.delete(region, snapshotId);
        throw new LifeboatException(ErrorType.PLATFORM_ERROR, "Snapshot " + snapshotId + " of " + instanceId
            + " failed: " + e.getMessage(), details("instance", instanceId, "snapshotId", snapshotId), e);
      } catch (Error e) {
        ctx.snapshots.delete(region, snapshotId);
        throw e;
      }
      Instant stoppedAt = ctx.now();
      SnapshotStore.BackupLabel label = SnapshotStore.readLabel(ctx.snapshots.dataDir(region, snapshotId));
      SnapshotRecord done = new SnapshotRecord(snapshotId, instanceId, region, SnapshotRecord.AVAILABLE, startedAt,
          stoppedAt, FileTrees.size(ctx.snapshots.dataDir(region, snapshotId)), tags, label.startSegment(),
          label.timeline());
      ctx.snapshots.save(done);
      log.info("Snapshot {} of {} available ({} bytes, WAL from {})", snapshotId, instanceId, done.bytes(),
          label.startSegment());
      return done;
    });
  }
}
