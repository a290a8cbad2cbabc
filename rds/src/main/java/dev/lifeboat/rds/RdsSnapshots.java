package dev.lifeboat.rds;

import static dev.lifeboat.rds.RdsErrors.details;

import dev.lifeboat.common.ErrorType;
import dev.lifeboat.common.LifeboatException;
import dev.lifeboat.common.model.SnapshotInfo;
import dev.lifeboat.common.platform.ProgressListener;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.rds.model.CopyDbSnapshotRequest;
import software.amazon.awssdk.services.rds.model.DBSnapshot;

/**
 * Manual DB snapshots and their cross-region copies. Every operation is idempotent: a snapshot or
 * copy of the requested id that exists is the work of an earlier attempt, waited for and returned.
 */
final class RdsSnapshots {
  private static final Logger log = LoggerFactory.getLogger(RdsSnapshots.class);
  /** A copy whose PercentProgress has not moved for this long is reported as stuck. */
  static final Duration DEFAULT_STUCK_AFTER = Duration.ofHours(3);
  /** A tag of a copy in Lifeboat's view (not in RDS): the region it was copied from, as on the local platform. */
  static final String COPIED_FROM = "copied-from";
  private static final Duration DELETE_WAIT = Duration.ofMinutes(10);

  private final RdsContext ctx;
  private final RdsQuotas quotas;
  private final CopyScheduler scheduler;
  private volatile Duration stuckAfter = DEFAULT_STUCK_AFTER;

  RdsSnapshots(RdsContext ctx, RdsQuotas quotas) {
    this.ctx = ctx;
    this.quotas = quotas;
    this.scheduler = new CopyScheduler(ctx.settings.pollInterval().compareTo(RdsContext.HEARTBEAT_EVERY) < 0
        ? ctx.settings.pollInterval() : RdsContext.HEARTBEAT_EVERY);
  }

  void stuckAfter(Duration d) {
    this.stuckAfter = d;
  }

  SnapshotInfo create(String instanceId, String snapshotId, Map<String, String> tags, ProgressListener progress) {
    if (snapshotId == null || snapshotId.isBlank()) {
      throw new LifeboatException(ErrorType.INVALID_REQUEST, "A snapshot id is required", details("instance",
          instanceId));
    }
    ctx.managed(instanceId);
    String region = ctx.home();
    Optional<DBSnapshot> existing = ctx.describeSnapshot(region, snapshotId);
    if (existing.isPresent()) {
      requireSameInstance(existing.get(), instanceId, region);
      log.info("Snapshot {} of {} exists already (status {}); waiting for it", snapshotId, instanceId,
          existing.get().status());
      return waitAvailable(region, snapshotId, progress, "snapshot " + snapshotId + " of " + instanceId, false);
    }
    quotas.requireSnapshotRoom(region, snapshotId, "take snapshot " + snapshotId + " of " + instanceId);
    Map<String, String> all = new LinkedHashMap<>(tags == null ? Map.of() : tags);
    all.put(RdsTags.MANAGED, RdsTags.TRUE);
    try {
      ctx.rds(region).createDBSnapshot(b -> b.dbInstanceIdentifier(instanceId).dbSnapshotIdentifier(snapshotId)
          .tags(RdsTags.toTags(all)));
      log.info("CreateDBSnapshot {} of {} sent in {}", snapshotId, instanceId, region);
    } catch (SdkException e) {
      if (RdsErrors.hasCode(e, "InvalidDBInstanceState")) {
        // backing up, modifying, in maintenance: RDS takes snapshots again once it is available
        throw new RdsTransientException("CreateDBSnapshot " + snapshotId + ": " + instanceId + " cannot be"
            + " snapshotted in its current state (" + e.getMessage() + "); retried once it is available");
      }
      if (!RdsErrors.hasCode(e, RdsErrors.DB_SNAPSHOT_ALREADY_EXISTS)) {
        throw RdsErrors.translate(e, "CreateDBSnapshot", region, details("instance", instanceId,
            "snapshotId", snapshotId));
      }
      // an earlier attempt created it and its answer was lost
      ctx.describeSnapshot(region, snapshotId).ifPresent(s -> requireSameInstance(s, instanceId, region));
      log.info("Snapshot {} was created by an earlier attempt; waiting for it", snapshotId);
    }
    return waitAvailable(region, snapshotId, progress, "snapshot " + snapshotId + " of " + instanceId, false);
  }

