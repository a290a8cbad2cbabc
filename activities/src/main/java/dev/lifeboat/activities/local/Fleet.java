package dev.lifeboat.activities.local;

import dev.lifeboat.common.ErrorType;
import dev.lifeboat.common.Ids;
import dev.lifeboat.common.LifeboatException;
import dev.lifeboat.common.model.InstanceRole;
import dev.lifeboat.common.platform.ProgressListener;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates, starts and stops the long-lived instances of the local fleet: primaries that archive
 * WAL, streaming replicas, and internal clusters for Lifeboat itself. Every step is idempotent:
 * a record in status {@code creating} is finished by the next call.
 */
final class Fleet {
  private static final Logger log = LoggerFactory.getLogger(Fleet.class);
  static final Duration START_TIMEOUT = Duration.ofMinutes(2);
  static final String TRACK_COMMIT_TIMESTAMP = "track_commit_timestamp";
  static final String WAL_LOG_HINTS = "wal_log_hints";
  private static final Pattern DATABASE_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

  private final LocalContext ctx;

  Fleet(LocalContext ctx) {
    this.ctx = ctx;
  }

  InstanceRecord createPrimary(String id, String database) {
    return ctx.locked(id, () -> {
      InstanceRecord record = beginCreate(id, InstanceRole.PRIMARY, null, database, ctx.region());
      if (!InstanceRecord.CREATING.equals(record.status())) {
        return ensureRunning(record);
      }
      PgCluster cluster = ctx.cluster(id);
      ctx.osUser.createOwnedDirectory(ctx.archiveDir(record.region(), id), "755");
      cluster.initdb(record.port(), true);
      cluster.configure(primarySettings(record));
      return finishCreate(record, cluster);
    });
  }

  InstanceRecord createReplica(String id, String primaryId) {
    return createReplica(id, primaryId, ctx.region());
  }

  /** A streaming replica running in {@code region} (a DR region's replica of a primary restored there). */
  InstanceRecord createReplica(String id, String primaryId, String region) {
    return ctx.locked(id, () -> {
      InstanceRecord primary = ctx.registry.find(primaryId)
          .filter(r -> r.role() == InstanceRole.PRIMARY)
          .orElseThrow(() -> new LifeboatException(ErrorType.INSTANCE_NOT_FOUND,
              "Cannot create replica " + id + ": no primary '" + primaryId + "'", LocalContext.details("primary", primaryId)));
      InstanceRecord record = beginCreate(id, InstanceRole.REPLICA, primaryId, primary.database(), region);
      if (!InstanceRecord.CREATING.equals(record.status())) {
        return ensureRunning(record);
      }
      PgCluster primaryCluster = ctx.cluster(primaryId);
      if (!primaryCluster.isRunning()) {
        primary = ensureRunning(primary);
      }
      PgCluster cluster = ctx.cluster(id);
      ctx.osUser.createOwnedDirectory(ctx.archiveDir(record.region(), id), "755");
      Map<String, String> settings = new LinkedHashMap<>(primarySettings(record));
      settings.putAll(replicaSettings(record, primary));
      copyFrom(primary, cluster, settings, Set.of());
      return finishCreate(record, cluster);
    });
  }

  /**
   * A failover drill's replica: streams from the temporary instance {@code primary} in its region,
   * and is temporary itself, owned by {@code runId} and expiring at {@code expiresAt}, so it is
   * deleted and reaped like any temporary instance. It archives nowhere and reads no archive: the
   * temporary primary has none, and production's must not be touched.
   */
  InstanceRecord createTemporaryReplica(String id, InstanceRecord primary, String runId, Instant expiresAt) {
    return ctx.locked(id, () -> {
      InstanceRecord record = beginCreate(new InstanceRecord(id, primary.region(), InstanceRole.TEMPORARY, 0,
          primary.id(), runId, LocalFailover.DRILL_REQUESTER, null, expiresAt, InstanceRecord.CREATING,
          primary.database()));
      if (!InstanceRecord.CREATING.equals(record.status())) {
        return ensureRunning(record);
      }
      PgCluster cluster = ctx.cluster(id);
      Map<String, String> settings = new LinkedHashMap<>(replicaSettings(record, primary));
      settings.put("archive_mode", "off");
      copyFrom(primary, cluster, settings, Set.of("restore_command"));
      return finishCreate(record, cluster);
    });
  }

