package dev.lifeboat.activities.local;

import static dev.lifeboat.activities.local.LocalContext.details;

import dev.lifeboat.common.ErrorType;
import dev.lifeboat.common.Ids;
import dev.lifeboat.common.LifeboatException;
import dev.lifeboat.common.model.InstanceRole;
import dev.lifeboat.common.model.RestoreSpec;
import dev.lifeboat.common.platform.ProgressListener;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Point-in-time restore into a new temporary instance: lay down a snapshot, configure recovery,
 * start, and wait for promotion. Readiness is "postmaster alive and pg_is_in_recovery() false",
 * never {@code pg_ctl -w}: that returns as soon as read-only connections are accepted, and the
 * server may still fail at the end of replay (DESIGN.md, pitfall 2).
 */
final class PitrRestorer {
  private static final Logger log = LoggerFactory.getLogger(PitrRestorer.class);
  /** A query on one open connection: how soon the end of replay is seen, at little cost to the server. */
  private static final Duration POLL = Duration.ofMillis(20);
  /** Once a paused recovery is asked to promote: it takes about 0.1 s, and nothing else is left to report. */
  private static final Duration PROMOTING_POLL = Duration.ofMillis(10);
  private static final Duration WAKE_AFTER = Duration.ofMillis(10);
  /** A recovery still paused this long after a promotion request is asked again. */
  private static final long ASK_AGAIN_NANOS = 3_000_000_000L;
  private static final long REPORT_EVERY_NANOS = 1_000_000_000L;
  /** Replay of a day of WAL on this machine takes minutes; this only stops a restore that hangs. */
  private static final Duration RECOVERY_TIMEOUT = Duration.ofHours(6);
  private static final int BIND_ATTEMPTS = 5;

  private final LocalContext ctx;
  private final RestorePlanner planner;

  PitrRestorer(LocalContext ctx, RestorePlanner planner) {
    this.ctx = ctx;
    this.planner = planner;
  }

  InstanceRecord restore(RestoreSpec spec, ProgressListener progress) {
    return restore(spec, progress, false);
  }

  /**
   * @param wholeArchive true: replay every archived segment and promote at the end of the archive,
   *     {@code spec.targetTime()} being the newest archived commit (a failover restoring all a region
   *     holds); false: stop at {@code spec.targetTime()}
   */
  InstanceRecord restore(RestoreSpec spec, ProgressListener progress, boolean wholeArchive) {
    validate(spec);
    return ctx.locked(spec.instanceId(), () -> finishedEarlier(spec)
        .orElseGet(() -> restoreNew(spec, progress, wholeArchive)));
  }

  private InstanceRecord restoreNew(RestoreSpec spec, ProgressListener progress, boolean wholeArchive) {
    InstanceRecord source = ctx.managed(spec.sourceInstance());
    SnapshotRecord snapshot = usableSnapshot(spec, source);
    planner.checkNoGap(source, snapshot, spec.targetTime());

    // The record goes down before any data, so a crash leaves something the reaper can find.
    FileTrees.createDirectories(ctx.registry.root(), "755");
    ctx.osUser.createOwnedDirectory(ctx.registry.dir(spec.instanceId()), "755");
    InstanceRecord record = new InstanceRecord(spec.instanceId(), snapshot.region(), InstanceRole.TEMPORARY,
        Ports.pickFree(), source.id(), spec.runId(), spec.requester(), ctx.now(), spec.expiresAt(),
        InstanceRecord.CREATING, source.database());
    ctx.registry.save(record);
    PgCluster cluster = ctx.cluster(record.id());
    try {
      log.info("Restoring {} to {} from snapshot {} into {}", source.id(), spec.targetTime(), snapshot.id(),
          record.id());
      requireManifestAsRecorded(snapshot);
      // the copy is the first half of the progress, replay the second
      long layDownStarted = System.nanoTime();
      SnapshotFormat.layDown(ctx.runner, ctx.snapshots.dataDir(snapshot.region(), snapshot.id()), cluster.dataDir(),
          snapshot.bytes(), (detail, percent, bytes) -> progress.progress(detail,
              percent == null ? null : percent / 2, bytes));
      log.info("Laid down snapshot {} for {} in {} ms", snapshot.id(), record.id(),
          (System.nanoTime() - layDownStarted) / 1_000_000);
      WalArchive archive = ctx.archiveOf(source, snapshot.region());
      int port;
      try (WalPrefetch prefetch = new WalPrefetch(ctx.runner, archive.dir(), ctx.registry.dir(record.id())
          .resolve("wal-prefetch"), archive.segments().stream().filter(s -> s.segno() >= snapshot.start().segno())
          .toList()).start()) {
        String restoreCommand = ctx.scripts.restoreCommand(archive.dir(), prefetch.dir());
        port = startRecovery(record, source, snapshot, cluster, restoreCommand, spec, progress, wholeArchive);
      }
      InstanceRecord ready = record.withPort(port).withStatus(InstanceRecord.AVAILABLE);
      ctx.registry.save(ready);
      progress.progress("promoted and accepting read-write connections", 100, null);
      log.info("Restore {} is promoted on port {}", record.id(), port);
      return ready;
    } catch (RuntimeException | Error e) {
      log.warn("Restore {} failed ({}); removing the half-made instance", record.id(), e.getMessage());
      removeQuietly(record.id(), cluster, e);
      if (e instanceof LifeboatException le && le.type() == ErrorType.SNAPSHOT_DAMAGED) {
        throw setAside(snapshot, source, le);
      }
      throw e;
    }
  }