  /**
   * Lifeboat's snapshots (tagged {@code lifeboat:managed=true}, copies included): a DBA's own manual
   * snapshot is never listed, so retention never expires it.
   */
  List<SnapshotInfo> list(String instanceId, String region) {
    List<String> regions = region == null ? ctx.regionNames() : List.of(ctx.region(region).name());
    return regions.stream()
        .flatMap(r -> ctx.describeSnapshots(r, instanceId, "manual").stream().filter(RdsSnapshots::managed)
            .map(s -> toInfo(s, r)))
        .sorted(Comparator.comparing(SnapshotInfo::stoppedAt, Comparator.nullsLast(Comparator.naturalOrder()))
            .thenComparing(SnapshotInfo::id))
        .toList();
  }

  Optional<SnapshotInfo> find(String region, String snapshotId) {
    String r = ctx.region(region).name();
    if (snapshotId == null || snapshotId.isBlank()) {
      return Optional.empty();
    }
    return ctx.describeSnapshot(r, snapshotId).map(s -> toInfo(s, r));
  }

  boolean delete(String region, String snapshotId) {
    String r = ctx.region(region).name();
    Optional<DBSnapshot> found = ctx.describeSnapshot(r, snapshotId);
    if (found.isEmpty()) {
      return false;
    }
    if ("deleting".equalsIgnoreCase(found.get().status())) {
      return true;
    }
    if (!managed(found.get())) {
      throw new LifeboatException(ErrorType.NOT_A_LIFEBOAT_SNAPSHOT, "Snapshot " + snapshotId + " in " + r
          + " was not taken by Lifeboat (no tag " + RdsTags.MANAGED + "=true): Lifeboat deletes only its own"
          + " snapshots; delete it by hand if it is no longer needed", details("snapshotId", snapshotId,
          "region", r));
    }
    try {
      ctx.rds(r).deleteDBSnapshot(b -> b.dbSnapshotIdentifier(snapshotId));
      log.info("Deleted snapshot {} of {} in {}", snapshotId, found.get().dbInstanceIdentifier(), r);
      return true;
    } catch (SdkException e) {
      if (RdsErrors.hasCode(e, RdsErrors.DB_SNAPSHOT_NOT_FOUND)) {
        return false;
      }
      throw RdsErrors.translate(e, "DeleteDBSnapshot", r, details("snapshotId", snapshotId));
    }
  }

  static boolean managed(DBSnapshot snapshot) {
    return RdsTags.TRUE.equals(RdsTags.toMap(snapshot.tagList()).get(RdsTags.MANAGED));
  }

  SnapshotInfo copy(String sourceRegion, String snapshotId, String targetRegion, ProgressListener progress) {
    String from = ctx.region(sourceRegion).name();
    if (targetRegion == null) {
      throw new LifeboatException(ErrorType.INVALID_REQUEST, "A copy needs a target region",
          details("snapshotId", snapshotId, "region", from));
    }
    RdsSettings.Region to = ctx.region(targetRegion);
    if (from.equals(to.name())) {
      throw new LifeboatException(ErrorType.INVALID_REQUEST, "Snapshot " + snapshotId + " is in region " + from
          + " already; a copy needs another target region", details("snapshotId", snapshotId, "region", from));
    }
    DBSnapshot source = ctx.describeSnapshot(from, snapshotId)
        .filter(s -> "available".equalsIgnoreCase(s.status()))
        .orElseThrow(() -> new LifeboatException(ErrorType.SNAPSHOT_NOT_FOUND, "No available snapshot '"
            + snapshotId + "' in region " + from, details("snapshotId", snapshotId, "region", from)));
    boolean encrypted = Boolean.TRUE.equals(source.encrypted());
    if (encrypted && (to.kmsKeyId() == null || to.kmsKeyId().isBlank())) {
      throw new LifeboatException(ErrorType.CONFIGURATION_ERROR, "Snapshot " + snapshotId + " of "
          + source.dbInstanceIdentifier() + " is encrypted, and an encrypted snapshot copied to " + to.name()
          + " must be encrypted with a KMS key of that region: set platform.rds.regions[" + to.name()
          + "].kmsKeyId to the ARN of a key Lifeboat's role may use there", details("snapshotId", snapshotId,
          "sourceRegion", from, "region", to.name(), "instance", source.dbInstanceIdentifier()));
    }
    String what = "copy of " + snapshotId + " in " + to.name();
    Optional<DBSnapshot> done = ctx.describeSnapshot(to.name(), snapshotId);
    if (done.isPresent() && "available".equals(status(done.get().status()))) {
      requireSameInstance(done.get(), source.dbInstanceIdentifier(), to.name());
      progress.progress(what + " was available already", 100, bytes(done.get()));
      return toInfo(done.get(), to.name());
    }
    String sourceArn = source.dbSnapshotArn();
    return scheduler.run(to.name(), to.maxCopiesInFlight(), sourceArn == null ? from + "/" + snapshotId : sourceArn,
        () -> copiesInFlight(to.name(), snapshotId), progress,
        () -> startCopy(source, from, to, encrypted),
        () -> waitAvailable(to.name(), snapshotId, progress, what, true));
  }