  /** A base backup of {@code primary} into {@code cluster}, made a standby of it with {@code settings}. */
  private void copyFrom(InstanceRecord primary, PgCluster cluster, Map<String, String> settings, Set<String> remove) {
    // a copy interrupted half-way cannot be resumed: start it over
    cluster.stop(PgCluster.StopMode.IMMEDIATE);
    FileTrees.deleteRecursively(cluster.dataDir());
    ctx.baseBackup.take(primary.port(), cluster.dataDir(), List.of("-R"), 0, ProgressListener.NONE);
    cluster.configure(settings, remove);
  }

  /**
   * Replaces a replica's data with a fresh base backup of {@code primary} and starts it streaming
   * from there, on its own port when that is free. The record says {@code creating} until the
   * replica runs, so an interrupted rebuild is found and done again.
   */
  InstanceRecord rebuildReplica(InstanceRecord replica, InstanceRecord primary) {
    InstanceRecord record = replica.withSource(primary.id()).withStatus(InstanceRecord.CREATING);
    ctx.registry.save(record);
    PgCluster cluster = ctx.cluster(record.id());
    ctx.osUser.createOwnedDirectory(ctx.archiveDir(record.region(), record.id()), "755");
    Map<String, String> settings = new LinkedHashMap<>(primarySettings(record));
    settings.putAll(replicaSettings(record, primary));
    // the copy carries the primary's port
    settings.put("port", Integer.toString(Ports.isFree(record.port()) ? record.port() : Ports.pickFree()));
    copyFrom(primary, cluster, settings, Set.of());
    log.info("Rebuilt replica {} from {}", record.id(), primary.id());
    return finishCreate(record, cluster);
  }

  InstanceRecord createInternal(String id, String database) {
    return ctx.locked(id, () -> {
      InstanceRecord record = beginCreate(id, InstanceRole.INTERNAL, null, database, ctx.region());
      if (!InstanceRecord.CREATING.equals(record.status())) {
        return ensureRunning(record);
      }
      PgCluster cluster = ctx.cluster(id);
      cluster.initdb(record.port(), true);
      return finishCreate(record, cluster);
    });
  }

  /**
   * Starts every non-temporary instance that is not running: primaries and internal ones first.
   * A fenced or former primary stays down: starting it would make a second primary.
   */
  List<InstanceRecord> startAll() {
    List<InstanceRecord> started = new ArrayList<>();
    List<InstanceRecord> records = new ArrayList<>(ctx.registry.list());
    records.sort(Comparator.comparing((InstanceRecord r) -> r.role() == InstanceRole.REPLICA));
    for (InstanceRecord r : records) {
      if (r.role() == InstanceRole.TEMPORARY || r.role() == InstanceRole.FORMER_PRIMARY
          || !InstanceRecord.AVAILABLE.equals(r.status())
          && !InstanceRecord.STOPPED.equals(r.status())) {
        continue;
      }
      started.add(ctx.locked(r.id(), () -> ensureRunning(ctx.registry.find(r.id()).orElse(r))));
    }
    return started;
  }

  /** Stops an instance (fast shutdown); a stopped one stays stopped. */
  void stop(String id) {
    ctx.locked(id, () -> {
      InstanceRecord record = ctx.registry.find(id).orElseThrow(() -> notFound(id));
      ctx.cluster(id).stop(PgCluster.StopMode.FAST);
      if (InstanceRecord.AVAILABLE.equals(record.status())) {
        ctx.registry.save(record.withStatus(InstanceRecord.STOPPED));
      }
      return null;
    });
  }

