package dev.lifeboat.rds;

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
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Function;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.waiters.WaiterOverrideConfiguration;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.CreateDbInstanceReadReplicaRequest;
import software.amazon.awssdk.services.rds.model.DBInstance;
import software.amazon.awssdk.services.rds.model.DBParameterGroupStatus;
import software.amazon.awssdk.services.rds.model.DBSnapshot;
import software.amazon.awssdk.services.rds.model.DbInstanceAlreadyExistsException;
import software.amazon.awssdk.services.rds.model.DbInstanceNotFoundException;
import software.amazon.awssdk.services.rds.model.InvalidDbInstanceStateException;
import software.amazon.awssdk.services.rds.model.RestoreDbInstanceFromDbSnapshotRequest;
import software.amazon.awssdk.services.rds.model.Tag;
import software.amazon.awssdk.services.rds.model.VpcSecurityGroupMembership;
import software.amazon.awssdk.services.rds.waiters.RdsWaiter;

/**
 * Failover on Amazon RDS for PostgreSQL, in the home region: {@code PromoteReadReplica} and the
 * SDK's {@code DBInstanceAvailable} waiter for the promotion, SQL on the instances for what RDS
 * does not tell (replay positions, commit times, the timeline), and a new read replica where
 * PostgreSQL would simply re-point one. Every operation is idempotent: a retry after a worker
 * crash finds what the first attempt did on RDS itself (the instance's state, its tags, the
 * replacement replica's deterministic identifier) and answers the same.
 *
 * <p>What RDS cannot do, and what is done instead:
 * <ul>
 *   <li><b>Fence by stopping.</b> {@code StopDBInstance} refuses an instance that has read
 *       replicas (the old primary has them until each is promoted or rebuilt), and a stopped
 *       instance starts again by itself after seven days. The old primary is made read-only
 *       instead: {@code ALTER DATABASE ... SET default_transaction_read_only = on} for each
 *       database, then every other client session is ended, so what reconnects cannot write.
 *       A client could still {@code SET transaction_read_write}; applications do not, and the
 *       pooler points elsewhere right after.</li>
 *   <li><b>Re-point a replica.</b> A read replica's source cannot be changed; a new read replica
 *       of the new primary ({@code <replica>-lb<hash>}, tagged {@code lifeboat:replaces}) is
 *       created, and the old replica is left as it is for the operator to delete.</li>
 *   <li><b>Rebuild the old primary as a replica.</b> Not possible at all: it is refused.</li>
 * </ul>
 *
 * <p>Restore-in-dr: {@code RestoreDBInstanceFromDBSnapshot} of the newest available copy in the DR
 * region (a cross-region copy carries no WAL: the copy's creation time is the newest point there),
 * as a permanent instance (no {@code lifeboat:temporary} or expiry tag; tagged
 * {@code lifeboat:failover-run} and {@code lifeboat:replaces}, which a retry checks before it takes an
 * existing instance as its own), then {@code CreateDBInstanceReadReplica} of it in that region for
 * the analytics replica, each waited for with the SDK's waiter.
 *
 * <p>Failover drill: the same restore and read replica, as temporary instances of the drill
 * ({@code lifeboat:temporary}, its run and expiry, the temporary instances' class and network),
 * which the platform's delete and the reaper remove; production is neither fenced nor retagged.
 */