  /** Sends CopyDBSnapshot unless an earlier attempt did; an available copy needs no slot, but waits here too. */
  private void startCopy(DBSnapshot source, String from, RdsSettings.Region to, boolean encrypted) {
    String id = source.dbSnapshotIdentifier();
    Optional<DBSnapshot> existing = ctx.describeSnapshot(to.name(), id);
    if (existing.isPresent()) {
      requireSameInstance(existing.get(), source.dbInstanceIdentifier(), to.name());
      if (!isFailed(existing.get().status())) {
        log.info("Copy of {} in {} exists already (status {})", id, to.name(), existing.get().status());
        return;
      }
      log.warn("Copy of {} in {} failed earlier; deleting it to copy again", id, to.name());
      delete(to.name(), id);
      waitGone(to.name(), id);
    }
    quotas.requireSnapshotRoom(to.name(), id, "copy snapshot " + id + " to " + to.name());
    String arn = source.dbSnapshotArn() != null ? source.dbSnapshotArn() : id;
    CopyDbSnapshotRequest.Builder request = CopyDbSnapshotRequest.builder()
        .sourceDBSnapshotIdentifier(arn)
        .targetDBSnapshotIdentifier(id)
        .copyTags(true)
        .sourceRegion(from);
    if (encrypted) {
      request.kmsKeyId(to.kmsKeyId());
    }
    try {
      ctx.rds(to.name()).copyDBSnapshot(request.build());
      log.info("CopyDBSnapshot {} from {} to {} sent", id, from, to.name());
    } catch (SdkException e) {
      if (!RdsErrors.hasCode(e, RdsErrors.DB_SNAPSHOT_ALREADY_EXISTS)) {
        throw RdsErrors.translate(e, "CopyDBSnapshot", to.name(), details("snapshotId", id, "sourceRegion", from,
            "instance", source.dbInstanceIdentifier(), "kmsKeyId", encrypted ? to.kmsKeyId() : null));
      }
      log.info("Copy of {} in {} was started by an earlier attempt", id, to.name());
    }
  }

  /** Copies into {@code region} RDS reports as not yet available, started by any worker (this one excluded). */
  private int copiesInFlight(String region, String exceptId) {
    return (int) ctx.describeSnapshots(region, null, "manual").stream()
        .filter(s -> s.sourceRegion() != null || s.sourceDBSnapshotIdentifier() != null)
        .filter(s -> !exceptId.equals(s.dbSnapshotIdentifier()))
        .filter(s -> "creating".equals(status(s.status())))
        .count();
  }