  /** A snapshot whose manifest is not the one recorded when it was checked (copies are) is damaged too. */
  private void requireManifestAsRecorded(SnapshotRecord snapshot) {
    if (snapshot.checksum() == null) {
      return;
    }
    String now = SnapshotChecksum.of(ctx.snapshots.dataDir(snapshot.region(), snapshot.id()));
    if (!now.equals(snapshot.checksum())) {
      throw new LifeboatException(ErrorType.SNAPSHOT_DAMAGED, "its backup_manifest changed (" + now + ", recorded "
          + snapshot.checksum() + ")", details("problem", "backup_manifest changed"));
    }
  }

  /**
   * Marks a snapshot the restore found damaged, so no restore plans from it again (the one before it
   * serves, with a longer replay), and says so in the error the run reports.
   */
  private LifeboatException setAside(SnapshotRecord snapshot, InstanceRecord source, LifeboatException damage) {
    try {
      ctx.locked(SnapshotChecksum.lockKey(snapshot.region(), snapshot.id()), () -> {
        ctx.snapshots.find(snapshot.region(), snapshot.id()).filter(SnapshotRecord::available)
            .ifPresent(s -> ctx.snapshots.save(s.withStatus(SnapshotRecord.DAMAGED)));
        return null;
      });
      log.error("Snapshot {} of {} in {} is damaged and set aside: {}", snapshot.id(), source.id(), snapshot.region(),
          damage.getMessage());
    } catch (RuntimeException e) {
      damage.addSuppressed(e);
    }
    Map<String, Object> details = new java.util.LinkedHashMap<>(damage.details());
    details.put("snapshotId", snapshot.id());
    details.put("region", snapshot.region());
    details.put("instance", source.id());
    return new LifeboatException(ErrorType.SNAPSHOT_DAMAGED, "Snapshot " + snapshot.id() + " of " + source.id()
        + " in region " + snapshot.region() + " is damaged: " + damage.getMessage() + ". Nothing was restored from"
        + " it, and it is now marked damaged: start the restore again and it is planned from the snapshot before"
        + " it (a longer replay), or fails saying none is left. Take a new snapshot, and look at the storage that"
        + " holds " + snapshot.region() + "'s snapshots.", details, damage);
  }