public final class RdsFailover implements FailoverOperations {
  static final String READ_ONLY = "read-only";
  static final String UNREACHABLE = "unreachable";
  static final String ALREADY_FENCED = "already-fenced";
  static final String ALREADY_FOLLOWING = "already-following";
  /** {@link RepointResult#how()} of a replica replaced by a new one: {@code rebuilt-as:<new id>}. */
  static final String REBUILT_AS = "rebuilt-as:";
  static final String TAG_REPLACES = "lifeboat:replaces";
  static final String TAG_PROMOTED_AT = "lifeboat:promoted-at";
  static final String TAG_LAST_REPLAYED = "lifeboat:last-replayed-commit";
  static final String TAG_FAILOVER_RUN = "lifeboat:failover-run";
  static final String TAG_RESTORED_FROM = "lifeboat:restored-from";
  static final String CREATED = "created";
  static final String ALREADY_STREAMING = "already-streaming";
  /** {@code lifeboat:requester} of a failover drill's temporary instances. */
  static final String DRILL_REQUESTER = "failover-drill";
  /** The fleet's automated backups keep 7 days of PITR: a promoted replica gets the same. */
  static final int BACKUP_RETENTION_DAYS = 7;
  private static final int MAX_IDENTIFIER = 63;
  /** Statuses an instance passes through on its own and comes back from: wait, do not fail. */
  private static final Set<String> TRANSITIONAL = Set.of("modifying", "rebooting", "backing-up", "creating",
      "configuring-enhanced-monitoring", "configuring-iam-database-auth", "configuring-log-exports",
      "converting-to-vpc", "maintenance", "moving-to-vpc", "renaming", "resetting-master-credentials", "starting",
      "storage-config-upgrade", "storage-optimization", "upgrading");
  private static final Duration PRIMARY_CONNECT_TIMEOUT = Duration.ofSeconds(5);
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(30);
  /** Below the failover activities' 30 min start-to-close: Temporal, not the waiter, owns the long tail. */
  private static final Duration WAIT_TIMEOUT = Duration.ofMinutes(25);
  private static final ExecutorService CONNECTOR = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "rds-failover-connect");
    t.setDaemon(true);
    return t;
  });
  private static final Logger log = LoggerFactory.getLogger(RdsFailover.class);

  private final RdsClients clients;
  private final RdsClient rds;
  private final RdsWaiter waiter;
  /** Waiters of the DR regions' clients, made on first use. */
  private final Map<String, RdsWaiter> waiters = new ConcurrentHashMap<>();
  private final Function<String, DataSource> dataSources;
  private final Clock clock;
  private final Duration poll;
  private final Duration waitTimeout;
  private final Duration primaryConnectTimeout;

  /**
   * @param dataSources a connection to an instance's database as its master user, by RDS identifier
   *     (the platform's {@code dataSource})
   */
  public RdsFailover(RdsClients clients, Function<String, DataSource> dataSources, Clock clock) {
    this(clients, dataSources, clock, clients.settings().pollInterval(), WAIT_TIMEOUT, PRIMARY_CONNECT_TIMEOUT);
  }

  /**
   * @param poll how often the waiter calls DescribeDBInstances (fixed, no jitter)
   * @param waitTimeout the longest one wait for {@code available} lasts
   * @param primaryConnectTimeout how long an instance that may be gone is given to answer
   */
  RdsFailover(RdsClients clients, Function<String, DataSource> dataSources, Clock clock, Duration poll,
      Duration waitTimeout, Duration primaryConnectTimeout) {
    this.clients = clients;
    this.rds = clients.rds(clients.settings().home().name());
    this.dataSources = Objects.requireNonNull(dataSources, "dataSources");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.poll = poll;
    this.waitTimeout = waitTimeout;
    this.primaryConnectTimeout = primaryConnectTimeout;
    this.waiter = waiter(rds);
  }

  private RdsWaiter waiter(RdsClient client) {
    long attempts = Math.max(2, waitTimeout.toMillis() / Math.max(1, poll.toMillis()) + 1);
    return RdsWaiter.builder().client(client).overrideConfiguration(WaiterOverrideConfiguration.builder()
        .backoffStrategyV2(BackoffStrategy.fixedDelayWithoutJitter(poll))
        .maxAttempts((int) Math.min(Integer.MAX_VALUE, attempts))
        .waitTimeout(waitTimeout)
        .build()).build();
  }

  // ---- measure ------------------------------------------------------------------------------

  /**
   * The replica's replay position against its primary's current one. The primary's last commit is
   * {@code pg_last_committed_xact()}, known only where the parameter group sets
   * {@code track_commit_timestamp = 1} (RDS cannot read the WAL the way the local platform does);
   * without it, a replica that lags gets as expected loss the time from its last replayed commit
   * to the primary's clock: an upper bound, so that a lagging candidate is not waved through.
   */
  @Override
  public ReplicaState measure(String replicaId) {
    DBInstance replica = describe(replicaId, "measuring " + replicaId);
    String primaryId = sourceOf(replica);
    if (primaryId == null) {
      throw notAReplica(replicaId, "measured as a failover candidate");
    }
    Replay replay = replay(replicaId);
    Optional<Position> position = position(primaryId, replay.lsn());
    Long lag = position.map(Position::lagBytes).orElse(null);
    Instant primaryLastCommit = position.map(Position::lastCommit).orElse(null);
    Duration loss = null;
    if (lag != null && lag <= 0) {
      loss = Duration.ZERO;
    } else if (primaryLastCommit != null && replay.lastCommit() != null) {
      loss = nonNegative(Duration.between(replay.lastCommit(), primaryLastCommit));
    } else if (lag != null && replay.lastCommit() != null) {
      loss = nonNegative(Duration.between(replay.lastCommit(), position.get().now()));
    }
    return new ReplicaState(replicaId, primaryId, position.isPresent(), replay.inRecovery(), replay.lsn(),
        position.map(Position::lsn).orElse(null), lag == null ? null : Math.max(0, lag), replay.lastCommit(),
        primaryLastCommit, loss, clock.instant());
  }

  private record Replay(boolean inRecovery, String lsn, Instant lastCommit) {}

  private Replay replay(String replicaId) {
    try (Connection c = connectOrFail(replicaId, CONNECT_TIMEOUT, "measured"); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("select pg_is_in_recovery(), pg_last_wal_replay_lsn()::text,"
            + " pg_last_xact_replay_timestamp()")) {
      rs.next();
      return new Replay(rs.getBoolean(1), rs.getString(2), instant(rs, 3));
    } catch (SQLException e) {
      throw doesNotAnswer("Replica " + replicaId, replicaId, e);
    }
  }

  private record Position(String lsn, Long lagBytes, Instant lastCommit, Instant now) {}

  /** The primary's current position and newest commit; empty when it does not answer in time. */
  private Optional<Position> position(String primaryId, String replayLsn) {
    Optional<Connection> connection;
    try {
      connection = connect(primaryId, primaryConnectTimeout);
    } catch (RdsTransientException refusing) {
      // a primary that refuses sessions cannot be measured: its loss is unknown, as when it is gone
      log.warn("Primary {} cannot be measured: {}", primaryId, refusing.getMessage());
      return Optional.empty();
    }
    if (connection.isEmpty()) {
      return Optional.empty();
    }
    String sql = "with p as (select pg_current_wal_lsn() as lsn) select lsn::text, pg_wal_lsn_diff(lsn, ?::pg_lsn),"
        + " case when current_setting('track_commit_timestamp')::bool then (pg_last_committed_xact()).timestamp end,"
        + " clock_timestamp() from p";
    try (Connection c = connection.get(); PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, replayLsn);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        long diff = rs.getLong(2);
        Long lag = rs.wasNull() ? null : diff;
        return Optional.of(new Position(rs.getString(1), lag, instant(rs, 3), instant(rs, 4)));
      }
    } catch (SQLException e) {
      log.warn("Primary {} does not answer a failover measurement: {}", primaryId, e.getMessage());
      return Optional.empty();
    }
  }

  // ---- fence --------------------------------------------------------------------------------

  @Override
  public FenceResult fence(String primaryId) {
    DBInstance primary = describe(primaryId, "fencing " + primaryId);
    if (sourceOf(primary) != null) {
      throw new LifeboatException(ErrorType.INVALID_REQUEST, "Instance " + primaryId + " is a read replica of "
          + sourceOf(primary) + ": only a primary is fenced", Map.of("instance", primaryId));
    }
    Optional<Connection> connection = connect(primaryId, primaryConnectTimeout);
    if (connection.isEmpty()) {
      log.warn("Primary {} ({}) does not answer: nothing to fence", primaryId, primary.dbInstanceStatus());
      return new FenceResult(primaryId, UNREACHABLE, null, null, clock.instant());
    }
    try (Connection c = connection.get(); Statement st = c.createStatement()) {
      c.setAutoCommit(true);
      List<String> writable = new ArrayList<>();
      int databases = 0;
      try (ResultSet rs = st.executeQuery("select d.datname, exists (select 1 from pg_db_role_setting s"
          + " where s.setdatabase = d.oid and s.setrole = 0"
          + " and s.setconfig @> array['default_transaction_read_only=on']) from pg_database d"
          + " where not d.datistemplate and d.datname <> 'rdsadmin' order by d.datname")) {
        while (rs.next()) {
          databases++;
          if (!rs.getBoolean(2)) {
            writable.add(rs.getString(1));
          }
        }
      }
      List<String> refused = new ArrayList<>();
      for (String database : writable) {
        try {
          st.execute(alterDatabaseReadOnly(c, database));
        } catch (SQLException e) {
          // e.g. a database owned by rdsadmin: the master user may not alter it
          refused.add(database + " (" + e.getMessage() + ")");
        }
      }
      if (!refused.isEmpty()) {
        if (refused.size() == databases) {
          throw new LifeboatException(ErrorType.PLATFORM_ERROR, "Primary " + primaryId + " could not be made"
              + " read-only: " + String.join(", ", refused) + ". Connect as the master user, which must own the"
              + " databases. Nothing was fenced.", Map.of("instance", primaryId));
        }
        log.warn("Primary {}: these databases could not be made read-only: {}", primaryId, refused);
      }
      // sessions opened before the change keep their read-write default: end them (superusers' are
      // rdsadmin's own, which the master user may not signal)
      try (ResultSet rs = st.executeQuery("select count(pg_terminate_backend(a.pid)) from pg_stat_activity a"
          + " where a.backend_type = 'client backend' and a.pid <> pg_backend_pid()"
          + " and not coalesce((select r.rolsuper from pg_roles r where r.oid = a.usesysid), false)")) {
        rs.next();
        log.warn("Fenced primary {}: {} databases read-only, {} client sessions ended", primaryId,
            writable.size() - refused.size(), rs.getLong(1));
      }
      try (ResultSet rs = st.executeQuery("select pg_current_wal_lsn()::text, case when"
          + " current_setting('track_commit_timestamp')::bool then (pg_last_committed_xact()).timestamp end")) {
        rs.next();
        return new FenceResult(primaryId, writable.isEmpty() ? ALREADY_FENCED : READ_ONLY, rs.getString(1),
            instant(rs, 2), clock.instant());
      }
    } catch (SQLException e) {
      throw new LifeboatException(ErrorType.PLATFORM_ERROR, "Primary " + primaryId + " answers but could not be"
          + " made read-only: " + e.getMessage(), Map.of("instance", primaryId), e);
    }
  }

  /** The ALTER DATABASE statement for one database, its name quoted by the server ({@code %I}). */
  private static String alterDatabaseReadOnly(Connection c, String database) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "select format('alter database %I set default_transaction_read_only = on', ?::text)")) {
      ps.setString(1, database);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getString(1);
      }
    }
  }

  // ---- promote ------------------------------------------------------------------------------

  /**
   * {@code PromoteReadReplica} (backups on, {@value #BACKUP_RETENTION_DAYS} days), then waiting
   * until the instance is {@code available} and no longer names a source. Before the call, the
   * last replayed commit and the time are written to the instance's tags, so that a retry which
   * finds it promoted answers the same measurements. The last replayed commit is read before the
   * promotion (RDS restarts the instance, which forgets it): WAL received but not yet replayed
   * then is replayed during the promotion, so the data loss derived from it errs on the high side.
   */
  @Override
  public PromoteResult promote(String replicaId) {
    String doing = "promoting " + replicaId;
    DBInstance db = describe(replicaId, doing);
    Instant lastReplayed = sourceOf(db) == null ? null : lastReplayedCommit(replicaId);
    Instant promotedAt = clock.instant();
    boolean sent = false;
    long deadline = System.nanoTime() + waitTimeout.toNanos();
    while (sourceOf(db) != null || !"available".equals(db.dbInstanceStatus())) {
      if (System.nanoTime() > deadline) {
        // still promoting: retried, and the retry only waits (it finds the promotion under way)
        throw new RdsTransientException(replicaId + " is still " + db.dbInstanceStatus()
            + (sourceOf(db) == null ? "" : " and a replica of " + sourceOf(db)) + " after " + waitTimeout
            + (sent ? " since PromoteReadReplica" : "") + "; waiting on (its events in the RDS console say why)");
      }
      String status = db.dbInstanceStatus();
      if (sourceOf(db) != null && !sent && "available".equals(status)) {
        tagPromotion(db, promotedAt, lastReplayed);
        sent = sendPromote(replicaId, doing);
        if (sent) {
          // RDS may still answer "available" for a moment: look again after a poll
          sleep(poll);
        }
        db = describe(replicaId, doing);
      } else if (sourceOf(db) != null && !sent && !TRANSITIONAL.contains(status)) {
        throw new LifeboatException(ErrorType.INVALID_INSTANCE_STATE, "Replica " + replicaId + " is " + status
            + ": RDS cannot promote it in that state. Nothing was promoted.", Map.of("instance", replicaId));
      } else if ("available".equals(status)) {
        sleep(poll);
        db = describe(replicaId, doing);
      } else {
        db = awaitAvailable(replicaId, doing);
      }
    }
    Map<String, String> tags = tags(db);
    Instant replayed = sent ? lastReplayed : Optional.ofNullable(parseInstant(tags.get(TAG_LAST_REPLAYED)))
        .orElse(lastReplayed);
    Instant at = sent ? promotedAt : Optional.ofNullable(parseInstant(tags.get(TAG_PROMOTED_AT))).orElse(promotedAt);
    if (!sent) {
      log.warn("{} is promoted already: PromoteReadReplica is not sent again", replicaId);
    }
    Lineage lineage = lineage(replicaId);
    return new PromoteResult(replicaId, !sent, lineage.timeline(), lineage.systemIdentifier(), replayed, at);
  }

  /** @return true when RDS took the promotion; false when an earlier attempt's is still under way */
  private boolean sendPromote(String replicaId, String doing) {
    try {
      rds.promoteReadReplica(b -> b.dbInstanceIdentifier(replicaId).backupRetentionPeriod(BACKUP_RETENTION_DAYS));
      log.warn("PromoteReadReplica sent for {}", replicaId);
      return true;
    } catch (InvalidDbInstanceStateException e) {
      DBInstance now = describe(replicaId, doing);
      if (sourceOf(now) == null || TRANSITIONAL.contains(now.dbInstanceStatus())) {
        log.warn("RDS refused PromoteReadReplica of {} ({}): it is {}, from an earlier attempt; waiting", replicaId,
            RdsErrors.translate(e, doing, replicaId).getMessage(), now.dbInstanceStatus());
        return false;
      }
      throw RdsErrors.translate(e, doing, replicaId);
    } catch (SdkException e) {
      throw RdsErrors.translate(e, doing, replicaId);
    }
  }

  /** Tags a replica about to be promoted, unless an earlier attempt did (its values are the ones to keep). */
  private void tagPromotion(DBInstance db, Instant promotedAt, Instant lastReplayed) {
    if (db.dbInstanceArn() == null || tags(db).containsKey(TAG_PROMOTED_AT)) {
      return;
    }
    List<Tag> tags = new ArrayList<>();
    tags.add(Tag.builder().key(TAG_PROMOTED_AT).value(promotedAt.toString()).build());
    // the inventory then shows the primary it replaces as a former primary (no more snapshots of it)
    tags.add(Tag.builder().key(TAG_REPLACES).value(sourceOf(db)).build());
    if (lastReplayed != null) {
      tags.add(Tag.builder().key(TAG_LAST_REPLAYED).value(lastReplayed.toString()).build());
    }
    try {
      rds.addTagsToResource(b -> b.resourceName(db.dbInstanceArn()).tags(tags));
    } catch (SdkException e) {
      // a record for retries and people, not a condition of the promotion
      log.warn("Cannot tag {} before promoting it: {}", db.dbInstanceIdentifier(), e.getMessage());
    }
  }

  /** The replica's last replayed commit before promotion; null when it does not say. */
  private Instant lastReplayedCommit(String replicaId) {
    Optional<Connection> connection = connectQuietly(replicaId, primaryConnectTimeout);
    if (connection.isEmpty()) {
      return null;
    }
    try (Connection c = connection.get(); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("select pg_last_xact_replay_timestamp()")) {
      return rs.next() ? instant(rs, 1) : null;
    } catch (SQLException e) {
      log.warn("Cannot read the last replayed commit of {}: {}", replicaId, e.getMessage());
      return null;
    }
  }

  private record Lineage(long timeline, String systemIdentifier) {}

  /**
   * Timeline and system identifier of a promoted instance. {@code pg_control_*()} are granted to
   * rds_superuser; when a query is refused the value stays unknown (0, null) rather than failing a
   * promotion that has happened.
   */
  private Lineage lineage(String instanceId) {
    Optional<Connection> connection = connectQuietly(instanceId, CONNECT_TIMEOUT);
    if (connection.isEmpty()) {
      return new Lineage(0, null);
    }
    long timeline = 0;
    String systemIdentifier = null;
    try (Connection c = connection.get()) {
      c.setAutoCommit(true);
      try (Statement st = c.createStatement();
          ResultSet rs = st.executeQuery("select pg_walfile_name(pg_current_wal_lsn())")) {
        rs.next();
        timeline = Long.parseLong(rs.getString(1).substring(0, 8), 16);
      } catch (SQLException | RuntimeException e) {
        timeline = queryLong(c, "select timeline_id from pg_control_checkpoint()");
      }
      try (Statement st = c.createStatement();
          ResultSet rs = st.executeQuery("select system_identifier::text from pg_control_system()")) {
        systemIdentifier = rs.next() ? rs.getString(1) : null;
      } catch (SQLException e) {
        log.warn("Cannot read the system identifier of {}: {}", instanceId, e.getMessage());
      }
    } catch (SQLException e) {
      log.warn("Cannot read the timeline of {}: {}", instanceId, e.getMessage());
    }
    return new Lineage(timeline, systemIdentifier);
  }

  private long queryLong(Connection c, String sql) {
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      return rs.next() ? rs.getLong(1) : 0;
    } catch (SQLException e) {
      log.warn("{} failed: {}", sql, e.getMessage());
      return 0;
    }
  }

  // ---- repoint ------------------------------------------------------------------------------

  /**
   * A read replica cannot change its source on RDS: a new read replica of the new primary is created
   * under a name derived from both ({@link #replacementId}), with the old replica's class, security
   * groups, parameter group and tags plus {@code lifeboat:replaces=<replica>}. The old replica is
   * left untouched. The result's {@code how} is {@code rebuilt-as:<new id>}: {@link RepointResult}
   * has no field for the new identifier.
   */
  @Override
  public RepointResult repoint(String replicaId, String newPrimaryId) {
    if (replicaId.equals(newPrimaryId)) {
      throw new LifeboatException(ErrorType.INVALID_REQUEST, "A replica cannot follow itself: " + replicaId,
          Map.of("instance", replicaId));
    }
    String doing = "re-pointing " + replicaId + " at " + newPrimaryId;
    DBInstance newPrimary = describe(newPrimaryId, doing);
    if (sourceOf(newPrimary) != null) {
      throw new LifeboatException(ErrorType.INVALID_REQUEST, "Instance " + newPrimaryId + " is still a read replica"
          + " of " + sourceOf(newPrimary) + ": promote it before re-pointing replicas at it",
          Map.of("instance", newPrimaryId));
    }
    String replacementId = replacementId(replicaId, newPrimaryId);
    Optional<DBInstance> replacement = find(replacementId, doing);
    if (replacement.isPresent()) {
      if (!newPrimaryId.equals(sourceOf(replacement.get()))) {
        throw new LifeboatException(ErrorType.INVALID_REQUEST, "Instance " + replacementId + " exists but is no"
            + " read replica of " + newPrimaryId + ": Lifeboat will not take it as the replacement of " + replicaId,
            Map.of("instance", replicaId));
      }
      log.info("Replica {} was replaced by {} earlier", replicaId, replacementId);
    } else {
      DBInstance replica = describe(replicaId, doing);
      if (newPrimaryId.equals(sourceOf(replica))) {
        return new RepointResult(replicaId, newPrimaryId, ALREADY_FOLLOWING);
      }
      if (sourceOf(replica) == null) {
        throw new LifeboatException(ErrorType.INVALID_REQUEST, "Instance " + replicaId + " is not a read replica:"
            + " it may hold writes of its own, and Lifeboat will not replace it", Map.of("instance", replicaId));
      }
      createReplacement(replica, replacementId, newPrimaryId, doing);
    }
    awaitAvailable(replacementId, doing);
    log.warn("Replica {} is replaced by {}, a read replica of {}; {} itself is left as it is", replicaId,
        replacementId, newPrimaryId, replicaId);
    return new RepointResult(replicaId, newPrimaryId, REBUILT_AS + replacementId);
  }

  private void createReplacement(DBInstance replica, String replacementId, String newPrimaryId, String doing) {
    List<String> securityGroups = replica.vpcSecurityGroups().stream()
        .map(VpcSecurityGroupMembership::vpcSecurityGroupId).toList();
    String parameterGroup = replica.dbParameterGroups().stream().map(DBParameterGroupStatus::dbParameterGroupName)
        .findFirst().orElse(null);
    List<Tag> tags = new ArrayList<>();
    replica.tagList().stream().filter(t -> !t.key().startsWith("aws:") && !t.key().startsWith("lifeboat:"))
        .forEach(tags::add);
    tags.add(Tag.builder().key(TAG_REPLACES).value(replica.dbInstanceIdentifier()).build());
    for (int attempt = 1; ; attempt++) {
      // a new primary taking its first backup refuses new replicas until it is available again
      DBInstance source = awaitAvailable(newPrimaryId, doing);
      if (sourceOf(source) != null) {
        throw new LifeboatException(ErrorType.INVALID_REQUEST, newPrimaryId + " is a read replica again",
            Map.of("instance", newPrimaryId));
      }
      try {
        rds.createDBInstanceReadReplica(b -> {
          b.dbInstanceIdentifier(replacementId).sourceDBInstanceIdentifier(newPrimaryId)
              .dbInstanceClass(replica.dbInstanceClass()).publiclyAccessible(replica.publiclyAccessible())
              .autoMinorVersionUpgrade(replica.autoMinorVersionUpgrade())
              .copyTagsToSnapshot(replica.copyTagsToSnapshot()).tags(tags);
          if (!securityGroups.isEmpty()) {
            b.vpcSecurityGroupIds(securityGroups);
          }
          if (parameterGroup != null) {
            b.dbParameterGroupName(parameterGroup);
          }
        });
        log.warn("CreateDBInstanceReadReplica sent: {} of {}, replacing {}", replacementId, newPrimaryId,
            replica.dbInstanceIdentifier());
        return;
      } catch (DbInstanceAlreadyExistsException e) {
        // a concurrent or earlier attempt created it: the wait that follows checks it
        return;
      } catch (InvalidDbInstanceStateException e) {
        if (attempt >= 3) {
          throw RdsErrors.translate(e, doing, newPrimaryId);
        }
        log.warn("RDS refused a replica of {} for now ({}); waiting until it is available", newPrimaryId,
            e.getMessage());
        sleep(poll);
      } catch (SdkException e) {
        throw RdsErrors.translate(e, doing, replacementId);
      }
    }
  }

  /**
   * {@code <replica>-lb<6 hex>}: the hash of both names, so a retry finds the replacement it made
   * and a later failover to another primary makes another; the replica's part is cut to fit RDS's
   * 63 characters.
   */
  static String replacementId(String replicaId, String newPrimaryId) {
    String suffix = "-lb" + HexFormat.of().formatHex(sha256(replicaId + "->" + newPrimaryId), 0, 3);
    String base = replicaId.toLowerCase(Locale.ROOT);
    if (base.length() + suffix.length() > MAX_IDENTIFIER) {
      base = base.substring(0, MAX_IDENTIFIER - suffix.length());
    }
    while (base.endsWith("-")) {
      base = base.substring(0, base.length() - 1);
    }
    return base + suffix;
  }

  // ---- rebuild ------------------------------------------------------------------------------

  @Override
  public RebuildResult rebuild(String instanceId, String newPrimaryId) {
    throw new LifeboatException(ErrorType.INVALID_REQUEST, "On RDS a former primary cannot be turned into a replica"
        + " of " + newPrimaryId + ": RDS has no pg_rewind and cannot change an instance into a read replica."
        + " Create a read replica of " + newPrimaryId + " instead. " + instanceId + " is left untouched for"
        + " inspection; delete it when you no longer need it.", Map.of("instance", instanceId,
            "newPrimary", newPrimaryId));
  }

  // ---- restore in a DR region -----------------------------------------------------------------

  @Override
  public DrCopyState measureRegion(String primaryId, String region) {
    String r = drRegion(region);
    DBSnapshot copy = newestCopy(primaryId, r);
    Optional<Position> position = position(primaryId, "0/0");
    Instant copied = copyTime(copy);
    return DrCopyState.of(primaryId, r, copy.dbSnapshotIdentifier(), copied, copied,
        position.map(Position::lastCommit).orElse(null), position.isPresent(), clock.instant());
  }

  @Override
  public DrRestoreResult restoreInRegion(String primaryId, String region, String newInstanceId, Instant target,
      String runId) {
    String r = drRegion(region);
    if (target != null) {
      throw new LifeboatException(ErrorType.INVALID_REQUEST, "On RDS a DR region holds snapshot copies without WAL:"
          + " restore-in-dr restores the newest copy, not a point in time", Map.of("region", r));
    }
    RdsClient dr = clients.rds(r);
    String doing = "restoring " + primaryId + " in " + r + " as " + newInstanceId;
    Optional<DBInstance> existing = find(dr, r, newInstanceId, doing);
    boolean already = existing.isPresent();
    DBSnapshot copy;
    if (already) {
      Map<String, String> tags = tags(existing.get());
      // only this run's own restore is adopted: an instance an earlier failover left there holds old data
      if (!primaryId.equals(tags.get(TAG_REPLACES)) || tags.get(TAG_RESTORED_FROM) == null || runId == null
          || !runId.equals(tags.get(TAG_FAILOVER_RUN))) {
        throw new LifeboatException(ErrorType.INVALID_REQUEST, "Instance " + newInstanceId + " exists in " + r
            + " and was not restored by this failover run of " + primaryId + (tags.get(TAG_FAILOVER_RUN) == null
            ? "" : " (it comes from run " + tags.get(TAG_FAILOVER_RUN) + ")") + ": name another new instance."
            + " Nothing was restored.", Map.of("instance", newInstanceId, "region", r));
      }
      copy = describeSnapshot(dr, r, tags.get(TAG_RESTORED_FROM), doing);
      log.warn("{} was restored in {} by an earlier attempt: not restoring again", newInstanceId, r);
    } else {
      copy = newestCopy(primaryId, r);
      List<Tag> tags = List.of(Tag.builder().key(TAG_FAILOVER_RUN).value(runId == null ? "" : runId).build(),
          Tag.builder().key(TAG_REPLACES).value(primaryId).build(),
          Tag.builder().key(TAG_RESTORED_FROM).value(copy.dbSnapshotIdentifier()).build());
      restoreCopy(dr, r, newInstanceId, copy, doing, b -> drPrimaryPlacement(r, b
          .publiclyAccessible(false).deletionProtection(true).copyTagsToSnapshot(true).tags(tags)));
    }
    return restored(dr, r, newInstanceId, primaryId, already, copy, doing);
  }

  /**
   * The permanent DR primary's class, Multi-AZ, network and parameter group in {@code region}
   * ({@code platform.rds.drPrimary}); a region without one gets the temporary instances' network,
   * single-AZ (the preflight warns about it).
   */
  private void drPrimaryPlacement(String region, RestoreDbInstanceFromDbSnapshotRequest.Builder b) {
    RdsSettings.DrPrimary dr = clients.settings().drPrimary();
    if (!dr.configured(region)) {
      RdsSettings.Temporary network = clients.settings().temporary();
      log.warn("platform.rds.drPrimary names no subnet group for {}: the new primary gets the temporary instances'"
          + " network, single-AZ", region);
      b.dbSubnetGroupName(network.subnetGroupByRegion().get(region));
      List<String> groups = network.securityGroupsByRegion().getOrDefault(region, List.of());
      if (!groups.isEmpty()) {
        b.vpcSecurityGroupIds(groups);
      }
      return;
    }
    b.dbSubnetGroupName(dr.subnetGroupByRegion().get(region)).multiAZ(dr.multiAz());
    List<String> groups = dr.securityGroupsByRegion().getOrDefault(region, List.of());
    if (!groups.isEmpty()) {
      b.vpcSecurityGroupIds(groups);
    }
    if (dr.instanceClass() != null) {
      b.dbInstanceClass(dr.instanceClass());
    }
    if (dr.parameterGroupByRegion().get(region) != null) {
      b.dbParameterGroupName(dr.parameterGroupByRegion().get(region));
    }
  }

  /**
   * A failover drill's restore-in-dr: the same newest copy restored the same way, but into a
   * temporary instance as every Lifeboat restore makes one ({@link RdsTags#temporary} tags with the
   * drill's run and expiry, the temporary instances' class and network, never public, no deletion
   * protection), so the platform's delete and the reaper remove it. A retry adopts only an
   * instance tagged with this drill's run and source.
   */
  @Override
  public DrRestoreResult rehearseRestoreInRegion(String primaryId, String region, String instanceId,
      String ownerRunId, Instant expiresAt) {
    Rehearsal.requireOwner(instanceId, ownerRunId, expiresAt);
    String r = drRegion(region);
    RdsClient dr = clients.rds(r);
    String doing = "restoring " + primaryId + " in " + r + " as the drill's temporary " + instanceId;
    Optional<DBInstance> existing = find(dr, r, instanceId, doing);
    DBSnapshot copy;
    if (existing.isPresent()) {
      Map<String, String> tags = requireDrillInstance(existing.get(), r, ownerRunId, primaryId, "restore of",
          TAG_RESTORED_FROM);
      copy = describeSnapshot(dr, r, tags.get(TAG_RESTORED_FROM), doing);
      log.warn("{} was restored in {} for drill {} by an earlier attempt: not restoring again", instanceId, r,
          ownerRunId);
    } else {
      copy = newestCopy(primaryId, r);
      Map<String, String> tags = RdsTags.temporary(ownerRunId, expiresAt, DRILL_REQUESTER, primaryId);
      tags.put(TAG_RESTORED_FROM, copy.dbSnapshotIdentifier());
      // placed as the real restore-in-dr places its primary, so the drill's RTO is the real one; deletable
      restoreCopy(dr, r, instanceId, copy, doing, b -> drPrimaryPlacement(r, b.tags(RdsTags.toTags(tags))
          .publiclyAccessible(false).deletionProtection(false)));
    }
    return restored(dr, r, instanceId, primaryId, existing.isPresent(), copy, doing);
  }

  /** Sends RestoreDBInstanceFromDBSnapshot of {@code copy} into {@code instanceId}, with {@code options}. */
  private void restoreCopy(RdsClient dr, String region, String instanceId, DBSnapshot copy, String doing,
      Consumer<RestoreDbInstanceFromDbSnapshotRequest.Builder> options) {
    try {
      dr.restoreDBInstanceFromDBSnapshot(b -> options.accept(b.dbInstanceIdentifier(instanceId)
          .dbSnapshotIdentifier(copy.dbSnapshotIdentifier())));
      log.warn("RestoreDBInstanceFromDBSnapshot sent: {} from {} in {}", instanceId, copy.dbSnapshotIdentifier(),
          region);
    } catch (DbInstanceAlreadyExistsException e) {
      // a concurrent attempt created it: the wait that follows checks it
    } catch (SdkException e) {
      throw RdsErrors.translate(e, doing, instanceId);
    }
  }

  /** Waits until the restore is available; the newest point it holds is the copy's creation time. */
  private DrRestoreResult restored(RdsClient dr, String region, String instanceId, String primaryId, boolean already,
      DBSnapshot copy, String doing) {
    awaitAvailable(dr, region, instanceId, doing);
    return new DrRestoreResult(instanceId, primaryId, region, already, copy.dbSnapshotIdentifier(), copyTime(copy), 0,
        null, clock.instant());
  }

  @Override
  public DrReplicaResult createReplica(String replicaId, String primaryId, String replaces) {
    String r = regionOf(primaryId);
    RdsClient client = clients.rds(r);
    String doing = "creating " + replicaId + ", a read replica of " + primaryId + " in " + r;
    Optional<DBInstance> existing = find(client, r, replicaId, doing);
    if (existing.isPresent() && !primaryId.equals(sourceOf(existing.get()))) {
      throw new LifeboatException(ErrorType.INVALID_REQUEST, "Instance " + replicaId + " exists in " + r + " and is"
          + " no read replica of " + primaryId + ": name another replica. Nothing was created.",
          Map.of("instance", replicaId, "region", r));
    }
    if (existing.isEmpty()) {
      DBInstance source = awaitAvailable(client, r, primaryId, doing);
      List<Tag> tags = new ArrayList<>();
      source.tagList().stream().filter(t -> t.key().equals(TAG_FAILOVER_RUN)).forEach(tags::add);
      tags.add(Tag.builder().key(TAG_REPLACES).value(replaces == null ? "" : replaces).build());
      createReadReplica(client, r, replicaId, primaryId, doing, b -> b.publiclyAccessible(false).tags(tags));
    }
    return streaming(client, r, replicaId, primaryId, replaces, existing.isPresent(), doing);
  }

  /**
   * A failover drill's replica: {@code CreateDBInstanceReadReplica} of the drill's temporary primary,
   * temporary itself (the drill's run and expiry, the temporary instances' class and security
   * groups, never public, no deletion protection); its {@code lifeboat:source} is the managed
   * instance whose data it holds, as on its primary.
   */
  @Override
  public DrReplicaResult createTemporaryReplica(String replicaId, String primaryId, String replaces,
      String ownerRunId, Instant expiresAt) {
    Rehearsal.requireOwner(replicaId, ownerRunId, expiresAt);
    String r = regionOf(primaryId);
    RdsClient client = clients.rds(r);
    String doing = "creating " + replicaId + ", the drill's temporary read replica of " + primaryId + " in " + r;
    DBInstance primary = find(client, r, primaryId, doing).orElseThrow(() -> new LifeboatException(
        ErrorType.INSTANCE_NOT_FOUND, "RDS has no DB instance " + primaryId + " in " + r + ".",
        Map.of("instance", primaryId)));
    Map<String, String> primaryTags = tags(primary);
    if (!RdsTags.isTemporary(primaryTags) || !ownerRunId.equals(primaryTags.get(RdsTags.RUN))
        || sourceOf(primary) != null) {
      throw new LifeboatException(ErrorType.INVALID_REQUEST, "Instance " + primaryId + " in " + r + " is not a"
          + " temporary primary of drill " + ownerRunId + ": a drill's replica is a replica of the drill's own"
          + " restored instance. Nothing was created.", Map.of("instance", primaryId, "ownerRunId", ownerRunId));
    }
    String managedSource = primaryTags.get(RdsTags.SOURCE);
    Optional<DBInstance> existing = find(client, r, replicaId, doing);
    if (existing.isPresent()) {
      requireDrillInstance(existing.get(), r, ownerRunId, managedSource, "replica for", null);
      if (!primaryId.equals(sourceOf(existing.get()))) {
        throw new LifeboatException(ErrorType.INVALID_REQUEST, "Instance " + replicaId + " exists in " + r + " and"
            + " is no read replica of " + primaryId + ": name another replica. Nothing was created.",
            Map.of("instance", replicaId, "region", r));
      }
    } else {
      awaitAvailable(client, r, primaryId, doing);
      Map<String, String> tags = RdsTags.temporary(ownerRunId, expiresAt, DRILL_REQUESTER, managedSource);
      RdsRestores.Placement placement = RdsRestores.Placement.temporary(clients.settings(), r, replicaId);
      createReadReplica(client, r, replicaId, primaryId, doing, b -> placement.apply(b.tags(RdsTags.toTags(tags))));
    }
    return streaming(client, r, replicaId, primaryId, replaces, existing.isPresent(), doing);
  }

  /** Sends CreateDBInstanceReadReplica of {@code primaryId} as {@code replicaId}, with {@code options}. */
  private void createReadReplica(RdsClient client, String region, String replicaId, String primaryId, String doing,
      Consumer<CreateDbInstanceReadReplicaRequest.Builder> options) {
    try {
      client.createDBInstanceReadReplica(b -> options.accept(b.dbInstanceIdentifier(replicaId)
          .sourceDBInstanceIdentifier(primaryId)));
      log.warn("CreateDBInstanceReadReplica sent: {} of {} in {}", replicaId, primaryId, region);
    } catch (DbInstanceAlreadyExistsException e) {
      // a concurrent attempt created it: the wait that follows checks it
    } catch (SdkException e) {
      throw RdsErrors.translate(e, doing, replicaId);
    }
  }

  private DrReplicaResult streaming(RdsClient client, String region, String replicaId, String primaryId,
      String replaces, boolean already, String doing) {
    awaitAvailable(client, region, replicaId, doing);
    return new DrReplicaResult(replicaId, primaryId, replaces, already ? ALREADY_STREAMING : CREATED, clock.instant());
  }


  /**
   * The tags of {@code db} when it is a temporary instance of the drill {@code ownerRunId} holding
   * {@code source}'s data (and carrying {@code requiredTag} unless null); anything else is never adopted.
   */
  private static Map<String, String> requireDrillInstance(DBInstance db, String region, String ownerRunId,
      String source, String what, String requiredTag) {
    Map<String, String> tags = tags(db);
    boolean ours = RdsTags.isTemporary(tags) && ownerRunId.equals(tags.get(RdsTags.RUN))
        && Objects.equals(source, tags.get(RdsTags.SOURCE)) && (requiredTag == null || tags.get(requiredTag) != null);
    if (!ours) {
      String run = tags.get(RdsTags.RUN);
      throw new LifeboatException(ErrorType.INVALID_REQUEST, "Instance " + db.dbInstanceIdentifier() + " exists in "
          + region + " and is not drill " + ownerRunId + "'s temporary " + what + " " + source
          + (run == null ? "" : " (it belongs to run " + run + ")") + ": name another instance. Nothing was"
          + " created.", Map.of("instance", db.dbInstanceIdentifier(), "region", region));
    }
    return tags;
  }

  /** A DR region: configured, and not the home region. */
  private String drRegion(String region) {
    List<String> dr = clients.settings().regions().stream().skip(1).map(RdsSettings.Region::name).toList();
    String r = region == null ? dr.stream().findFirst().orElse(null) : region;
    if (r == null || !dr.contains(r)) {
      throw new LifeboatException(ErrorType.REGION_NOT_FOUND, "A restore-in-dr failover restores in a DR region; '"
          + r + "' is none. DR regions: " + dr, Map.of("region", String.valueOf(r), "drRegions", dr));
    }
    return r;
  }

  /** The region an instance runs in: the DR regions are asked first (a failover's new primary lives there). */
  private String regionOf(String id) {
    List<RdsSettings.Region> regions = new ArrayList<>(clients.settings().regions());
    Collections.rotate(regions, -1);
    for (RdsSettings.Region region : regions) {
      if (find(clients.rds(region.name()), region.name(), id, "finding " + id).isPresent()) {
        return region.name();
      }
    }
    throw new LifeboatException(ErrorType.INSTANCE_NOT_FOUND, "RDS has no DB instance " + id + " in any configured"
        + " region.", Map.of("instance", id));
  }

  private DBSnapshot newestCopy(String primaryId, String region) {
    try {
      return clients.rds(region).describeDBSnapshots(b -> b.dbInstanceIdentifier(primaryId).snapshotType("manual"))
          .dbSnapshots().stream()
          .filter(s -> "available".equals(s.status()) && s.snapshotCreateTime() != null)
          .max(Comparator.comparing(RdsFailover::copyTime))
          .orElseThrow(() -> new LifeboatException(ErrorType.NO_COPY_IN_REGION, "Region " + region + " holds no"
              + " available snapshot copy of " + primaryId + ", so nothing can be restored there. Nothing was"
              + " changed.", Map.of("instance", primaryId, "region", region)));
    } catch (SdkException e) {
      throw RdsErrors.translate(e, "listing the copies of " + primaryId + " in " + region, primaryId);
    }
  }

  private DBSnapshot describeSnapshot(RdsClient client, String region, String snapshotId, String doing) {
    try {
      return client.describeDBSnapshots(b -> b.dbSnapshotIdentifier(snapshotId)).dbSnapshots().stream().findFirst()
          .orElseThrow(() -> new LifeboatException(ErrorType.PLATFORM_ERROR, "Snapshot " + snapshotId + " is gone"
              + " from " + region, Map.of("snapshotId", snapshotId)));
    } catch (SdkException e) {
      throw RdsErrors.translate(e, doing, snapshotId);
    }
  }

  /** When the copied data was taken: a copy keeps its source's creation time. */
  private static Instant copyTime(DBSnapshot s) {
    return s.originalSnapshotCreateTime() != null ? s.originalSnapshotCreateTime() : s.snapshotCreateTime();
  }

  // ---- RDS helpers --------------------------------------------------------------------------

  private DBInstance describe(String id, String doing) {
    try {
      List<DBInstance> found = rds.describeDBInstances(b -> b.dbInstanceIdentifier(id)).dbInstances();
      if (found.isEmpty()) {
        throw new LifeboatException(ErrorType.INSTANCE_NOT_FOUND, "RDS has no DB instance " + id
            + " in this region (while " + doing + ").", Map.of("instance", id));
      }
      return found.get(0);
    } catch (SdkException e) {
      throw RdsErrors.translate(e, doing, id);
    }
  }

  private Optional<DBInstance> find(String id, String doing) {
    return find(rds, clients.settings().home().name(), id, doing);
  }

  private Optional<DBInstance> find(RdsClient client, String region, String id, String doing) {
    try {
      return client.describeDBInstances(b -> b.dbInstanceIdentifier(id)).dbInstances().stream().findFirst();
    } catch (DbInstanceNotFoundException e) {
      return Optional.empty();
    } catch (SdkException e) {
      throw RdsErrors.translate(e, doing, id);
    }
  }

  private DBInstance awaitAvailable(String id, String doing) {
    return awaitAvailable(rds, clients.settings().home().name(), id, doing);
  }

  /** The SDK's DBInstanceAvailable waiter; a terminal state (failed, deleting...) fails typed. */
  private DBInstance awaitAvailable(RdsClient client, String region, String id, String doing) {
    RdsWaiter regionWaiter = client == rds ? waiter : waiters.computeIfAbsent(region, r -> waiter(client));
    try {
      return regionWaiter.waitUntilDBInstanceAvailable(b -> b.dbInstanceIdentifier(id)).matched().response()
          .flatMap(r -> r.dbInstances().stream().findFirst())
          .orElseGet(() -> find(client, region, id, doing).orElseThrow(() -> new LifeboatException(
              ErrorType.INSTANCE_NOT_FOUND, "RDS has no DB instance " + id + " in " + region + " (while " + doing
                  + ").", Map.of("instance", id))));
    } catch (SdkClientException e) {
      if (e.getCause() instanceof SdkException cause && !(cause instanceof SdkClientException)) {
        throw RdsErrors.translate(cause, doing, id);
      }
      Optional<DBInstance> now = find(client, region, id, doing);
      if (now.isPresent() && !TRANSITIONAL.contains(now.get().dbInstanceStatus())
          && !"available".equals(now.get().dbInstanceStatus())) {
        throw new LifeboatException(ErrorType.INVALID_INSTANCE_STATE, "Instance " + id + " is "
            + now.get().dbInstanceStatus() + " instead of available (while " + doing + ")", Map.of("instance", id));
      }
      // the wait ran out: another attempt of the activity waits on
      throw e;
    } catch (SdkException e) {
      throw RdsErrors.translate(e, doing, id);
    }
  }

  /** The source of a read replica (an ARN for a cross-region one: its identifier part); null for others. */
  static String sourceOf(DBInstance db) {
    String source = db.readReplicaSourceDBInstanceIdentifier();
    if (source == null || source.isBlank()) {
      return null;
    }
    return source.startsWith("arn:") ? source.substring(source.lastIndexOf(':') + 1) : source;
  }

  private static Map<String, String> tags(DBInstance db) {
    Map<String, String> tags = new HashMap<>();
    db.tagList().forEach(t -> tags.put(t.key(), t.value()));
    return tags;
  }

  private static LifeboatException notAReplica(String id, String what) {
    return new LifeboatException(ErrorType.INVALID_REQUEST, "Instance " + id + " is not a read replica: only a"
        + " replica is " + what, Map.of("instance", id));
  }

  // ---- SQL helpers --------------------------------------------------------------------------

  /**
   * A connection to an instance, or empty when it does not answer within {@code timeout}. The
   * connect runs on a helper thread: a host that is gone does not hold the activity for the
   * driver's whole connect timeout, and a connection that arrives late is closed. A server that
   * answers but refuses the login, or an instance without a data source, is no "unreachable"
   * instance: taking it for one would let a failover skip the fence of a primary that still
   * runs, so those fail typed.
   */
  private Optional<Connection> connect(String id, Duration timeout) {
    AtomicBoolean abandoned = new AtomicBoolean();
    CompletableFuture<Connection> future = CompletableFuture.supplyAsync(() -> {
      try {
        return dataSources.apply(id).getConnection();
      } catch (SQLException e) {
        throw new CompletionException(e);
      }
    }, CONNECTOR);
    future.thenAccept(c -> {
      if (abandoned.get()) {
        closeQuietly(c);
      }
    });
    try {
      return Optional.of(future.get(timeout.toMillis(), TimeUnit.MILLISECONDS));
    } catch (TimeoutException e) {
      abandoned.set(true);
      if (future.isDone() && !future.isCompletedExceptionally()) {
        closeQuietly(future.join());
      }
      log.warn("{} does not answer within {}", id, timeout);
      return Optional.empty();
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      if (cause instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("28")) {
        throw new LifeboatException(ErrorType.PLATFORM_ACCESS_DENIED, "Instance " + id + " answers but refused"
            + " Lifeboat's login (" + sql.getMessage() + "): check the database user and its password or IAM"
            + " authentication", Map.of("instance", id), sql);
      }
      if (cause instanceof LifeboatException typed) {
        throw typed;
      }
      if (cause instanceof RdsTransientException || cause instanceof SdkException) {
        // describing the instance for its endpoint was throttled or failed on AWS's side: retried
        throw new RdsTransientException("Locating " + id + " to connect to it failed: " + cause.getMessage(), cause);
      }
      if (!(cause instanceof SQLException sql)) {
        throw new LifeboatException(ErrorType.CONFIGURATION_ERROR, "No database connection to " + id + " can be"
            + " made: " + cause.getMessage(), Map.of("instance", id), cause);
      }
      if (sql.getSQLState() == null || !sql.getSQLState().startsWith("08")) {
        // it answers, but refuses (too many connections, starting up, shutting down ...): alive, so never
        // "unreachable", which would let a failover skip fencing a primary that still takes writes
        throw new RdsTransientException(id + " answers but refuses a session (SQLSTATE " + sql.getSQLState() + ": "
            + sql.getMessage() + "); retried", sql);
      }
      log.warn("{} does not answer: {}", id, cause.getMessage());
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      abandoned.set(true);
      throw new LifeboatException(ErrorType.PLATFORM_ERROR, "Interrupted while connecting to " + id,
          Map.of("instance", id), e);
    }
  }

  /** As {@link #connect}, and empty for a refused login too: for what a promotion reads on the side. */
  private Optional<Connection> connectQuietly(String id, Duration timeout) {
    try {
      return connect(id, timeout);
    } catch (LifeboatException | RdsTransientException e) {
      log.warn("Cannot connect to {}: {}", id, e.getMessage());
      return Optional.empty();
    }
  }

  private Connection connectOrFail(String id, Duration timeout, String what) {
    return connect(id, timeout).orElseThrow(() -> new LifeboatException(ErrorType.PLATFORM_ERROR, "Instance " + id
        + " does not answer, so it cannot be " + what + "; check that it is available and reachable from the"
        + " worker", Map.of("instance", id)));
  }

  private static LifeboatException doesNotAnswer(String what, String id, SQLException e) {
    return new LifeboatException(ErrorType.PLATFORM_ERROR, what + " does not answer: " + e.getMessage(),
        Map.of("instance", id), e);
  }

  private static void closeQuietly(Connection c) {
    try {
      c.close();
    } catch (SQLException ignored) {
      // a connection nobody waits for any more
    }
  }

  private static Instant instant(ResultSet rs, int column) throws SQLException {
    OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
    return t == null ? null : t.toInstant();
  }

  private static Instant parseInstant(String text) {
    if (text == null || text.isBlank()) {
      return null;
    }
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  private static Duration nonNegative(Duration d) {
    return d.isNegative() ? Duration.ZERO : d;
  }

  private static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LifeboatException(ErrorType.PLATFORM_ERROR, "Interrupted while waiting for RDS", Map.of(), e);
    }
  }
}