  /**
   * Polls until the snapshot is available, reporting RDS's PercentProgress. A failed snapshot
   * fails the call; with {@code detectStuck}, so does a percentage that does not move for
   * {@link #stuckAfter}.
   */
  SnapshotInfo waitAvailable(String region, String snapshotId, ProgressListener progress, String what,
      boolean detectStuck) {
    Integer lastPercent = null;
    long lastChange = System.nanoTime();
    while (true) {
      DBSnapshot s = ctx.describeSnapshot(region, snapshotId).orElseThrow(() -> new LifeboatException(
          ErrorType.SNAPSHOT_NOT_FOUND, "The " + what + " disappeared while Lifeboat waited for it (deleted by"
              + " someone else?); run again", details("snapshotId", snapshotId, "region", region)));
      String status = status(s.status());
      Integer percent = s.percentProgress();
      if ("available".equals(status)) {
        progress.progress(what + " is available", 100, bytes(s));
        return toInfo(s, region);
      }
      if ("failed".equals(status)) {
        throw new LifeboatException(ErrorType.PLATFORM_ERROR, "RDS reports the " + what + " as " + s.status()
            + "; delete it (it holds no usable data) and run again; the RDS events of the snapshot say why",
            details("snapshotId", snapshotId, "region", region, "instance", s.dbInstanceIdentifier(),
                "status", s.status()));
      }
      if (!Objects.equals(percent, lastPercent)) {
        lastPercent = percent;
        lastChange = System.nanoTime();
      } else if (detectStuck && System.nanoTime() - lastChange > stuckAfter.toNanos()) {
        throw new LifeboatException(ErrorType.PLATFORM_ERROR, "The " + what + " is stuck: RDS reports "
            + (percent == null ? "no progress" : percent + "%") + " (status " + s.status() + ") with no change for "
            + stuckAfter.toMinutes() + " minutes. Check the RDS events and the copy quota of " + region
            + "; delete the copy and run again, or open an AWS support case with the snapshot ARN",
            details("snapshotId", snapshotId, "region", region, "percent", percent, "status", s.status(),
                "stuckForMinutes", stuckAfter.toMinutes()));
      }
      String detail = what + ": RDS status " + s.status() + (percent == null ? "" : " (" + percent + "%)");
      Integer shown = percent == null ? null : Math.min(99, percent);
      progress.progress(detail, shown, null);
      ctx.sleepPoll(progress, detail, shown);
    }
  }

  private void waitGone(String region, String snapshotId) {
    long deadline = System.nanoTime() + DELETE_WAIT.toNanos();
    while (ctx.describeSnapshot(region, snapshotId).isPresent()) {
      if (System.nanoTime() > deadline) {
        throw new RdsTransientException("Snapshot " + snapshotId + " in " + region + " is still being deleted after "
            + DELETE_WAIT.toMinutes() + " minutes; the copy will be retried");
      }
      ctx.sleepPoll();
    }
  }

  private static void requireSameInstance(DBSnapshot s, String instanceId, String region) {
    if (s.dbInstanceIdentifier() != null && !s.dbInstanceIdentifier().equals(instanceId)) {
      throw new LifeboatException(ErrorType.INVALID_REQUEST, "Snapshot id " + s.dbSnapshotIdentifier()
          + " is taken in " + region + " by a snapshot of " + s.dbInstanceIdentifier(),
          details("snapshotId", s.dbSnapshotIdentifier(), "region", region, "instance", s.dbInstanceIdentifier()));
    }
  }

  /** RDS's snapshot status in Lifeboat's words: {@code creating}, {@code available} or {@code failed}. */
  static String status(String rdsStatus) {
    String s = rdsStatus == null ? "" : rdsStatus.toLowerCase(Locale.ROOT);
    if (s.equals("available")) {
      return "available";
    }
    return isFailed(s) ? "failed" : "creating";
  }

  private static boolean isFailed(String rdsStatus) {
    String s = rdsStatus == null ? "" : rdsStatus.toLowerCase(Locale.ROOT);
    return s.contains("fail") || s.contains("error") || s.startsWith("incompatible");
  }

  /**
   * The snapshot in Lifeboat's terms. Its time is when the data was taken: a copy keeps the
   * source's OriginalSnapshotCreateTime, so copies order by data age, not by when they were made.
   */
  static SnapshotInfo toInfo(DBSnapshot s, String region) {
    Instant time = s.originalSnapshotCreateTime() != null ? s.originalSnapshotCreateTime() : s.snapshotCreateTime();
    Map<String, String> tags = RdsTags.toMap(s.tagList());
    if (s.sourceRegion() != null && !s.sourceRegion().equals(region)) {
      tags.putIfAbsent(COPIED_FROM, s.sourceRegion());
    }
    return new SnapshotInfo(s.dbSnapshotIdentifier(), s.dbInstanceIdentifier(), region, status(s.status()), time,
        time, bytes(s), tags);
  }

  private static long bytes(DBSnapshot s) {
    return s.allocatedStorage() == null ? 0 : s.allocatedStorage() * (1L << 30);
  }
}