  private SnapshotRecord usableSnapshot(RestoreSpec spec, InstanceRecord source) {
    String region = ctx.region(spec.region());
    SnapshotRecord snapshot = ctx.snapshots.find(region, spec.snapshotId())
        .filter(s -> s.available() && s.instance().equals(source.id()))
        .orElseThrow(() -> new LifeboatException(ErrorType.INVALID_REQUEST, "No available snapshot '"
            + spec.snapshotId() + "' of " + source.id() + " in region " + region,
            details("snapshotId", spec.snapshotId(), "instance", source.id())));
    if (spec.targetTime().isBefore(snapshot.stoppedAt())) {
      // PostgreSQL would not refuse this: it would promote with data from after the target
      throw new LifeboatException(ErrorType.RESTORE_TIME_OUTSIDE_WINDOW, "Restore time " + spec.targetTime()
          + " is before snapshot " + snapshot.id() + " finished (" + snapshot.stoppedAt() + "); restoring it from"
          + " that snapshot would silently return data from after the target. Plan the restore again.",
          details("instance", source.id(), "targetTime", spec.targetTime(), "snapshotId", snapshot.id(),
              "snapshotStoppedAt", snapshot.stoppedAt()));
    }
    return snapshot;
  }

  /**
   * An instance a previous attempt finished is returned; a half-made one is removed so the
   * restore starts over.
   */
  private Optional<InstanceRecord> finishedEarlier(RestoreSpec spec) {
    Optional<InstanceRecord> existing = ctx.registry.find(spec.instanceId());
    if (existing.isEmpty()) {
      if (Files.exists(ctx.registry.dir(spec.instanceId()))) {
        FileTrees.deleteRecursively(ctx.registry.dir(spec.instanceId()));
      }
      return Optional.empty();
    }
    InstanceRecord r = existing.get();
    if (r.role() != InstanceRole.TEMPORARY) {
      throw new LifeboatException(ErrorType.INVALID_REQUEST, "Instance " + r.id() + " exists and is a "
          + r.role().name().toLowerCase() + " instance: a restore needs a new id",
          details("instance", r.id(), "role", r.role().name()));
    }
    PgCluster cluster = ctx.cluster(r.id());
    if (InstanceRecord.AVAILABLE.equals(r.status()) && cluster.isInitialized()
        && !Files.exists(cluster.dataDir().resolve("recovery.signal"))) {
      try {
        if (!cluster.isRunning()) {
          r = r.withPort(cluster.start(Fleet.START_TIMEOUT));
          ctx.registry.save(r);
        }
        if (!inRecovery(r.port(), r.database())) {
          log.info("Restore {} already finished by an earlier attempt", r.id());
          return Optional.of(r);
        }
      } catch (RuntimeException | SQLException e) {
        log.warn("Earlier restore {} cannot be reused ({}); restoring again", r.id(), e.getMessage());
      }
    }
    log.info("Removing partial restore {} (status {}) before restoring again", r.id(), r.status());
    cluster.stop(PgCluster.StopMode.IMMEDIATE);
    ctx.registry.delete(r.id());
    return Optional.empty();
  }

  private int startRecovery(InstanceRecord record, InstanceRecord source, SnapshotRecord snapshot, PgCluster cluster,
      String restoreCommand, RestoreSpec spec, ProgressListener progress, boolean wholeArchive) {
    int port = record.port();
    for (int attempt = 1; ; attempt++) {
      RecoveryConfig.apply(cluster, ctx.osUser, port, restoreCommand, wholeArchive ? null : spec.targetTime());
      PgCluster.StartAttempt start = cluster.startNoWait();
      try {
        awaitPromotion(cluster, start, port, record.database(), snapshot, source, progress, !wholeArchive);
        return port;
      } catch (PgCluster.StartFailedException e) {
        if (e.bindFailure() && attempt < BIND_ATTEMPTS) {
          // the postmaster exits before the startup process touches any data: safe to retry
          port = Ports.pickFree();
          log.warn("Port of restore {} was taken; retrying on {}", record.id(), port);
          continue;
        }
        throw RecoveryDiagnosis.diagnose(record.id(), source.id(), spec.targetTime(),
            cluster.logSince(start.logOffset()), planner.hasGapAfter(source, snapshot));
      }
    }
  }

