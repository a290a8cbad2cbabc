package dev.lifeboat.activities.local;

import static dev.lifeboat.activities.local.LocalContext.details;

import dev.lifeboat.common.ErrorType;
import dev.lifeboat.common.LifeboatException;
import dev.lifeboat.common.model.RestorePlan;
import dev.lifeboat.common.model.RestoreWindow;
import dev.lifeboat.common.model.SnapshotInfo;
import dev.lifeboat.common.model.WalGap;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides what can be restored: the window of an instance, and for one target time the snapshot
 * to start from. The rules come from how PostgreSQL 15 behaves (DESIGN.md, "PITR on PostgreSQL
 * 15"): a target before a backup's end is silently wrong, so only snapshots stopped at or before
 * the target qualify; replay stops only at a commit later than the target, so the newest archived
 * commit bounds the window.
 *
 * <p>Every decision is made within one region: its snapshots and its archive (in a DR region,
 * the copies and the WAL copied with them), so the window there ends at the newest commit that
 * was copied.
 */
final class RestorePlanner {
  private static final Logger log = LoggerFactory.getLogger(RestorePlanner.class);
  private static final Duration ARCHIVE_WAIT = Duration.ofSeconds(60);
  private static final Duration POLL = Duration.ofMillis(200);

  private final LocalContext ctx;

  RestorePlanner(LocalContext ctx) {
    this.ctx = ctx;
  }

  /** Whether replay from a snapshot reaches a target, judged from the archive alone. */
  enum Reach { REACHABLE, WAL_MISSING, NOT_ARCHIVED_YET }

  record Reachability(Reach reach, Instant newestCommit, List<WalGap> gaps) {}

  RestoreWindow window(InstanceRecord record, String region) {
    List<SnapshotRecord> snapshots = availableSnapshots(record.id(), region);
    List<SnapshotInfo> infos = snapshots.stream().map(SnapshotRecord::toInfo).toList();
    if (snapshots.isEmpty()) {
      return new RestoreWindow(record.id(), region, null, null, infos, List.of());
    }
    WalArchive archive = ctx.archiveOf(record, region);
    List<WalGap> gaps = archive.gaps(snapshots.get(0).start());
    // A snapshot's WAL has no gap after it exactly when its contiguous run reaches the newest segment:
    // one listing per snapshot instead of a gap scan each.
    Optional<WalSegment> newest = archive.newest();
    Instant earliest = null;
    Instant latest = null;
    for (SnapshotRecord s : snapshots) {
      Optional<WalSegment> end = archive.contiguousEnd(s.start());
      if (end.isEmpty() || !end.equals(newest)) {
        continue;
      }
      earliest = s.stoppedAt();
      latest = archive.newestCommit(s.start(), end.get()).orElse(null);
      break;
    }
    if (earliest == null || latest == null || latest.isBefore(earliest)) {
      // no commit archived since the backup ended: nothing can be reached yet
      return new RestoreWindow(record.id(), region, null, null, infos, gaps);
    }
    return new RestoreWindow(record.id(), region, earliest, latest, infos, gaps);
  }

  RestorePlan plan(InstanceRecord record, String region, Instant target) {
    Instant now = ctx.now();
    if (target.isAfter(now)) {
      throw new LifeboatException(ErrorType.RESTORE_TIME_IN_FUTURE, "Restore time " + target
          + " is in the future (now " + now + "); the latest restorable time is the newest archived commit of "
          + record.id(), details("instance", record.id(), "targetTime", target, "now", now));
    }
    SnapshotRecord chosen = chooseSnapshot(record, region, target);
    Reachability reach = reachability(record, chosen, target);
    // a WAL switch feeds the home archive only; a DR region moves forward when WAL is copied
    if (reach.reach() == Reach.NOT_ARCHIVED_YET && ctx.isHome(region) && forceArchive(record)) {
      reach = reachability(record, chosen, target);
    }
    switch (reach.reach()) {
      case REACHABLE -> {
        return new RestorePlan(record.id(), target, chosen.id(), chosen.stoppedAt(), region);
      }
      case WAL_MISSING -> throw walMissing(record, chosen, target, reach);
      default -> {
        RestoreWindow window = window(record, region);
        throw new LifeboatException(ErrorType.RESTORE_TIME_OUTSIDE_WINDOW, "Restore time " + target
            + " is after the newest archived commit of " + record.id()
            + (ctx.isHome(region) ? "" : " copied to region " + region)
            + (reach.newestCommit() == null ? " (none archived since snapshot " + chosen.id() + ")" : " ("
                + reach.newestCommit() + ")")
            + (!ctx.isHome(region) ? "; copying a snapshot to " + region + " again copies the newer WAL"
                : ctx.cluster(LocalContext.archiveOwner(record)).isRunning()
                ? "; forcing a WAL switch did not archive a newer one"
                : "; the instance is stopped, so nothing newer can be archived")
            + ". " + windowText(window),
            details("instance", record.id(), "region", region, "targetTime", target, "earliest",
                window.earliest(), "latest", window.latest()));
      }
    }
  }

  /**
   * Checks the archive (of the snapshot's region) between a snapshot and a target; throws
   * WAL_MISSING when a gap lies in between.
   */
  void checkNoGap(InstanceRecord record, SnapshotRecord snapshot, Instant target) {
    Reachability reach = reachability(record, snapshot, target);
    if (reach.reach() == Reach.WAL_MISSING) {
      throw walMissing(record, snapshot, target, reach);
    }
  }

  boolean hasGapAfter(InstanceRecord record, SnapshotRecord snapshot) {
    return !ctx.archiveOf(record, snapshot.region()).gaps(snapshot.start()).isEmpty();
  }

  /** The newest snapshot that stopped at or before the target: replay from it is shortest. */
  private SnapshotRecord chooseSnapshot(InstanceRecord record, String region, Instant target) {
    List<SnapshotRecord> snapshots = availableSnapshots(record.id(), region);
    Optional<SnapshotRecord> chosen = snapshots.stream()
        .filter(s -> !s.stoppedAt().isAfter(target))
        .max(Comparator.comparing(SnapshotRecord::stoppedAt));
    if (chosen.isPresent()) {
      return chosen.get();
    }
    if (snapshots.isEmpty()) {
      throw new LifeboatException(ErrorType.RESTORE_TIME_OUTSIDE_WINDOW, "Instance " + record.id()
          + " has no available snapshot in region " + region + ", so nothing can be restored there yet; "
          + (ctx.isHome(region) ? "take a snapshot first" : "copy a snapshot to " + region + " first"),
          details("instance", record.id(), "region", region, "targetTime", target));
    }
    Instant earliest = snapshots.stream().map(SnapshotRecord::stoppedAt).min(Comparator.naturalOrder()).get();
    Optional<SnapshotRecord> running = snapshots.stream()
        .filter(s -> !target.isBefore(s.startedAt()) && target.isBefore(s.stoppedAt()))
        .findFirst();
    String why = running.map(s -> " It falls inside the run of snapshot " + s.id() + " (" + s.startedAt() + " to "
        + s.stoppedAt() + "): a restore from a backup to a time before the backup finished would silently return"
        + " data from after the target, so it is refused.").orElse("");
    throw new LifeboatException(ErrorType.RESTORE_TIME_OUTSIDE_WINDOW, "Restore time " + target
        + " is before the earliest restorable time of " + record.id() + ", " + earliest
        + " (end of its oldest snapshot)." + why,
        details("instance", record.id(), "targetTime", target, "earliest", earliest,
            "latest", window(record, region).latest(), "snapshotRunning", running.map(SnapshotRecord::id).orElse(null)));
  }

  private Reachability reachability(InstanceRecord record, SnapshotRecord snapshot, Instant target) {
    WalArchive archive = ctx.archiveOf(record, snapshot.region());
    List<WalGap> gaps = archive.gaps(snapshot.start());
    Optional<WalSegment> end = archive.contiguousEnd(snapshot.start());
    Instant newest = end.flatMap(e -> archive.newestCommit(snapshot.start(), e)).orElse(null);
    if (newest != null && !target.isAfter(newest)) {
      return new Reachability(Reach.REACHABLE, newest, gaps);
    }
    return new Reachability(gaps.isEmpty() ? Reach.NOT_ARCHIVED_YET : Reach.WAL_MISSING, newest, gaps);
  }

  /**
   * Makes a target near "now" reachable (DESIGN.md, pitfall 3): writes a commit record, switches
   * to a new segment and waits until the archiver has shipped the old one.
   *
   * @return true when the segment was archived in time
   */
  boolean forceArchive(InstanceRecord record) {
    String owner = LocalContext.archiveOwner(record);
    Optional<InstanceRecord> ownerRecord = ctx.registry.find(owner);
    if (ownerRecord.isEmpty() || !ctx.cluster(owner).isRunning()) {
      return false;
    }
    try (Connection c = Jdbc.connect(ownerRecord.get().port(), InstanceRecord.DEFAULT_DATABASE)) {
      // txid_current() assigns an xid, so this statement's commit writes a commit record "now"
      Jdbc.queryString(c, "select txid_current()");
      String segment = Jdbc.queryString(c, "select pg_walfile_name(pg_switch_wal())");
      log.info("Forced WAL switch on {} for a restore near now; waiting for {} to be archived", owner, segment);
      long deadline = System.nanoTime() + ARCHIVE_WAIT.toNanos();
      while (System.nanoTime() < deadline) {
        String archived = Jdbc.queryString(c, "select last_archived_wal from pg_stat_archiver");
        if (archived != null && WalSegment.isSegmentName(archived) && archived.compareTo(segment) >= 0) {
          return true;
        }
        PgCluster.sleep(POLL);
      }
      log.warn("Segment {} of {} was not archived within {}; see pg_stat_archiver.last_failed_wal", segment, owner,
          ARCHIVE_WAIT);
      return false;
    } catch (SQLException e) {
      log.warn("Cannot force a WAL switch on {}: {}", owner, e.getMessage());
      return false;
    }
  }

  private LifeboatException walMissing(InstanceRecord record, SnapshotRecord snapshot, Instant target, Reachability r) {
    WalGap gap = r.gaps().get(0);
    return new LifeboatException(ErrorType.WAL_MISSING, "Archived WAL of " + record.id() + " is missing segments "
        + gap.missingFrom() + " to " + gap.missingTo() + " between snapshot " + snapshot.id() + " and the target "
        + target + (gap.from() != null ? "; targets up to " + gap.from() + " are still restorable from it" : "")
        + ". Restore to a time before the gap, or take a new snapshot to restore times after it.",
        details("instance", record.id(), "targetTime", target, "snapshotId", snapshot.id(),
            "missingFrom", gap.missingFrom(), "missingTo", gap.missingTo(), "restorableUntil", gap.from()));
  }

  private List<SnapshotRecord> availableSnapshots(String instance, String region) {
    return ctx.snapshots.list(region).stream()
        .filter(s -> s.instance().equals(instance) && s.available())
        .sorted(Comparator.comparing(SnapshotRecord::stoppedAt))
        .toList();
  }

  private static String windowText(RestoreWindow w) {
    return w.earliest() == null ? "Nothing is restorable yet." : "Restorable window: " + w.earliest() + " to "
        + w.latest() + ".";
  }
}
