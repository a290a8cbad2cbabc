package dev.lifeboat.activities.local;

import static dev.lifeboat.activities.local.LocalContext.details;

import dev.lifeboat.common.ErrorType;
import dev.lifeboat.common.LifeboatException;
import dev.lifeboat.common.failover.DrCopyState;
import dev.lifeboat.common.failover.DrReplicaResult;
import dev.lifeboat.common.failover.DrRestoreResult;
import dev.lifeboat.common.failover.FailoverOperations;
import dev.lifeboat.common.failover.FenceResult;
import dev.lifeboat.common.failover.PromoteResult;
import dev.lifeboat.common.failover.RebuildResult;
import dev.lifeboat.common.failover.Rehearsal;
import dev.lifeboat.common.failover.ReplicaState;
import dev.lifeboat.common.failover.RepointResult;
import dev.lifeboat.common.model.InstanceRole;
import dev.lifeboat.common.model.RestorePlan;
import dev.lifeboat.common.model.RestoreSpec;
import dev.lifeboat.common.model.RestoreWindow;
import dev.lifeboat.common.platform.ProgressListener;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Failover on the local platform: real {@code pg_promote()}, {@code pg_ctl stop}, streaming
 * replicas re-pointed on the new timeline. Every operation is idempotent; what a first attempt
 * found is kept beside the instance's record ({@code fence.json}, {@code promote.json}), so a retry
 * after a worker crash answers the same measurements instead of doing anything twice.
 *
 * <p>Registry after a failover: the promoted replica keeps its id and becomes a
 * {@link InstanceRole#PRIMARY} whose {@code source} names the primary it replaced; it archives into
 * its own archive ({@code regions/<region>/wal/<id>/}, set up when it was created as a replica),
 * starting with its new timeline's {@code .history} file, so its snapshots and point-in-time
 * restores work on the new timeline. The old primary becomes {@link InstanceRole#FORMER_PRIMARY}
 * with status {@code fenced}: never started again, its snapshots and archive still restore times
 * before the failover.
 *
 * <p>Restore-in-dr: the DR region's newest copy and the WAL copied with it are restored (by the
 * drills' {@link PitrRestorer}, first as a temporary instance with a day's TTL, so a crash half-way
 * leaves something the reaper removes), then the promoted copy is made the permanent primary: no
 * TTL, archiving into {@code regions/<dr>/wal/<id>/} (its new timeline's {@code .history} first),
 * recorded as a {@link InstanceRole#PRIMARY} in the DR region whose {@code source} is the primary
 * it replaced, which becomes a former primary. {@code dr-restore.json} beside it keeps what was
 * restored, so a retry answers the same instead of restoring twice.
 *
 * <p>Failover drill: the same restore stays a temporary instance of the drill (its run, its expiry,
 * no archiving), and its replica is a temporary instance streaming from it whose {@code source} is
 * the temporary primary; both are deleted like any temporary instance, replica first. Production's
 * instances and their records are not touched.
 */
public final class LocalFailover implements FailoverOperations {
  private static final Logger log = LoggerFactory.getLogger(LocalFailover.class);
  static final String FENCE_FILE = "fence.json";
  static final String PROMOTE_FILE = "promote.json";
  static final String STOPPED = "stopped";
  static final String READ_ONLY = "read-only";
  static final String UNREACHABLE = "unreachable";
  static final String ALREADY_FENCED = "already-fenced";
  static final String FOLLOWED = "followed";
  static final String REBUILT = "rebuilt";
  static final String ALREADY_FOLLOWING = "already-following";
  static final String REBUILD_FILE = "rebuild.json";
  static final String DR_RESTORE_FILE = "dr-restore.json";
  static final String CREATED = "created";
  static final String ALREADY_STREAMING = "already-streaming";
  /** A DR restore is temporary until it is made the primary: this TTL only matters when a run dies half-way. */
  private static final Duration DR_RESTORE_GUARD_TTL = Duration.ofDays(1);
  /** The requester recorded on a failover drill's temporary instances. */
  static final String DRILL_REQUESTER = "failover-drill";
  /** Settings of the point-in-time recovery that a permanent primary must not keep. */
  private static final Set<String> RECOVERY_SETTINGS = Set.of("restore_command", "recovery_target_time",
      "recovery_target_inclusive", "recovery_target_action", "recovery_target_timeline", "primary_conninfo",
      "primary_slot_name", "recovery_init_sync_method");
  static final String REWOUND = "rewound";
  static final String BASE_BACKUP = "base-backup";
  static final String ALREADY_REPLICA = "already-replica";
  /** Under the data root: former primaries' data directories, kept before a rebuild changed them. */
  static final String PRESERVED_DIR = "preserved";
  private static final String PARTIAL = ".partial";
  private static final DateTimeFormatter PRESERVED_STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
  private static final Duration REWIND_TIMEOUT = Duration.ofMinutes(30);
  private static final int PROMOTE_WAIT_SECONDS = 60;
  private static final Duration FOLLOW_WAIT = Duration.ofSeconds(20);
  private static final Duration HISTORY_WAIT = Duration.ofSeconds(15);
  private static final Duration READ_ONLY_WAIT = Duration.ofSeconds(5);
  private static final Duration POLL = Duration.ofMillis(200);
  /** How many 16 MB segments back a newest commit is looked for in a server's pg_wal. */
  private static final int COMMIT_LOOKBACK = 8;
  /** What a standby logs when the new primary's timeline forked before its own position. */
  private static final String[] CANNOT_FOLLOW = {"forked off current database system timeline",
      "is not in this server's history", "is not a child of this server's history"};

  private final LocalContext ctx;
  private final Fleet fleet;
  private final RestorePlanner planner;
  private final PitrRestorer restorer;

  LocalFailover(LocalContext ctx, Fleet fleet, RestorePlanner planner, PitrRestorer restorer) {
    this.ctx = ctx;
    this.fleet = fleet;
    this.planner = planner;
    this.restorer = restorer;
  }

  // ---- measure ------------------------------------------------------------------------------

  @Override
  public ReplicaState measure(String replicaId) {
    InstanceRecord replica = find(replicaId);
    if (replica.role() != InstanceRole.REPLICA && !promoted(replica)) {
      throw notAReplica(replica, "measured as a failover candidate");
    }
    Replay replay = replay(replica);
    Optional<InstanceRecord> primary = Optional.ofNullable(replica.source()).flatMap(ctx.registry::find);
    Position position = primary.flatMap(p -> position(p, replay.lsn())).orElse(null);
    Long lagBytes = position == null ? null : position.lagBytes();
    Instant primaryLastCommit = position == null ? null : position.lastCommit();
    Duration loss = null;
    if (lagBytes != null && lagBytes <= 0) {
      loss = Duration.ZERO;
    } else if (primaryLastCommit != null && replay.lastCommit() != null) {
      Duration d = Duration.between(replay.lastCommit(), primaryLastCommit);
      loss = d.isNegative() ? Duration.ZERO : d;
    }
    return new ReplicaState(replica.id(), replica.source(), position != null, replay.inRecovery(), replay.lsn(),
        position == null ? null : position.lsn(), lagBytes == null ? null : Math.max(0, lagBytes),
        replay.lastCommit(), primaryLastCommit, loss, ctx.now());
  }

  private record Replay(boolean inRecovery, String lsn, Instant lastCommit) {}

  private Replay replay(InstanceRecord replica) {
    if (!ctx.cluster(replica.id()).isRunning()) {
      throw new LifeboatException(ErrorType.PLATFORM_ERROR, "Replica " + replica.id() + " is not running, so it"
          + " cannot be measured (or promoted before it is started)", details("instance", replica.id()));
    }
    try (Connection c = connect(replica); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("select pg_is_in_recovery(), pg_last_wal_replay_lsn()::text,"
            + " pg_last_xact_replay_timestamp()")) {
      rs.next();
      Instant lastCommit = instant(rs, 3);
      if (lastCommit == null && !rs.getBoolean(1)) {
        // promoted and restarted since: the function forgot, the promotion's record did not
        lastCommit = readJson(replica.id(), PROMOTE_FILE, PromoteResult.class)
            .map(PromoteResult::lastReplayedCommit).orElse(null);
      }
      return new Replay(rs.getBoolean(1), rs.getString(2), lastCommit);
    } catch (SQLException e) {
      throw new LifeboatException(ErrorType.PLATFORM_ERROR, "Replica " + replica.id() + " does not answer: "
          + e.getMessage(), details("instance", replica.id()), e);
    }
  }

  private record Position(String lsn, Long lagBytes, Instant lastCommit) {}

  /** The primary's current position and newest commit; empty when it does not answer. */
  private Optional<Position> position(InstanceRecord primary, String replayLsn) {
    PgCluster cluster = ctx.cluster(primary.id());
    if (!cluster.isRunning()) {
      return Optional.empty();
    }
    String sql = "with p as (select pg_current_wal_lsn() as lsn) select lsn::text, pg_wal_lsn_diff(lsn, ?::pg_lsn),"
        + " case when current_setting('track_commit_timestamp')::bool then (pg_last_committed_xact()).timestamp end"
        + " from p";
    try (Connection c = connect(primary); PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, replayLsn);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        String lsn = rs.getString(1);
        long diff = rs.getLong(2);
        Long lag = rs.wasNull() ? null : diff;
        return Optional.of(new Position(lsn, lag, lastCommit(primary, lsn, instant(rs, 3))));
      }
    } catch (SQLException e) {
      log.warn("Primary {} does not answer a failover measurement: {}", primary.id(), e.getMessage());
      return Optional.empty();
    }
  }

  /**
   * A primary's last commit up to {@code lsn}, read from its WAL: the time of its last commit
   * record, the same measure as a standby's {@code pg_last_xact_replay_timestamp()}, so a replica
   * that has all of it shows no loss. {@code reported} ({@code pg_last_committed_xact()}) when the
   * WAL cannot tell: commit records can be written a few milliseconds out of timestamp order, and
   * that function's "last" is not always the last record.
   */
  private Instant lastCommit(InstanceRecord primary, String lsn, Instant reported) {
    if (lsn == null) {
      return reported;
    }
    try {
      return ctx.commitTimes.lastInPgWal(ctx.cluster(primary.id()).dataDir(), WalSegment.parseLsn(lsn),
          COMMIT_LOOKBACK).orElse(reported);
    } catch (RuntimeException e) {
      log.warn("Cannot read the last commit of {} from its WAL: {}", primary.id(), e.getMessage());
      return reported;
    }
  }

  // ---- fence --------------------------------------------------------------------------------

  @Override
  public FenceResult fence(String primaryId) {
    return fence(primaryId, true);
  }

  /** @param stopAllowed false plays a primary that cannot be stopped (tests the read-only fallback) */
  FenceResult fence(String primaryId, boolean stopAllowed) {
    return ctx.locked(primaryId, () -> {
      InstanceRecord record = find(primaryId);
      if (record.role() != InstanceRole.PRIMARY && record.role() != InstanceRole.FORMER_PRIMARY) {
        throw new LifeboatException(ErrorType.INVALID_REQUEST, "Instance " + primaryId + " is a "
            + roleName(record) + ": only a primary is fenced",
            details("instance", primaryId, "role", roleName(record)));
      }
      PgCluster cluster = ctx.cluster(primaryId);
      Optional<FenceResult> earlier = readJson(primaryId, FENCE_FILE, FenceResult.class);
      if (earlier.isPresent() && (!cluster.isRunning() || isReadOnly(record))) {
        markFenced(record);
        FenceResult e = earlier.get();
        return new FenceResult(primaryId, ALREADY_FENCED, e.lastLsn(), e.lastCommit(), e.fencedAt());
      }
      earlier.ifPresent(e -> log.warn("{} was fenced at {} ({}) but runs writable again: fencing it again",
          primaryId, e.fencedAt(), e.how()));
      // marked before anything is done: from now on no start of the platform brings it back
      boolean markedByEarlierAttempt = InstanceRecord.FENCED.equals(record.status()) && earlier.isEmpty();
      markFenced(record);
      FenceResult result;
      if (cluster.isRunning()) {
        result = stopAllowed ? stopOrMakeReadOnly(record, cluster) : makeReadOnly(record);
      } else if (markedByEarlierAttempt) {
        // an attempt that crashed after stopping it: what the stop left behind still tells where it ended
        result = stoppedResult(record, cluster, ALREADY_FENCED, null, null);
      } else {
        log.warn("Primary {} is already down: nothing to fence, and it will not be started again", primaryId);
        result = new FenceResult(primaryId, UNREACHABLE, null, null, ctx.now());
      }
      LocalJson.write(ctx.registry.dir(primaryId).resolve(FENCE_FILE), result);
      return result;
    });
  }

  private FenceResult stopOrMakeReadOnly(InstanceRecord record, PgCluster cluster) {
    String lsnBefore = null;
    Instant commitBefore = null;
    try (Connection c = connect(record); Statement st = c.createStatement()) {
      // the segment being written goes to the archive at shutdown: the old timeline's archive then
      // ends where the server stopped
      try (ResultSet rs = st.executeQuery("select pg_switch_wal()::text, case when"
          + " current_setting('track_commit_timestamp')::bool then (pg_last_committed_xact()).timestamp end")) {
        rs.next();
        lsnBefore = rs.getString(1);
        commitBefore = instant(rs, 2);
      }
    } catch (SQLException e) {
      log.warn("Primary {} runs but does not answer ({}); stopping it", record.id(), e.getMessage());
    }
    try {
      cluster.stop(PgCluster.StopMode.FAST);
    } catch (RuntimeException e) {
      if (cluster.isRunning()) {
        log.warn("Primary {} could not be stopped ({}); making it read-only instead", record.id(), e.getMessage());
        return makeReadOnly(record);
      }
    }
    log.warn("Fenced primary {}: stopped", record.id());
    return stoppedResult(record, cluster, STOPPED, lsnBefore, commitBefore);
  }

  /**
   * Where a stopped primary ended: after a clean shutdown its last checkpoint is its last record,
   * and its newest commit is read from its pg_wal; else what it said before the stop.
   */
  private FenceResult stoppedResult(InstanceRecord record, PgCluster cluster, String how, String lsnBefore,
      Instant commitBefore) {
    Optional<PgControlData> control = PgControlData.read(ctx, cluster);
    String lsn = control.filter(PgControlData::cleanlyShutDown).map(PgControlData::checkpointLsn).orElse(lsnBefore);
    return new FenceResult(record.id(), how, lsn, lastCommit(record, lsn, commitBefore), ctx.now());
  }

  /**
   * Two primaries must never take writes: the replica's primary must still be the primary (no
   * other failover replaced it) and be fenced or down.
   */
  private void requireSafeToPromote(InstanceRecord replica) {
    String oldId = replica.source();
    Optional<InstanceRecord> old = oldId == null ? Optional.empty() : ctx.registry.find(oldId);
    if (old.isEmpty()) {
      return;
    }
    if (old.get().role() != InstanceRole.PRIMARY) {
      throw new LifeboatException(ErrorType.INVALID_REQUEST, replica.id() + " replicates from " + oldId
          + ", which is no longer the primary (" + old.get().role() + "): another failover replaced it, and promoting "
          + replica.id() + " would make a second primary. Nothing was promoted.", details("instance", replica.id()));
    }
    if (!InstanceRecord.FENCED.equals(old.get().status()) && ctx.cluster(oldId).isRunning()) {
      throw new LifeboatException(ErrorType.INVALID_REQUEST, "Its primary " + oldId + " still runs and is not fenced:"
          + " promoting " + replica.id() + " now would let two primaries take writes. Fence " + oldId
          + " first. Nothing was promoted.", details("instance", replica.id()));
    }
  }

  /**
   * The fallback when a primary cannot be stopped: new transactions default to read-only and the
   * sessions that were open are ended. A client may still {@code SET transaction_read_write}: this
   * fence is weaker than a stop, which is why it is only the fallback.
   */
  private FenceResult makeReadOnly(InstanceRecord record) {
    try (Connection c = connect(record); Statement st = c.createStatement()) {
      st.execute("alter system set default_transaction_read_only = on");
      st.execute("select pg_reload_conf()");
      // a session forked before the reload was processed would still write: wait until new ones see it
      long deadline = System.nanoTime() + READ_ONLY_WAIT.toNanos();
      while (!isReadOnly(record) && System.nanoTime() < deadline) {
        PgCluster.sleep(POLL);
      }
      st.execute("select pg_terminate_backend(pid) from pg_stat_activity where backend_type = 'client backend'"
          + " and pid <> pg_backend_pid()");
      try (ResultSet rs = st.executeQuery("select pg_current_wal_lsn()::text, case when"
          + " current_setting('track_commit_timestamp')::bool then (pg_last_committed_xact()).timestamp end")) {
        rs.next();
        String lsn = rs.getString(1);
        log.warn("Fenced primary {}: read-only, client sessions ended", record.id());
        return new FenceResult(record.id(), READ_ONLY, lsn, lastCommit(record, lsn, instant(rs, 2)), ctx.now());
      }
    } catch (SQLException e) {
      throw new LifeboatException(ErrorType.PLATFORM_ERROR, "Primary " + record.id() + " could neither be stopped"
          + " nor made read-only: " + e.getMessage(), details("instance", record.id()), e);
    }
  }

  private boolean isReadOnly(InstanceRecord record) {
    try (Connection c = connect(record)) {
      return "on".equals(Jdbc.queryString(c, "show default_transaction_read_only"));
    } catch (SQLException e) {
      return false;
    }
  }

  private void markFenced(InstanceRecord record) {
    InstanceRecord current = ctx.registry.find(record.id()).orElse(record);
    if (!InstanceRecord.FENCED.equals(current.status())) {
      ctx.registry.save(current.withStatus(InstanceRecord.FENCED));
    }
  }

  // ---- promote ------------------------------------------------------------------------------

  @Override
  public PromoteResult promote(String replicaId) {
    return ctx.locked(replicaId, () -> {
      InstanceRecord record = find(replicaId);
      if (record.role() != InstanceRole.REPLICA && !promoted(record)) {
        throw notAReplica(record, "promoted");
      }
      if (!ctx.cluster(replicaId).isRunning()) {
        record = fleet.ensureRunning(record);
      }
      Optional<PromoteResult> earlier = readJson(replicaId, PROMOTE_FILE, PromoteResult.class);
      PromoteResult result;
      try (Connection c = connect(record); Statement st = c.createStatement()) {
        boolean inRecovery;
        Instant lastReplayed;
        try (ResultSet rs = st.executeQuery("select pg_is_in_recovery(), pg_last_xact_replay_timestamp()")) {
          rs.next();
          inRecovery = rs.getBoolean(1);
          lastReplayed = instant(rs, 2);
        }
        if (inRecovery) {
          requireSafeToPromote(record);
          log.warn("Promoting {} (last replayed commit {})", replicaId, lastReplayed);
          String done = Jdbc.queryString(c, "select pg_promote(true, " + PROMOTE_WAIT_SECONDS + ")");
          if (!"t".equals(done)) {
            throw new LifeboatException(ErrorType.PLATFORM_ERROR, "Replica " + replicaId + " did not finish promotion"
                + " within " + PROMOTE_WAIT_SECONDS + " s; see " + ctx.cluster(replicaId).logFile(),
                details("instance", replicaId));
          }
          // promotion first replays what was received but not replayed yet (also when replay was paused)
          Instant replayedToTheEnd = Optional.ofNullable(lastReplayTimestamp(c)).orElse(lastReplayed);
          result = new PromoteResult(replicaId, false, timeline(c), systemIdentifier(c), replayedToTheEnd, ctx.now());
          LocalJson.write(ctx.registry.dir(replicaId).resolve(PROMOTE_FILE), result);
        } else if (earlier.isPresent()) {
          PromoteResult e = earlier.get();
          result = new PromoteResult(replicaId, true, e.timeline(), e.systemIdentifier(), e.lastReplayedCommit(),
              e.promotedAt());
        } else {
          // promoted, but not by this platform's record of it (a crash before it was written, or by hand)
          result = new PromoteResult(replicaId, true, timeline(c), systemIdentifier(c), lastReplayed, ctx.now());
          LocalJson.write(ctx.registry.dir(replicaId).resolve(PROMOTE_FILE), result);
        }
      } catch (SQLException e) {
        throw new LifeboatException(ErrorType.PLATFORM_ERROR, "Replica " + replicaId + " does not answer: "
            + e.getMessage(), details("instance", replicaId), e);
      }
      finishPromotion(record, result);
      return result;
    });
  }

  /**
   * Makes the promoted server the platform's primary: its configuration (no primary_conninfo or
   * restore_command left; archiving into its own archive), its new timeline's history file in that
   * archive, and the registry (it is the primary, the old one a former primary).
   */
  private void finishPromotion(InstanceRecord record, PromoteResult result) {
    PgCluster cluster = ctx.cluster(record.id());
    ctx.osUser.createOwnedDirectory(ctx.archiveDir(record.region(), record.id()), "755");
    cluster.configure(fleet.primarySettings(record),
        Set.of("primary_conninfo", "primary_slot_name", "restore_command", "recovery_target_timeline"));
    InstanceRecord current = record;
    try (Connection c = connect(record); Statement st = c.createStatement()) {
      st.execute("select pg_reload_conf()");
      boolean archiving = "on".equals(Jdbc.queryString(c, "show archive_mode"));
      boolean commitTimes = "on".equals(Jdbc.queryString(c, "show track_commit_timestamp"));
      if (!archiving || !commitTimes) {
        // both need a restart; a replica created by this platform has them already
        log.warn("Restarting promoted {} to turn on archive_mode and track_commit_timestamp", record.id());
        c.close();
        cluster.stop(PgCluster.StopMode.FAST);
        current = fleet.ensureRunning(record.withRole(InstanceRole.PRIMARY));
      }
    } catch (SQLException e) {
      throw new LifeboatException(ErrorType.PLATFORM_ERROR, "Promoted " + record.id() + " does not answer: "
          + e.getMessage(), details("instance", record.id()), e);
    }
    awaitHistoryArchived(record, result.timeline());
    InstanceRecord latest = ctx.registry.find(record.id()).orElse(current);
    InstanceRecord primary = latest.withRole(InstanceRole.PRIMARY).withStatus(InstanceRecord.AVAILABLE)
        .withPort(current.port());
    if (!primary.equals(latest)) {
      ctx.registry.save(primary);
      log.warn("{} is now the primary (timeline {}), replacing {}", record.id(), result.timeline(), record.source());
    }
    String oldId = record.source();
    if (oldId != null && !oldId.equals(record.id())) {
      ctx.locked(oldId, () -> {
        ctx.registry.find(oldId).filter(r -> r.role() == InstanceRole.PRIMARY).ifPresent(old -> {
          if (ctx.cluster(oldId).isRunning() && !InstanceRecord.FENCED.equals(old.status())) {
            log.warn("Old primary {} still runs and was not fenced: fence it, or two primaries take writes", oldId);
          }
          ctx.registry.save(old.withRole(InstanceRole.FORMER_PRIMARY));
        });
        return null;
      });
    }
  }

  /**
   * The new timeline's history file must be in the new primary's archive: replicas following it
   * and restores on its timeline read it from there.
   */
  private void awaitHistoryArchived(InstanceRecord record, long timeline) {
    Path history = ctx.archiveDir(record.region(), record.id()).resolve(String.format("%08X.history.zst", timeline));
    long deadline = System.nanoTime() + HISTORY_WAIT.toNanos();
    while (!Files.exists(history)) {
      if (System.nanoTime() > deadline) {
        log.warn("{} is not archived after {}; see pg_stat_archiver of {}", history.getFileName(), HISTORY_WAIT,
            record.id());
        return;
      }
      PgCluster.sleep(POLL);
    }
  }

  // ---- rebuild ------------------------------------------------------------------------------

  /**
   * What a rebuild of a former primary kept aside and, once done, how it ended
   * ({@code rebuild.json} beside the record): a retry reuses the copy instead of making another.
   */
  record RebuildMark(String newPrimary, String preserved, Instant preservedAt, String how, String why) {}

  @Override
  public String preserve(String instanceId, String newPrimaryId) {
    return ctx.locked(instanceId, () -> {
      InstanceRecord record = find(instanceId);
      requireReplacedBy(record, find(newPrimaryId));
      return preserveLocked(record, newPrimaryId).map(RebuildMark::preserved).orElse(null);
    });
  }

  /**
   * Turns a former primary into a streaming replica of the primary that replaced it. Its data
   * directory is copied aside first (under {@code preserved/}): the transactions it committed after
   * its replica stopped following exist nowhere else. Then {@code pg_rewind} from the new primary
   * (only the blocks that diverged are copied; it needs {@code wal_log_hints}, on since rebuilds
   * were built, or data checksums), else a fresh base backup of the new primary. The registry keeps
   * it a former primary, which the platform never starts, until its configuration makes it a
   * standby.
   */
  @Override
  public RebuildResult rebuild(String instanceId, String newPrimaryId) {
    return rebuild(instanceId, newPrimaryId, true);
  }

  /** @param rewindAllowed false goes straight to the base backup (tests the fallback) */
  RebuildResult rebuild(String instanceId, String newPrimaryId, boolean rewindAllowed) {
    if (instanceId.equals(newPrimaryId)) {
      throw new LifeboatException(ErrorType.INVALID_REQUEST, "An instance cannot be rebuilt from itself: "
          + instanceId, details("instance", instanceId));
    }
    InstanceRecord newPrimary = ctx.locked(newPrimaryId, () -> {
      InstanceRecord p = find(newPrimaryId);
      if (p.role() != InstanceRole.PRIMARY) {
        throw new LifeboatException(ErrorType.INVALID_REQUEST, "Instance " + newPrimaryId + " is a " + roleName(p)
            + ", not a primary: a former primary is rebuilt from the primary that replaced it",
            details("instance", newPrimaryId, "role", roleName(p)));
      }
      return fleet.ensureRunning(p);
    });
    return ctx.locked(instanceId, () -> {
      InstanceRecord record = find(instanceId);
      requireReplacedBy(record, newPrimary);
      long timeline = lineage(newPrimary).timeline();
      Optional<RebuildMark> earlier = readJson(instanceId, REBUILD_FILE, RebuildMark.class);
      String preserved = earlier.map(RebuildMark::preserved).orElse(null);
      if (record.role() == InstanceRole.REPLICA) {
        String why;
        if (InstanceRecord.CREATING.equals(record.status())) {
          why = "an earlier rebuild stopped during its base backup";
        } else if (following(record, newPrimary, timeline) || startsStreaming(record, newPrimary, timeline)) {
          String before = earlier.map(RebuildMark::how).orElse(null);
          return new RebuildResult(instanceId, newPrimaryId, ALREADY_REPLICA,
              before == null ? null : "rebuilt earlier (" + before + ")", ctx.now(), preserved);
        } else {
          why = "it was rebuilt before but does not stream from " + newPrimaryId;
        }
        log.warn("Replica {} of {}: {}; taking a fresh base backup", instanceId, newPrimaryId, why);
        return baseBackup(record, newPrimary, timeline, preserved, why);
      }
      preserved = preserveLocked(record, newPrimaryId).map(RebuildMark::preserved).orElse(null);
      String why = rewindAllowed ? rewind(record, newPrimary) : "pg_rewind was not allowed for this rebuild";
      if (why == null) {
        PgCluster cluster = ctx.cluster(instanceId);
        long logOffset = cluster.logSize();
        InstanceRecord replica = standby(record, newPrimary);
        try {
          replica = fleet.ensureRunning(replica);
          if (awaitFollowing(replica, newPrimary, timeline, cluster, logOffset)) {
            log.warn("Rewound {} into a streaming replica of {}", instanceId, newPrimaryId);
            return done(new RebuildResult(instanceId, newPrimaryId, REWOUND, null, ctx.now(), preserved));
          }
          why = "the rewound server did not stream from " + newPrimaryId + " within " + FOLLOW_WAIT.toSeconds() + " s";
        } catch (LifeboatException e) {
          why = "the rewound server did not start (" + firstLine(e.getMessage()) + ")";
        }
        record = replica;
      }
      log.warn("Rebuilding {} from a base backup of {}: {}", instanceId, newPrimaryId, why);
      return baseBackup(record, newPrimary, timeline, preserved, why);
    });
  }

  /**
   * A former primary rebuilt from the primary promoted in its place; or, for a retry, a replica of it
   * already (a replica of the primary that replaced it: an ordinary replica is not rebuilt).
   */
  private void requireReplacedBy(InstanceRecord record, InstanceRecord newPrimary) {
    if (record.role() == InstanceRole.REPLICA && newPrimary.id().equals(record.source())
        && record.id().equals(newPrimary.source())) {
      return;
    }
    if (record.role() != InstanceRole.FORMER_PRIMARY) {
      throw new LifeboatException(ErrorType.INVALID_REQUEST, "Instance " + record.id() + " is a " + roleName(record)
          + ", not a former primary: only a primary that a failover replaced is rebuilt",
          details("instance", record.id(), "role", roleName(record)));
    }
    if (newPrimary.role() != InstanceRole.PRIMARY || !record.id().equals(newPrimary.source())) {
      throw new LifeboatException(ErrorType.INVALID_REQUEST, "Instance " + newPrimary.id() + " is a "
          + roleName(newPrimary) + " that did not replace " + record.id() + "; a former primary is rebuilt from the"
          + " primary promoted in its place", details("instance", record.id(), "newPrimary", newPrimary.id()));
    }
  }

  /**
   * Stops the former primary (a read-only fence may have left it running) and copies its data
   * directory to {@code preserved/<id>-<time>}; once per rebuild (an unfinished one's copy is
   * reused: its attempt may have changed the data since). Empty when it has no data left.
   */
  private Optional<RebuildMark> preserveLocked(InstanceRecord record, String newPrimaryId) {
    Optional<RebuildMark> earlier = readJson(record.id(), REBUILD_FILE, RebuildMark.class)
        .filter(m -> m.how() == null || record.role() != InstanceRole.FORMER_PRIMARY)
        .filter(m -> m.preserved() != null && Files.isDirectory(Path.of(m.preserved())));
    if (earlier.isPresent() || record.role() != InstanceRole.FORMER_PRIMARY) {
      return earlier;
    }
    PgCluster cluster = ctx.cluster(record.id());
    if (!cluster.isInitialized()) {
      log.warn("Former primary {} has no data directory at {}: nothing to keep aside", record.id(), cluster.dataDir());
      return Optional.empty();
    }
    try {
      cluster.stop(PgCluster.StopMode.FAST);
    } catch (RuntimeException e) {
      throw new LifeboatException(ErrorType.PLATFORM_ERROR, "Former primary " + record.id() + " could not be stopped"
          + " to copy its data aside: " + e.getMessage() + ". Nothing was changed.", details("instance", record.id()),
          e);
    }
    Path dir = FileTrees.createDirectories(ctx.config.dataRoot().resolve(PRESERVED_DIR), "755");
    String name = record.id() + "-" + PRESERVED_STAMP.format(ctx.now());
    Path target = dir.resolve(name);
    Path partial = dir.resolve(name + PARTIAL);
    deletePartialCopies(dir, record.id());
    TreeCopy.copy(ctx.runner, cluster.dataDir(), partial, FileTrees.size(cluster.dataDir()), ProgressListener.NONE);
    try {
      Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot rename " + partial, e);
    }
    RebuildMark mark = new RebuildMark(newPrimaryId, target.toString(), ctx.now(), null, null);
    LocalJson.write(ctx.registry.dir(record.id()).resolve(REBUILD_FILE), mark);
    log.warn("Kept the data directory of former primary {} at {}", record.id(), target);
    return Optional.of(mark);
  }

  /** Copies an earlier attempt left half-made. */
  private static void deletePartialCopies(Path dir, String id) {
    try (Stream<Path> entries = Files.list(dir)) {
      entries.filter(p -> p.getFileName().toString().startsWith(id + "-")
          && p.getFileName().toString().endsWith(PARTIAL)).forEach(FileTrees::deleteRecursively);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir, e);
    }
  }

  /**
   * Runs {@code pg_rewind} against the new primary; null when it worked, else why not. WAL the
   * target no longer has in pg_wal is read from its own archive ({@code --restore-target-wal}).
   */
  private String rewind(InstanceRecord record, InstanceRecord newPrimary) {
    PgCluster cluster = ctx.cluster(record.id());
    if (!cluster.isInitialized()) {
      return "it has no data directory left";
    }
    Optional<PgControlData> control = PgControlData.read(ctx, cluster);
    if (control.isEmpty()) {
      return "pg_controldata cannot read its data directory";
    }
    if (!control.get().walLogHints() && !control.get().dataChecksums()) {
      return "it last ran without wal_log_hints and has no data checksums, which pg_rewind needs (it was created"
          + " before Lifeboat turned wal_log_hints on)";
    }
    cluster.configure(Map.of("restore_command", ctx.scripts.restoreCommand(ctx.archiveDir(record.region(),
        record.id()))));
    ProcessRunner.Result r = ctx.runner.runAsPg(List.of(ctx.binaries.tool("pg_rewind"),
        "--target-pgdata=" + cluster.dataDir(),
        "--source-server=host=127.0.0.1 port=" + newPrimary.port() + " user=" + Jdbc.USER + " dbname="
            + InstanceRecord.DEFAULT_DATABASE,
        "--restore-target-wal"), Map.of("LC_ALL", "C", "LANG", "C"), REWIND_TIMEOUT);
    if (!r.ok()) {
      return "pg_rewind failed: " + r.tail(2).replace('\n', ' ');
    }
    log.info("pg_rewind of {} from {}: {}", record.id(), newPrimary.id(), r.tail(1));
    return null;
  }

  /**
   * Makes the (rewound) data directory a standby of the new primary: pg_rewind copied the new
   * primary's {@code postgresql.auto.conf}, so its own port and archive are set again, then
   * {@code standby.signal}; only then does the registry call it a replica, which the platform may start.
   */
  private InstanceRecord standby(InstanceRecord record, InstanceRecord newPrimary) {
    InstanceRecord replica = record.withRole(InstanceRole.REPLICA).withSource(newPrimary.id())
        .withStatus(InstanceRecord.STOPPED);
    PgCluster cluster = ctx.cluster(record.id());
    Map<String, String> settings = new LinkedHashMap<>(fleet.primarySettings(replica));
    settings.putAll(fleet.replicaSettings(replica, newPrimary));
    settings.put("listen_addresses", "127.0.0.1");
    settings.put("unix_socket_directories", "");
    settings.put("port", Integer.toString(Ports.isFree(record.port()) ? record.port() : Ports.pickFree()));
    cluster.configure(settings, Set.of("primary_slot_name", "default_transaction_read_only"));
    try {
      Files.deleteIfExists(cluster.dataDir().resolve("recovery.signal"));
      Path signal = cluster.dataDir().resolve("standby.signal");
      if (!Files.exists(signal)) {
        Files.createFile(signal);
      }
      ctx.osUser.own(signal);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write standby.signal in " + cluster.dataDir(), e);
    }
    ctx.osUser.createOwnedDirectory(ctx.archiveDir(replica.region(), replica.id()), "755");
    ctx.registry.save(replica);
    return replica;
  }

  private RebuildResult baseBackup(InstanceRecord record, InstanceRecord newPrimary, long timeline, String preserved,
      String why) {
    PgCluster cluster = ctx.cluster(record.id());
    long logOffset = cluster.logSize();
    InstanceRecord rebuilt = fleet.rebuildReplica(record.withRole(InstanceRole.REPLICA), newPrimary);
    if (!awaitFollowing(rebuilt, newPrimary, timeline, cluster, logOffset)) {
      throw new LifeboatException(ErrorType.PLATFORM_ERROR, "Rebuilt " + record.id() + " from a base backup of "
          + newPrimary.id() + ", but it does not stream from it; see " + cluster.logFile(),
          details("instance", record.id(), "newPrimary", newPrimary.id()));
    }
    return done(new RebuildResult(record.id(), newPrimary.id(), BASE_BACKUP, why, ctx.now(), preserved));
  }

  /** Waits a while for a replica found not streaming (a retry after a restart); starts it when it is down. */
  private boolean startsStreaming(InstanceRecord replica, InstanceRecord newPrimary, long timeline) {
    PgCluster cluster = ctx.cluster(replica.id());
    long logOffset = cluster.logSize();
    try {
      return awaitFollowing(fleet.ensureRunning(replica), newPrimary, timeline, cluster, logOffset);
    } catch (LifeboatException e) {
      log.warn("Replica {} does not start: {}", replica.id(), firstLine(e.getMessage()));
      return false;
    }
  }

  private RebuildResult done(RebuildResult result) {
    Path file = ctx.registry.dir(result.instance()).resolve(REBUILD_FILE);
    RebuildMark earlier = Files.exists(file) ? LocalJson.read(file, RebuildMark.class) : null;
    LocalJson.write(file, new RebuildMark(result.newPrimary(), result.preserved(),
        earlier == null ? null : earlier.preservedAt(), result.how(), result.why()));
    return result;
  }

  private static String firstLine(String text) {
    return text == null ? "" : text.lines().findFirst().orElse("");
  }

  // ---- repoint ------------------------------------------------------------------------------

  @Override
  public RepointResult repoint(String replicaId, String newPrimaryId) {
    if (replicaId.equals(newPrimaryId)) {
      throw new LifeboatException(ErrorType.INVALID_REQUEST, "A replica cannot follow itself: " + replicaId,
          details("instance", replicaId));
    }
    InstanceRecord newPrimary = ctx.locked(newPrimaryId, () -> {
      InstanceRecord p = find(newPrimaryId);
      if (p.role() != InstanceRole.PRIMARY) {
        throw new LifeboatException(ErrorType.INVALID_REQUEST, "Instance " + newPrimaryId + " is a " + roleName(p)
            + ", not a primary: promote it before re-pointing replicas at it",
            details("instance", newPrimaryId, "role", roleName(p)));
      }
      return fleet.ensureRunning(p);
    });
    return ctx.locked(replicaId, () -> {
      InstanceRecord replica = find(replicaId);
      if (replica.role() != InstanceRole.REPLICA) {
        throw notAReplica(replica, "re-pointed");
      }
      Lineage lineage = lineage(newPrimary);
      if (InstanceRecord.CREATING.equals(replica.status())) {
        log.warn("Replica {} was being rebuilt when an earlier attempt stopped: rebuilding it", replicaId);
        return rebuild(replica, newPrimary);
      }
      if (newPrimaryId.equals(replica.source()) && following(replica, newPrimary, lineage.timeline())) {
        return new RepointResult(replicaId, newPrimaryId, ALREADY_FOLLOWING);
      }
      try {
        replica = fleet.ensureRunning(replica);
      } catch (RuntimeException e) {
        log.warn("Replica {} does not start ({}): rebuilding it from {}", replicaId, e.getMessage(), newPrimaryId);
        return rebuild(replica, newPrimary);
      }
      String cannotFollow = divergence(replica, newPrimaryId, lineage);
      if (cannotFollow != null) {
        log.warn("Replica {} cannot follow {}: {}; rebuilding it", replicaId, newPrimaryId, cannotFollow);
        return rebuild(replica, newPrimary);
      }
      if (!follow(replica, newPrimary, lineage.timeline())) {
        log.warn("Replica {} did not stream from {} on timeline {}: rebuilding it", replicaId, newPrimaryId,
            lineage.timeline());
        return rebuild(replica, newPrimary);
      }
      log.warn("Replica {} follows {} on timeline {}", replicaId, newPrimaryId, lineage.timeline());
      return new RepointResult(replicaId, newPrimaryId, FOLLOWED);
    });
  }

  /**
   * The new primary's timeline, system identifier, and where it forked from its parent timeline
   * ({@code <parent>\t<switchpoint>\t<reason>} lines of its history file).
   */
  private record Lineage(long timeline, String systemIdentifier, Map<Long, Long> switchpoints) {}

  private Lineage lineage(InstanceRecord primary) {
    try (Connection c = connect(primary)) {
      long timeline = timeline(c);
      Map<Long, Long> switchpoints = new LinkedHashMap<>();
      if (timeline > 1) {
        try (PreparedStatement ps = c.prepareStatement("select pg_read_file(?)")) {
          ps.setString(1, String.format("pg_wal/%08X.history", timeline));
          try (ResultSet rs = ps.executeQuery()) {
            rs.next();
            for (String line : rs.getString(1).split("\n")) {
              String[] f = line.trim().split("\\s+");
              if (f.length >= 2 && !f[0].startsWith("#")) {
                switchpoints.put(Long.parseLong(f[0]), WalSegment.parseLsn(f[1]));
              }
            }
          }
        }
      }
      return new Lineage(timeline, systemIdentifier(c), switchpoints);
    } catch (SQLException e) {
      throw new LifeboatException(ErrorType.PLATFORM_ERROR, "New primary " + primary.id() + " does not answer: "
          + e.getMessage(), details("instance", primary.id()), e);
    }
  }

  /**
   * Why a running replica cannot stream from the new primary, or null when it can: another
   * cluster, or it replayed past the point where the new primary's timeline forked (it holds WAL
   * of the old primary the new one never had).
   */
  private String divergence(InstanceRecord replica, String newPrimaryId, Lineage lineage) {
    try (Connection c = connect(replica); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("select (select system_identifier from pg_control_system())::text,"
            + " pg_is_in_recovery(), pg_last_wal_replay_lsn()::text,"
            + " (select timeline_id from pg_control_checkpoint())")) {
      rs.next();
      if (!rs.getBoolean(2)) {
        throw new LifeboatException(ErrorType.INVALID_REQUEST, "Replica " + replica.id() + " is not in recovery:"
            + " it was promoted, so it may hold writes of its own; Lifeboat will not overwrite it",
            details("instance", replica.id()));
      }
      if (!lineage.systemIdentifier().equals(rs.getString(1))) {
        return "it is another cluster (system identifier " + rs.getString(1) + ")";
      }
      if (newPrimaryId.equals(replica.source())) {
        // re-pointed by an earlier attempt: it may already be on the new timeline, which its
        // checkpoint does not show yet; following tells
        return null;
      }
      long timeline = rs.getLong(4);
      long replayed = rs.getString(3) == null ? 0 : WalSegment.parseLsn(rs.getString(3));
      if (timeline == lineage.timeline()) {
        return null;
      }
      Long forkedAt = lineage.switchpoints().get(timeline);
      if (forkedAt == null) {
        return "its timeline " + timeline + " is not in the new primary's history";
      }
      if (replayed > forkedAt) {
        return "it replayed up to " + rs.getString(3) + ", past where timeline " + lineage.timeline()
            + " forked from timeline " + timeline + " (" + lsnText(forkedAt) + ")";
      }
      return null;
    } catch (SQLException e) {
      return "it does not answer (" + e.getMessage() + ")";
    }
  }

  /**
   * Points the replica at the new primary and its archive. primary_conninfo and restore_command
   * take effect on reload (PostgreSQL 13 and 14), so readers on the replica keep their sessions; a
   * restart is the second try.
   */
  private boolean follow(InstanceRecord replica, InstanceRecord newPrimary, long timeline) {
    InstanceRecord moved = replica.withSource(newPrimary.id());
    ctx.registry.save(moved);
    PgCluster cluster = ctx.cluster(replica.id());
    Map<String, String> settings = new LinkedHashMap<>(fleet.replicaSettings(moved, newPrimary));
    settings.put("recovery_target_timeline", "latest");
    cluster.configure(settings);
    long logOffset = cluster.logSize();
    boolean reloaded = false;
    try (Connection c = connect(moved); Statement st = c.createStatement()) {
      reloaded = "latest".equals(Jdbc.queryString(c, "show recovery_target_timeline"));
      st.execute("select pg_reload_conf()");
    } catch (SQLException e) {
      log.warn("Cannot reload {} ({}); restarting it", replica.id(), e.getMessage());
    }
    if (reloaded && awaitFollowing(moved, newPrimary, timeline, cluster, logOffset)) {
      return true;
    }
    if (cannotFollow(cluster.logSince(logOffset))) {
      return false;
    }
    log.info("Restarting replica {} to follow {}", replica.id(), newPrimary.id());
    logOffset = cluster.logSize();
    cluster.stop(PgCluster.StopMode.FAST);
    InstanceRecord restarted = fleet.ensureRunning(moved);
    return awaitFollowing(restarted, newPrimary, timeline, cluster, logOffset);
  }

  private boolean awaitFollowing(InstanceRecord replica, InstanceRecord newPrimary, long timeline, PgCluster cluster,
      long logOffset) {
    long deadline = System.nanoTime() + FOLLOW_WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      if (following(replica, newPrimary, timeline)) {
        return true;
      }
      if (cannotFollow(cluster.logSince(logOffset))) {
        return false;
      }
      PgCluster.sleep(POLL);
    }
    return false;
  }

  /** Streaming from the new primary's port, on its timeline. */
  private boolean following(InstanceRecord replica, InstanceRecord newPrimary, long timeline) {
    if (!ctx.cluster(replica.id()).isRunning()) {
      return false;
    }
    try (Connection c = connect(replica); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("select status, sender_port, received_tli from pg_stat_wal_receiver")) {
      return rs.next() && "streaming".equals(rs.getString(1)) && rs.getInt(2) == newPrimary.port()
          && rs.getLong(3) == timeline;
    } catch (SQLException e) {
      return false;
    }
  }

  private static boolean cannotFollow(String log) {
    for (String s : CANNOT_FOLLOW) {
      if (log.contains(s)) {
        return true;
      }
    }
    return false;
  }

  private RepointResult rebuild(InstanceRecord replica, InstanceRecord newPrimary) {
    fleet.rebuildReplica(replica, newPrimary);
    return new RepointResult(replica.id(), newPrimary.id(), REBUILT);
  }

  // ---- restore in a DR region -----------------------------------------------------------------

  @Override
  public DrCopyState measureRegion(String primaryId, String region) {
    InstanceRecord primary = ctx.managed(primaryId);
    String r = drRegion(region);
    RestoreWindow window = planner.window(primary, r);
    Instant newest = newestRestorable(primary, r, window);
    RestorePlan plan = planner.plan(primary, r, newest);
    Instant copyStopped = ctx.snapshots.find(r, plan.snapshotId()).map(SnapshotRecord::stoppedAt)
        .orElse(plan.snapshotStoppedAt());
    Optional<Position> position = primary.role() == InstanceRole.PRIMARY ? position(primary, "0/0") : Optional.empty();
    return DrCopyState.of(primaryId, r, plan.snapshotId(), copyStopped, newest,
        position.map(Position::lastCommit).orElse(null), position.isPresent(), ctx.now());
  }

  @Override
  public DrRestoreResult restoreInRegion(String primaryId, String region, String newInstanceId, Instant target,
      String runId) {
    String r = drRegion(region);
    return ctx.locked(newInstanceId, () -> {
      Optional<InstanceRecord> existing = ctx.registry.find(newInstanceId);
      if (existing.isPresent() && existing.get().role() == InstanceRole.PRIMARY) {
        InstanceRecord found = existing.get();
        if (!primaryId.equals(found.source()) || !r.equals(found.region())) {
          throw new LifeboatException(ErrorType.INVALID_REQUEST, "Instance " + newInstanceId + " exists already (a"
              + " primary in " + found.region() + (found.source() == null ? "" : " that replaced " + found.source())
              + "): name another new instance. Nothing was restored.", details("instance", newInstanceId));
        }
        InstanceRecord running = archiving(fleet.ensureRunning(found));
        DrRestoreResult earlier = readJson(newInstanceId, DR_RESTORE_FILE, DrRestoreResult.class)
            .orElseGet(() -> describe(running, primaryId, null, null));
        log.warn("{} was restored in {} by an earlier attempt: not restoring again", newInstanceId, r);
        return again(earlier);
      }
      if (existing.isPresent() && (existing.get().role() != InstanceRole.TEMPORARY
          || !Objects.equals(runId, existing.get().runId()))) {
        throw new LifeboatException(ErrorType.INVALID_REQUEST, "Instance " + newInstanceId + " exists already (a "
            + roleName(existing.get()) + "): name another new instance. Nothing was restored.",
            details("instance", newInstanceId));
      }
      InstanceRecord source = ctx.managed(primaryId);
      requireFenced(source, newInstanceId);
      Restored restored = restoreTemporary(source, r, newInstanceId, target, runId, "failover",
          ctx.now().plus(DR_RESTORE_GUARD_TTL));
      return makePermanent(restored.instance(), source, restored.snapshotId(), restored.restoredTo());
    });
  }

  /**
   * A failover drill's restore: the same restore as {@link #restoreInRegion} (the region's newest
   * restorable point, restored as a temporary instance), which then stays temporary: owned by the
   * drill, expiring at {@code expiresAt}, not archiving; the source is neither fenced nor retired.
   * {@code dr-restore.json} beside it makes a retry answer the same.
   */
  @Override
  public DrRestoreResult rehearseRestoreInRegion(String primaryId, String region, String instanceId,
      String ownerRunId, Instant expiresAt) {
    Rehearsal.requireOwner(instanceId, ownerRunId, expiresAt);
    String r = drRegion(region);
    return ctx.locked(instanceId, () -> {
      Optional<InstanceRecord> existing = ctx.registry.find(instanceId);
      if (existing.isPresent() && (existing.get().role() != InstanceRole.TEMPORARY
          || !ownerRunId.equals(existing.get().runId()) || !primaryId.equals(existing.get().source())
          || !r.equals(existing.get().region()))) {
        InstanceRecord found = existing.get();
        throw new LifeboatException(ErrorType.INVALID_REQUEST, "Instance " + instanceId + " exists already (a "
            + roleName(found) + (found.runId() == null ? "" : " of run " + found.runId()) + " in " + found.region()
            + "), not this drill's restore of " + primaryId + " in " + r + ": name another instance. Nothing was"
            + " restored.", details("instance", instanceId, "ownerRunId", ownerRunId));
      }
      Optional<DrRestoreResult> earlier = existing.filter(e -> InstanceRecord.AVAILABLE.equals(e.status()))
          .flatMap(e -> readJson(instanceId, DR_RESTORE_FILE, DrRestoreResult.class));
      if (earlier.isPresent()) {
        fleet.ensureRunning(existing.get());
        log.warn("{} was restored in {} for drill {} by an earlier attempt: not restoring again", instanceId, r,
            ownerRunId);
        return again(earlier.get());
      }
      Restored restored = restoreTemporary(ctx.managed(primaryId), r, instanceId, null, ownerRunId,
          DRILL_REQUESTER, expiresAt);
      DrRestoreResult result = describe(restored.instance(), primaryId, restored.snapshotId(),
          restored.restoredTo());
      LocalJson.write(ctx.registry.dir(instanceId).resolve(DR_RESTORE_FILE), result);
      log.warn("{} restored in {} to {} for drill {}: temporary until {}; production is unchanged", instanceId, r,
          restored.restoredTo(), ownerRunId, expiresAt);
      return result;
    });
  }

  private record Restored(InstanceRecord instance, String snapshotId, Instant restoredTo) {}

  /**
   * Restores {@code source} from its copy in {@code region} to {@code target} (null: the newest point
   * restorable there, replaying the whole archive) into the temporary instance {@code instanceId}.
   */
  private Restored restoreTemporary(InstanceRecord source, String region, String instanceId, Instant target,
      String runId, String requester, Instant expiresAt) {
    Instant to = target != null ? target : newestRestorable(source, region, planner.window(source, region));
    RestorePlan plan = planner.plan(source, region, to);
    log.warn("Restoring {} in {} to {} from copy {} into {} (run {})", source.id(), region, to, plan.snapshotId(),
        instanceId, runId);
    InstanceRecord restored = restorer.restore(new RestoreSpec(instanceId, source.id(), to, plan.snapshotId(),
        runId, requester, expiresAt, region), ProgressListener.NONE, target == null);
    return new Restored(restored, plan.snapshotId(), to);
  }

  /** What an earlier attempt restored, answered to a retry. */
  private static DrRestoreResult again(DrRestoreResult earlier) {
    return new DrRestoreResult(earlier.instance(), earlier.source(), earlier.region(), true, earlier.snapshotId(),
        earlier.restoredTo(), earlier.timeline(), earlier.systemIdentifier(), earlier.restoredAt());
  }


  /**
   * The promoted copy becomes the region's primary: archiving into its own archive there (a restart
   * turns archive_mode on; the new timeline's history file is marked ready so it is archived first),
   * no TTL, recorded as the primary that replaced {@code source}, which becomes a former primary.
   */
  private DrRestoreResult makePermanent(InstanceRecord restored, InstanceRecord source, String snapshotId,
      Instant restoredTo) {
    PgCluster cluster = ctx.cluster(restored.id());
    InstanceRecord primary = restored.withRole(InstanceRole.PRIMARY).withExpiresAt(null).withSource(source.id());
    ctx.osUser.createOwnedDirectory(ctx.archiveDir(primary.region(), primary.id()), "755");
    DrRestoreResult result = describe(restored, source.id(), snapshotId, restoredTo);
    cluster.configure(fleet.primarySettings(primary), RECOVERY_SETTINGS);
    markHistoryReady(cluster, result.timeline());
    cluster.stop(PgCluster.StopMode.FAST);
    Path mark = ctx.registry.dir(primary.id()).resolve(DR_RESTORE_FILE);
    if (!Files.exists(mark)) {
      LocalJson.write(mark, result);
    }
    ctx.registry.save(primary.withStatus(InstanceRecord.STOPPED));
    InstanceRecord running = fleet.ensureRunning(primary.withStatus(InstanceRecord.STOPPED));
    retire(source, primary.id());
    log.warn("{} is now the primary in {} (timeline {}, restored to {}), replacing {}", running.id(),
        running.region(), result.timeline(), restoredTo, source.id());
    return readJson(primary.id(), DR_RESTORE_FILE, DrRestoreResult.class).orElse(result);
  }

  private DrRestoreResult describe(InstanceRecord instance, String sourceId, String snapshotId, Instant restoredTo) {
    try (Connection c = connect(instance)) {
      return new DrRestoreResult(instance.id(), sourceId, instance.region(), false, snapshotId, restoredTo,
          timeline(c), systemIdentifier(c), ctx.now());
    } catch (SQLException e) {
      throw new LifeboatException(ErrorType.PLATFORM_ERROR, "Restored " + instance.id() + " does not answer: "
          + e.getMessage(), details("instance", instance.id()), e);
    }
  }

  /** The history file was written while archive_mode was off: the archiver ships it once told to. */
  private void markHistoryReady(PgCluster cluster, long timeline) {
    String history = String.format("%08X.history", timeline);
    Path status = cluster.dataDir().resolve("pg_wal").resolve("archive_status");
    if (timeline <= 1 || !Files.exists(cluster.dataDir().resolve("pg_wal").resolve(history))
        || Files.exists(status.resolve(history + ".done"))) {
      return;
    }
    try {
      Path ready = status.resolve(history + ".ready");
      if (!Files.exists(ready)) {
        Files.createFile(ready);
      }
      ctx.osUser.own(ready);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot mark " + history + " for archiving in " + status, e);
    }
  }

  /** A primary found running without archiving (a crash between its reconfiguration and restart) is restarted. */
  private InstanceRecord archiving(InstanceRecord record) {
    try (Connection c = connect(record)) {
      if ("on".equals(Jdbc.queryString(c, "show archive_mode"))) {
        return record;
      }
    } catch (SQLException e) {
      throw new LifeboatException(ErrorType.PLATFORM_ERROR, record.id() + " does not answer: " + e.getMessage(),
          details("instance", record.id()), e);
    }
    PgCluster cluster = ctx.cluster(record.id());
    cluster.configure(fleet.primarySettings(record), RECOVERY_SETTINGS);
    cluster.stop(PgCluster.StopMode.FAST);
    return fleet.ensureRunning(record);
  }

  /** The primary that was replaced becomes a former primary: the platform never starts it again. */
  private void retire(InstanceRecord source, String replacement) {
    ctx.locked(source.id(), () -> {
      ctx.registry.find(source.id()).filter(r -> r.role() == InstanceRole.PRIMARY).ifPresent(old -> {
        if (ctx.cluster(old.id()).isRunning() && !InstanceRecord.FENCED.equals(old.status())) {
          log.warn("Old primary {} still runs and was not fenced: fence it, or two primaries take writes", old.id());
        }
        ctx.registry.save(old.withRole(InstanceRole.FORMER_PRIMARY));
        log.warn("{} is a former primary, replaced by {}", old.id(), replacement);
      });
      return null;
    });
  }

  /** A restore of a primary that still takes writes would make two primaries. */
  private void requireFenced(InstanceRecord source, String newInstanceId) {
    if (source.role() == InstanceRole.PRIMARY && !InstanceRecord.FENCED.equals(source.status())
        && ctx.cluster(source.id()).isRunning()) {
      throw new LifeboatException(ErrorType.INVALID_REQUEST, "Primary " + source.id() + " still runs and is not"
          + " fenced: restoring " + newInstanceId + " as a primary now would let two primaries take writes. Fence "
          + source.id() + " first. Nothing was restored.", details("instance", source.id()));
    }
  }

  private Instant newestRestorable(InstanceRecord primary, String region, RestoreWindow window) {
    if (window.latest() != null) {
      return window.latest();
    }
    boolean copies = ctx.snapshots.list(region).stream().anyMatch(s -> s.instance().equals(primary.id())
        && s.available());
    throw new LifeboatException(copies ? ErrorType.RESTORE_TIME_OUTSIDE_WINDOW : ErrorType.NO_COPY_IN_REGION,
        (copies ? "The copies of " + primary.id() + " in " + region + " reach no commit after their backups ended"
            : "Region " + region + " holds no available copy of " + primary.id())
            + ", so nothing can be restored there; copy a snapshot (and its WAL) to " + region + " first.",
        details("instance", primary.id(), "region", region));
  }

  private String drRegion(String region) {
    String r = ctx.region(region == null ? ctx.config.regions().stream().skip(1).findFirst().orElse(null) : region);
    if (r == null || ctx.isHome(r)) {
      throw new LifeboatException(ErrorType.REGION_NOT_FOUND, "A restore-in-dr failover restores in a DR region; '"
          + r + "' is " + (r == null ? "none" : "the home region") + ". DR regions: "
          + ctx.config.regions().stream().skip(1).toList(), details("region", r));
    }
    return r;
  }

  @Override
  public DrReplicaResult createReplica(String replicaId, String primaryId, String replaces) {
    InstanceRecord primary = ctx.locked(primaryId, () -> {
      InstanceRecord p = find(primaryId);
      if (p.role() != InstanceRole.PRIMARY) {
        throw new LifeboatException(ErrorType.INVALID_REQUEST, "Instance " + primaryId + " is a " + roleName(p)
            + ", not a primary: restore it before creating replicas of it", details("instance", primaryId));
      }
      return fleet.ensureRunning(p);
    });
    return createStreaming(replicaId, primary, replaces, InstanceRole.REPLICA, null,
        () -> fleet.createReplica(replicaId, primaryId, primary.region()));
  }

  /**
   * A failover drill's replica: a base backup of the drill's temporary primary, streaming from it,
   * recorded as a temporary instance whose {@code source} is that primary (deleted and reaped like
   * any temporary instance, by the same run and expiry). It archives nowhere.
   */
  @Override
  public DrReplicaResult createTemporaryReplica(String replicaId, String primaryId, String replaces,
      String ownerRunId, Instant expiresAt) {
    Rehearsal.requireOwner(replicaId, ownerRunId, expiresAt);
    InstanceRecord primary = ctx.locked(primaryId, () -> {
      InstanceRecord p = find(primaryId);
      if (p.role() != InstanceRole.TEMPORARY || !ownerRunId.equals(p.runId()) || fleet.upstream(p).isPresent()) {
        throw new LifeboatException(ErrorType.INVALID_REQUEST, "Instance " + primaryId + " is not a temporary primary"
            + " of drill " + ownerRunId + " (it is a " + roleName(p) + (p.runId() == null ? "" : " of run " + p.runId())
            + "): a drill's replica streams from the drill's own restored instance. Nothing was created.",
            details("instance", primaryId, "ownerRunId", ownerRunId));
      }
      return fleet.ensureRunning(p);
    });
    return createStreaming(replicaId, primary, replaces, InstanceRole.TEMPORARY, ownerRunId,
        () -> fleet.createTemporaryReplica(replicaId, primary, ownerRunId, expiresAt));
  }

  /**
   * Creates {@code replicaId} with {@code create} (idempotent) and waits until it streams from
   * {@code primary}; a retry finds the one an earlier attempt created.
   */
  private DrReplicaResult createStreaming(String replicaId, InstanceRecord primary, String replaces, InstanceRole role,
      String runId, Supplier<InstanceRecord> create) {
    long timeline = lineage(primary).timeline();
    Optional<InstanceRecord> existing = ctx.registry.find(replicaId);
    if (existing.isPresent() && (existing.get().role() != role || !primary.id().equals(existing.get().source())
        || !Objects.equals(runId, existing.get().runId()))) {
      throw new LifeboatException(ErrorType.INVALID_REQUEST, "Instance " + replicaId + " exists already (a "
          + roleName(existing.get()) + (existing.get().source() == null ? "" : " of " + existing.get().source())
          + "): name another replica. Nothing was created.", details("instance", replicaId));
    }
    boolean already = existing.isPresent() && !InstanceRecord.CREATING.equals(existing.get().status());
    InstanceRecord replica = create.get();
    PgCluster cluster = ctx.cluster(replicaId);
    if (!awaitFollowing(replica, primary, timeline, cluster, 0)) {
      throw new LifeboatException(ErrorType.PLATFORM_ERROR, "Replica " + replicaId + " of " + primary.id()
          + " does not stream from it; see " + cluster.logFile(), details("instance", replicaId));
    }
    log.warn("{} streams from {} in {} (in place of {})", replicaId, primary.id(), primary.region(), replaces);
    return new DrReplicaResult(replicaId, primary.id(), replaces, already ? ALREADY_STREAMING : CREATED, ctx.now());
  }

  // ---- helpers ------------------------------------------------------------------------------

  private InstanceRecord find(String id) {
    return ctx.registry.find(id).orElseThrow(() -> Fleet.notFound(id));
  }

  /** A primary that was a replica once: a failover promoted it. */
  private static boolean promoted(InstanceRecord r) {
    return r.role() == InstanceRole.PRIMARY && r.source() != null;
  }

  private static LifeboatException notAReplica(InstanceRecord r, String what) {
    return new LifeboatException(ErrorType.INVALID_REQUEST, "Instance " + r.id() + " is a " + roleName(r)
        + ", not a replica: only a replica is " + what, details("instance", r.id(), "role", roleName(r)));
  }

  private static String roleName(InstanceRecord r) {
    return r.role().name().toLowerCase().replace('_', '-');
  }

  private static Connection connect(InstanceRecord r) throws SQLException {
    return Jdbc.connect(r.port(), InstanceRecord.DEFAULT_DATABASE);
  }

  /** The timeline the server writes on (a primary), from the name of its current WAL file. */
  private static long timeline(Connection c) throws SQLException {
    String file = Jdbc.queryString(c, "select pg_walfile_name(pg_current_wal_lsn())");
    return Long.parseLong(file.substring(0, 8), 16);
  }

  private static Instant lastReplayTimestamp(Connection c) throws SQLException {
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("select pg_last_xact_replay_timestamp()")) {
      return rs.next() ? instant(rs, 1) : null;
    }
  }

  private static String systemIdentifier(Connection c) throws SQLException {
    return Jdbc.queryString(c, "select system_identifier::text from pg_control_system()");
  }

  private static Instant instant(ResultSet rs, int column) throws SQLException {
    OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
    return t == null ? null : t.toInstant();
  }

  private static String lsnText(long lsn) {
    return String.format("%X/%X", lsn >>> 32, lsn & 0xFFFFFFFFL);
  }

  private <T> Optional<T> readJson(String id, String file, Class<T> type) {
    Path path = ctx.registry.dir(id).resolve(file);
    return Files.exists(path) ? Optional.of(LocalJson.read(path, type)) : Optional.empty();
  }
}