  /**
   * Starts an instance when it is not running, on its recorded port when that is free, else on a
   * new one (recorded). A replica is re-pointed at its primary's current port first.
   */
  InstanceRecord ensureRunning(InstanceRecord record) {
    if (InstanceRecord.FENCED.equals(record.status()) || record.role() == InstanceRole.FORMER_PRIMARY) {
      throw new LifeboatException(ErrorType.INVALID_REQUEST, "Instance " + record.id() + " was fenced by a failover;"
          + " the platform does not start it again (two primaries would take writes)",
          LocalContext.details("instance", record.id(), "role", record.role().name()));
    }
    PgCluster cluster = ctx.cluster(record.id());
    InstanceRecord current = record;
    if (!cluster.isRunning()) {
      if (!cluster.isInitialized()) {
        throw new LifeboatException(ErrorType.INSTANCE_START_FAILED, "Instance " + record.id()
            + " has no data directory at " + cluster.dataDir() + "; remove its record or create it again",
            LocalContext.details("instance", record.id()));
      }
      int port = Ports.isFree(record.port()) ? record.port() : Ports.pickFree();
      cluster.setPort(port);
      if ((record.role() == InstanceRole.PRIMARY || record.role() == InstanceRole.REPLICA)
          && cluster.autoConf().get(TRACK_COMMIT_TIMESTAMP) == null) {
        // instances created before failover measurement needed it (see primarySettings)
        cluster.configure(Map.of(TRACK_COMMIT_TIMESTAMP, "on"));
      }
      if ((record.role() == InstanceRole.PRIMARY || record.role() == InstanceRole.REPLICA)
          && cluster.autoConf().get(WAL_LOG_HINTS) == null) {
        // instances created before rebuilds rewound them: a later pg_rewind needs it (see primarySettings)
        cluster.configure(Map.of(WAL_LOG_HINTS, "on"));
      }
      upstream(record).ifPresent(p -> cluster.configure(replicaSettings(record, p)));
      int actual = startCluster(record.id(), cluster);
      current = record.withPort(actual);
      log.info("Started {} {} on port {}", record.role(), record.id(), actual);
    }
    current = current.withStatus(InstanceRecord.AVAILABLE);
    if (!current.equals(record)) {
      ctx.registry.save(current);
    }
    return current;
  }

  private InstanceRecord beginCreate(String id, InstanceRole role, String source, String database, String region) {
    return beginCreate(new InstanceRecord(id, region, role, 0, source, null, null, null, null, InstanceRecord.CREATING,
        database));
  }

  /** The record of {@code wanted}'s id when it exists with its role, else {@code wanted} saved as creating. */
  private InstanceRecord beginCreate(InstanceRecord wanted) {
    String id = wanted.id();
    InstanceRole role = wanted.role();
    if (!Ids.validInstanceId(id)) {
      throw new LifeboatException(ErrorType.INVALID_REQUEST, "Invalid instance id '" + id
          + "': a letter first, then letters, digits and single hyphens, at most 63", LocalContext.details("instance", id));
    }
    String db = wanted.database();
    if (!DATABASE_NAME.matcher(db).matches()) {
      throw new LifeboatException(ErrorType.INVALID_REQUEST, "Invalid database name '" + db + "'",
          LocalContext.details("database", db));
    }
    Optional<InstanceRecord> existing = ctx.registry.find(id);
    if (existing.isPresent()) {
      InstanceRecord r = existing.get();
      if (r.role() != role) {
        throw new LifeboatException(ErrorType.INVALID_REQUEST, "Instance " + id + " already exists as "
            + r.role().name().toLowerCase(), LocalContext.details("instance", id, "role", r.role().name()));
      }
      return r;
    }
    FileTrees.createDirectories(ctx.registry.root(), "755");
    ctx.osUser.createOwnedDirectory(ctx.registry.dir(id), "755");
    InstanceRecord record = new InstanceRecord(id, wanted.region(), role, Ports.pickFree(), wanted.source(),
        wanted.runId(), wanted.requester(), ctx.now(), wanted.expiresAt(), InstanceRecord.CREATING, db);
    ctx.registry.save(record);
    log.info("Creating {} {}", role, id);
    return record;
  }

  private InstanceRecord finishCreate(InstanceRecord record, PgCluster cluster) {
    if (!Ports.isFree(cluster.port()) && !cluster.isRunning()) {
      cluster.setPort(Ports.pickFree());
    }
    int port = startCluster(record.id(), cluster);
    createDatabase(port, record.database());
    InstanceRecord done = record.withPort(port).withStatus(InstanceRecord.AVAILABLE);
    ctx.registry.save(done);
    log.info("Created {} {} on port {}", record.role(), record.id(), port);
    return done;
  }