  /**
   * @param pausesAtTarget recovery has a target and pauses there (RecoveryConfig); false: it ends by
   *     itself at the end of the archive
   */
  private void awaitPromotion(PgCluster cluster, PgCluster.StartAttempt start, int port, String database,
      SnapshotRecord snapshot, InstanceRecord source, ProgressListener progress, boolean pausesAtTarget) {
    long deadline = System.nanoTime() + RECOVERY_TIMEOUT.toNanos();
    long lastReport = 0;
    long startLsn = snapshot.start().startLsn();
    long endLsn = ctx.archiveOf(source, snapshot.region()).newest().map(WalSegment::endLsn).orElse(startLsn + WalSegment.SIZE);
    Connection connection = null;
    boolean askEarly = pausesAtTarget;
    boolean requestedEarly = false;
    long askedAtPause = 0; // nanoTime of the last request made at the pause; 0: none

    try {
      while (true) {
        cluster.checkNotDead(start);
        if (System.nanoTime() > deadline) {
          throw new LifeboatException(ErrorType.INSTANCE_START_FAILED, "Restore did not finish recovery within "
              + RECOVERY_TIMEOUT, details("logFile", cluster.logFile().toString()));
        }
        Long replayed = null;
        boolean acceptsConnections = PidFile.read(cluster.dataDir()).map(PidFile::acceptsConnections).orElse(false);
        if (acceptsConnections) {
          try {
            if (connection == null) {
              connection = Jdbc.connect(port, database);
            }
            boolean pausedAtTarget;
            try (Statement st = connection.createStatement();
                ResultSet rs = st.executeQuery("select pg_is_in_recovery(), pg_last_wal_replay_lsn()::text,"
                    // the pause state is an error once recovery ended: asked only while it runs
                    + " case when pg_is_in_recovery() then pg_get_wal_replay_pause_state() end")) {
              rs.next();
              if (!rs.getBoolean(1)) {
                return;
              }
              replayed = rs.getString(2) == null ? null : WalSegment.parseLsn(rs.getString(2));
              pausedAtTarget = "paused".equals(rs.getString(3));
            }
            if (pausedAtTarget && (askedAtPause == 0 || System.nanoTime() - askedAtPause > ASK_AGAIN_NANOS)) {
              // wake the paused process only when no request went out before: one sent already is taken
              // within a second, and the wake-up can slip into the checkpointing path
              if (promote(connection, progress, askedAtPause == 0 && !requestedEarly)) {
                askedAtPause = System.nanoTime();
              }
            } else if (askEarly && !requestedEarly && askedAtPause == 0 && !pausedAtTarget) {
              try {
                requestedEarly = requestPromotionAtTarget(connection);
                lastReport = requestedEarly ? 0 : lastReport; // say so now
              } catch (SQLException e) {
                log.warn("Promotion request during replay failed ({}); promoting once paused at the target instead",
                    e.getMessage());
                askEarly = false;
              }
            }
          } catch (SQLException e) {
            // starting up, promoting or dying: the next round tells which
            closeQuietly(connection);
            connection = null;
          }
        }
        if (System.nanoTime() - lastReport >= REPORT_EVERY_NANOS) {
          lastReport = System.nanoTime();
          reportReplay(progress, replayed, startLsn, endLsn, requestedEarly);
        }
        PgCluster.sleep(askedAtPause != 0 ? PROMOTING_POLL : POLL);
      }
    } finally {
      closeQuietly(connection);
    }
  }