  private int startCluster(String id, PgCluster cluster) {
    try {
      return cluster.start(START_TIMEOUT);
    } catch (PgCluster.StartFailedException e) {
      throw new LifeboatException(ErrorType.INSTANCE_START_FAILED, e.getMessage(),
          LocalContext.details("instance", id), e);
    }
  }

  /**
   * What a primary runs with; replicas get the same, so that a promoted one archives into its own
   * archive at once. {@code track_commit_timestamp} gives {@code pg_last_committed_xact()}: the
   * primary's newest commit, against which a failover measures a replica's data loss.
   * {@code wal_log_hints}: a primary a failover replaced can be rewound ({@code pg_rewind}) into a
   * replica of the new one instead of copied whole; the clusters have no data checksums.
   */
  Map<String, String> primarySettings(InstanceRecord record) {
    Map<String, String> s = new LinkedHashMap<>();
    s.put("wal_level", "replica");
    s.put("archive_mode", "on");
    s.put("archive_command", ctx.scripts.archiveCommand(ctx.archiveDir(record.region(), record.id())));
    s.put("archive_timeout", Math.max(1, ctx.config.archiveTimeout().toSeconds()) + "s");
    s.put("max_wal_senders", "10");
    s.put("wal_keep_size", ctx.config.walKeepSize());
    s.put("hot_standby", "on");
    s.put(TRACK_COMMIT_TIMESTAMP, "on");
    s.put(WAL_LOG_HINTS, "on");
    return s;
  }

  /**
   * Streams from the primary (application_name = replica id, so pg_stat_replication names it)
   * and falls back to the primary's archive when it fell behind wal_keep_size. No replication
   * slot: a stopped replica's slot would retain WAL on the primary without bound.
   */
  Map<String, String> replicaSettings(InstanceRecord replica, InstanceRecord primary) {
    Map<String, String> s = new LinkedHashMap<>();
    s.put("primary_conninfo", "host=127.0.0.1 port=" + primary.port() + " user=" + Jdbc.USER
        + " application_name=" + replica.id());
    if (primary.role() != InstanceRole.TEMPORARY) {
      // a temporary primary archives nowhere: its replica streams only
      s.put("restore_command", ctx.scripts.restoreCommand(ctx.archiveDir(primary.region(), primary.id())));
    }
    // follows a promotion of its primary's replica, or a new primary after a rebuild (the default since 12)
    s.put("recovery_target_timeline", "latest");
    return s;
  }

  /**
   * The instance a standby streams from: a replica's primary, or for a failover drill's temporary
   * replica the drill's temporary primary (a temporary instance whose source is temporary too).
   */
  Optional<InstanceRecord> upstream(InstanceRecord record) {
    if (record.source() == null || record.role() != InstanceRole.REPLICA && record.role() != InstanceRole.TEMPORARY) {
      return Optional.empty();
    }
    return ctx.registry.find(record.source())
        .filter(p -> record.role() == InstanceRole.REPLICA || p.role() == InstanceRole.TEMPORARY);
  }

  private void createDatabase(int port, String database) {
    if (InstanceRecord.DEFAULT_DATABASE.equals(database)) {
      return;
    }
    try (Connection c = Jdbc.connect(port, InstanceRecord.DEFAULT_DATABASE)) {
      if (Jdbc.exists(c, "select 1 from pg_database where datname = ?", database)
          || "t".equals(Jdbc.queryString(c, "select pg_is_in_recovery()"))) {
        return; // exists already, or a replica that gets it from its primary
      }
      try (Statement st = c.createStatement()) {
        st.execute("create database " + Jdbc.quoteIdent(database));
      }
    } catch (SQLException e) {
      throw new LifeboatException(ErrorType.PLATFORM_ERROR, "Cannot create database " + database + ": " + e.getMessage(),
          LocalContext.details("database", database), e);
    }
  }

  static LifeboatException notFound(String id) {
    return new LifeboatException(ErrorType.INSTANCE_NOT_FOUND, "No instance '" + id + "' on the local platform",
        LocalContext.details("instance", id));
  }
}