  /**
   * Asks for promotion while the replay is still short of its target, so the recovery promotes the
   * moment it gets there. Safe in a point-in-time recovery ({@code recovery.signal}, no
   * {@code standby.signal}): PostgreSQL 15 looks at a promotion request only where recovery pauses
   * (and, in standby mode only, where WAL runs out), so the replay still stops exactly at the target,
   * and a target past the archive still fails ("recovery ended before configured recovery target
   * was reached"). At the target, {@code recovery_target_action=pause} finds the request before it
   * sleeps and ends recovery by promotion: an end-of-recovery record and a checkpoint in the
   * background ({@link #promote} says why that matters), with no wait and no race.
   *
   * @return false when the request was not sent (asked again on the next round)
   */
  private static boolean requestPromotionAtTarget(Connection connection) throws SQLException {
    try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery("select pg_promote(false)")) {
      if (!rs.next() || !rs.getBoolean(1)) {
        log.warn("Promotion request for the target not sent; asking again");
        return false;
      }
    }
    log.debug("Promotion requested for when recovery reaches its target");
    return true;
  }

  /**
   * Ends a recovery found paused at its target (RecoveryConfig: {@code recovery_target_action=pause}):
   * it got there before {@link #requestPromotionAtTarget} could ask, e.g. a target just after the
   * snapshot's consistent point, or the request was still on its way.
   * Promotion by request writes an end-of-recovery record and lets the checkpoint that follows run
   * in the background, as {@code pg_ctl promote} does; {@code recovery_target_action=promote}
   * instead waits for an immediate checkpoint of everything the replay left dirty before it accepts
   * writes (0.3 to 2 s after 700 MB of WAL here, more with a bigger {@code shared_buffers}).
   * Durability is the same: the WAL up to the end-of-recovery record is on disk, and a crash
   * replays from the last restartpoint.
   *
   * <p>The paused startup process of PostgreSQL 15 looks for a promotion request once a second: it
   * sleeps on the condition variable that only a resume broadcasts, and a resume alone ends
   * recovery through the checkpointing path. So the request goes first, then a resume that wakes
   * the sleeper at once together with a new pause in the same statement: the woken process finds
   * itself still asked to pause, so it loops, sees the promotion request and promotes. Should it
   * wake between the two (on 2 cores here it did in about half of the tries, which is why the request
   * normally goes earlier), recovery ends through the checkpointing path: slower, the same result. A
   * failure of the wake-up only costs the second it saves.
   *
   * @param wake false when a request went out before (early, or at this pause): the process takes it
   *     within its second, and a wake-up could only send it down the slower path
   * @return false when the request was not sent (asked again on the next round)
   */
  private static boolean promote(Connection connection, ProgressListener progress, boolean wake) throws SQLException {
    progress.progress("reached the target; promoting", 99, null);
    try (Statement st = connection.createStatement()) {
      try (ResultSet rs = st.executeQuery("select pg_promote(false)")) {
        if (!rs.next() || !rs.getBoolean(1)) {
          log.warn("Promotion request not sent; asking again");
          return false;
        }
      }
      if (!wake) {
        return true;
      }
      // the postmaster relays the request to the startup process: give that a moment
      PgCluster.sleep(WAKE_AFTER);
      try {
        st.execute("select pg_wal_replay_resume(), pg_wal_replay_pause()");
      } catch (SQLException e) {
        // "promotion is ongoing": the startup process was faster
        log.debug("Wake-up of the paused recovery not needed: {}", e.getMessage());
      }
    }
    return true;
  }

  private static void reportReplay(ProgressListener progress, Long replayed, long startLsn, long endLsn,
      boolean promotionRequested) {
    if (replayed == null) {
      progress.progress("replaying WAL to a consistent state", 50, null);
      return;
    }
    long span = Math.max(1, endLsn - startLsn);
    int percent = (int) Math.max(50, Math.min(99, 50 + (replayed - startLsn) * 50 / span));
    progress.progress("replaying archived WAL" + (promotionRequested ? "; promotion at the target requested" : ""),
        percent, Math.max(0, replayed - startLsn));
  }

  private void removeQuietly(String id, PgCluster cluster, Throwable cause) {
    try {
      cluster.stop(PgCluster.StopMode.IMMEDIATE);
      ctx.registry.delete(id);
    } catch (RuntimeException e) {
      cause.addSuppressed(e);
      log.error("Could not remove failed restore {}; the reaper will find its record", id, e);
    }
  }

  private static boolean inRecovery(int port, String database) throws SQLException {
    try (Connection c = Jdbc.connect(port, database)) {
      return "t".equals(Jdbc.queryString(c, "select pg_is_in_recovery()"));
    }
  }

  private static void closeQuietly(Connection c) {
    if (c != null) {
      try {
        c.close();
      } catch (SQLException ignored) {
        // closing a connection to a server that went away
      }
    }
  }

  private static void validate(RestoreSpec spec) {
    if (spec == null || spec.targetTime() == null || spec.sourceInstance() == null || spec.snapshotId() == null
        || !Ids.validInstanceId(spec.instanceId())) {
      throw new LifeboatException(ErrorType.INVALID_REQUEST, "A restore needs a valid new instance id, a source"
          + " instance, a snapshot id and a target time", details("instanceId", spec == null ? null : spec.instanceId()));
    }
  }
}
