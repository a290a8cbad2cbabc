package dev.lifeboat.activities.local;

import static dev.lifeboat.activities.local.LocalContext.details;

import dev.lifeboat.common.ErrorType;
import dev.lifeboat.common.LifeboatException;
import dev.lifeboat.common.model.Endpoint;
import dev.lifeboat.common.model.InstanceInfo;
import dev.lifeboat.common.model.InstanceRole;
import dev.lifeboat.common.model.PreflightCheck;
import dev.lifeboat.common.model.RestorePlan;
import dev.lifeboat.common.model.RestoreSpec;
import dev.lifeboat.common.model.RestoreWindow;
import dev.lifeboat.common.model.SnapshotInfo;
import dev.lifeboat.common.model.VerifyResult;
import dev.lifeboat.common.platform.Platform;
import dev.lifeboat.common.platform.ProgressListener;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Real PostgreSQL 15 clusters on this machine, on loopback ports: the embedded default, the test
 * bed and the DR-drill sandbox.
 *
 * <h2>Layout under the data root</h2>
 * <pre>
 * bin/archive-wal.sh, bin/restore-wal.sh        archive_command / restore_command (shell + zstd)
 * instances/&lt;id&gt;/instance.json                   what the platform created (role, port, source, run, expiry, status)
 * instances/&lt;id&gt;/data/                           PGDATA
 * instances/&lt;id&gt;/postgres.log                    server log
 * instances/&lt;id&gt;/fence.json, promote.json,       what a failover did to it (see {@link LocalFailover})
 *   dr-restore.json
 * pgbouncer/                                      the PgBouncer in front of the primaries (see {@link PgBouncer})
 * regions/&lt;region&gt;/snapshots/&lt;snapshotId&gt;/snapshot.json   id, instance, times, bytes, tags, start WAL segment, checksum
 * regions/&lt;region&gt;/snapshots/&lt;snapshotId&gt;/data/         base backup (plain format, with its backup_manifest)
 * regions/&lt;region&gt;/snapshots/.&lt;snapshotId&gt;.copy/       a copy in progress (renamed when verified)
 * regions/&lt;region&gt;/wal/&lt;instance&gt;/&lt;segment&gt;.zst      continuous WAL archive of a primary (home region),
 *                                                    or the part of it copied with snapshots (DR regions)
 * regions/&lt;region&gt;/wal/&lt;instance&gt;/&lt;segment&gt;.commit   cached newest commit time of that segment
 * </pre>
 *
 * <p>The home region ({@link LocalPlatformConfig#region()}) is where instances run, archive and
 * are snapshotted; DR regions ({@link LocalPlatformConfig#drRegions()}) receive copies of
 * snapshots with the WAL they need, and restores can run from them.
 *
 * <p>When this process runs as root, servers run as {@link LocalPlatformConfig#osUser()} and the
 * directories they write belong to that user. Every method is idempotent (see {@link Platform});
 * the fleet methods ({@link #createPrimary}, {@link #createReplica}, {@link #createInternal},
 * {@link #startAll}) reuse what exists, so a second dev start finds its fleet again.
 */
public final class LocalPlatform implements Platform {
  private static final Logger log = LoggerFactory.getLogger(LocalPlatform.class);
  public static final String NAME = "local";

  private final LocalContext ctx;
  private final Fleet fleet;
  private final RestorePlanner planner;
  private final PitrRestorer restorer;
  private final SnapshotTaker snapshotTaker;
  private final SnapshotChecksum checksums;
  private final SnapshotCopier copier;
  private final SnapshotDeleter deleter;
  private final LocalFailover failover;
  private final PgBouncer pgBouncer;
  private final LocalPreflight preflight;

  public LocalPlatform(LocalPlatformConfig config) {
    this.ctx = new LocalContext(config);
    FileTrees.createDirectories(config.dataRoot(), "755");
    ctx.osUser.checkTraversable(config.dataRoot());
    ctx.scripts.install();
    this.fleet = new Fleet(ctx);
    this.planner = new RestorePlanner(ctx);
    this.restorer = new PitrRestorer(ctx, planner);
    this.snapshotTaker = new SnapshotTaker(ctx);
    this.checksums = new SnapshotChecksum(ctx);
    this.copier = new SnapshotCopier(ctx, checksums);
    this.deleter = new SnapshotDeleter(ctx);
    this.failover = new LocalFailover(ctx, fleet, planner, restorer);
    this.pgBouncer = new PgBouncer(ctx);
    this.preflight = new LocalPreflight(ctx);
    log.info("Local platform in {} (region {}, DR regions {}, PostgreSQL in {}, servers run as {})",
        config.dataRoot(), config.region(), config.drRegions(), ctx.binaries.binDir(), ctx.osUser);
  }

  public LocalPlatformConfig config() {
    return ctx.config;
  }

  // ---- fleet management -------------------------------------------------------------------

  /** Creates (or finds and starts) a primary that archives its WAL; clients use database {@code postgres}. */
  public InstanceInfo createPrimary(String id) {
    return createPrimary(id, InstanceRecord.DEFAULT_DATABASE);
  }

  /** Creates (or finds and starts) a primary whose clients use {@code database} (created when missing). */
  public InstanceInfo createPrimary(String id, String database) {
    return toInfo(fleet.createPrimary(id, database));
  }

  /** Creates (or finds and starts) a streaming replica of a primary, with the primary's database. */
  public InstanceInfo createReplica(String id, String primaryId) {
    return toInfo(fleet.createReplica(id, primaryId));
  }

  /** Creates (or finds and starts) a plain, unarchived cluster for Lifeboat's own use. */
  public InstanceInfo createInternal(String id) {
    return createInternal(id, InstanceRecord.DEFAULT_DATABASE);
  }

  public InstanceInfo createInternal(String id, String database) {
    return toInfo(fleet.createInternal(id, database));
  }

  /** Starts every non-temporary instance that is not running; returns them all. */
  public List<InstanceInfo> startAll() {
    return fleet.startAll().stream().map(this::toInfo).toList();
  }

  /**
   * Writes a commit, switches WAL and waits until the archiver has shipped the segment, so what
   * the instance holds now is restorable (and copied by the next snapshot copy).
   *
   * @return true when the segment was archived in time
   */
  public boolean archiveNow(String id) {
    return planner.forceArchive(ctx.managed(id));
  }

  /** Measure, fence, promote and re-point instances of this platform in a failover. */
  public LocalFailover failover() {
    return failover;
  }

  /**
   * The PgBouncer in front of this platform's primaries (one per data root, under
   * {@code pgbouncer/}); nothing runs until {@link PgBouncer#ensureRunning()}.
   */
  public PgBouncer pgBouncer() {
    return pgBouncer;
  }

  /** Stops an instance with a fast shutdown. */
  public void stop(String id) {
    fleet.stop(id);
  }

  /** A new JDBC connection to an instance's database (user postgres, loopback, trust). */
  public Connection connection(String id) throws SQLException {
    return dataSource(id).getConnection();
  }

  @Override
  public DataSource dataSource(String id) {
    InstanceRecord r = ctx.registry.find(id).orElseThrow(() -> Fleet.notFound(id));
    return Jdbc.dataSource(r.port(), r.database());
  }

  public List<InstanceInfo> listTemporaryInstances() {
    return listInstances().stream().filter(InstanceInfo::temporary).toList();
  }

  // ---- Platform ---------------------------------------------------------------------------

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public List<PreflightCheck> preflight() {
    return preflight.run(listInstances());
  }

  @Override
  public List<InstanceInfo> listInstances() {
    return ctx.registry.list().stream().map(this::toInfo).toList();
  }

  @Override
  public Optional<InstanceInfo> findInstance(String instanceId) {
    return ctx.registry.find(instanceId).map(this::toInfo);
  }

  /** The restorable window in the home region. */
  @Override
  public RestoreWindow restoreWindow(String instanceId) {
    return restoreWindow(instanceId, null);
  }

  /** The restorable window from the snapshots and WAL in one region (null: home). */
  @Override
  public RestoreWindow restoreWindow(String instanceId, String region) {
    String r = ctx.region(region);
    return planner.window(ctx.managed(instanceId), r);
  }

  @Override
  public RestorePlan planRestore(String instanceId, Instant targetTime) {
    return planRestore(instanceId, null, targetTime);
  }

  @Override
  public RestorePlan planRestore(String instanceId, String region, Instant targetTime) {
    String r = ctx.region(region);
    if (targetTime == null) {
      throw new LifeboatException(ErrorType.INVALID_REQUEST, "A target time is required",
          details("instance", instanceId));
    }
    return planner.plan(ctx.managed(instanceId), r, targetTime);
  }

  /** Restores from the snapshot and WAL of {@link RestoreSpec#region()} (null: home); the instance runs there. */
  @Override
  public InstanceInfo restoreToPointInTime(RestoreSpec spec, ProgressListener progress) {
    if (spec != null) {
      ctx.region(spec.region());
    }
    return toInfo(restorer.restore(spec, progress == null ? ProgressListener.NONE : progress));
  }

  @Override
  public VerifyResult verify(String instanceId, String schema) {
    InstanceRecord r = ctx.registry.find(instanceId).orElseThrow(() -> Fleet.notFound(instanceId));
    return Verifier.verify(r, schema);
  }

  @Override
  public boolean deleteTemporaryInstance(String instanceId) {
    return ctx.locked(instanceId, () -> {
      Optional<InstanceRecord> found = ctx.registry.find(instanceId);
      if (found.isEmpty()) {
        return false;
      }
      InstanceRecord r = found.get();
      if (r.role() != InstanceRole.TEMPORARY) {
        throw new LifeboatException(ErrorType.NOT_A_TEMPORARY_INSTANCE, "Instance " + instanceId + " is a "
            + r.role().name().toLowerCase() + " instance; only temporary instances created by Lifeboat are deleted",
            details("instance", instanceId, "role", r.role().name()));
      }
      ctx.registry.save(r.withStatus(InstanceRecord.DELETING));
      ctx.cluster(instanceId).stop(PgCluster.StopMode.IMMEDIATE);
      ctx.registry.delete(instanceId);
      log.info("Deleted temporary instance {} (run {})", instanceId, r.runId());
      return true;
    });
  }

  @Override
  public SnapshotInfo createSnapshot(String instanceId, String snapshotId, Map<String, String> tags,
      ProgressListener progress) {
    SnapshotRecord taken = snapshotTaker.create(instanceId, snapshotId, tags == null ? Map.of() : tags,
        progress == null ? ProgressListener.NONE : progress);
    return checksums.ensure(taken).toInfo();
  }

  @Override
  public List<SnapshotInfo> listSnapshots(String instanceId) {
    return listSnapshots(instanceId, null);
  }

  // ---- regions and copies ------------------------------------------------------------------

  @Override
  public List<String> regions() {
    return ctx.config.regions();
  }

  /** Snapshots in one region, or in every region when {@code region} is null. */
  @Override
  public List<SnapshotInfo> listSnapshots(String instanceId, String region) {
    String r = region == null ? null : ctx.region(region);
    return ctx.snapshots.list(r).stream()
        .filter(s -> instanceId == null || s.instance().equals(instanceId))
        .map(SnapshotRecord::toInfo)
        .toList();
  }

  /** A snapshot in one region (null: home), whatever its status. */
  @Override
  public Optional<SnapshotInfo> findSnapshot(String region, String snapshotId) {
    String r = ctx.region(region);
    if (!SnapshotStore.validId(snapshotId)) {
      return Optional.empty();
    }
    return ctx.snapshots.find(r, snapshotId).map(SnapshotRecord::toInfo);
  }

  /**
   * Copies a snapshot, and the instance's archived WAL from its start segment on, to another
   * region; see {@link SnapshotCopier}. Calling it again for an available copy returns that copy
   * and tops up the WAL in the target, so the DR window moves forward.
   */
  @Override
  public SnapshotInfo copySnapshot(String sourceRegion, String snapshotId, String targetRegion,
      ProgressListener progress) {
    return copier.copy(sourceRegion, snapshotId, targetRegion, progress == null ? ProgressListener.NONE : progress)
        .toInfo();
  }

  @Override
  public boolean deleteSnapshot(String region, String snapshotId) {
    return deleter.delete(region, snapshotId);
  }

  private InstanceInfo toInfo(InstanceRecord r) {
    String status = r.status();
    if (InstanceRecord.AVAILABLE.equals(status) || InstanceRecord.STOPPED.equals(status)) {
      status = ctx.cluster(r.id()).isRunning() ? InstanceRecord.AVAILABLE : InstanceRecord.STOPPED;
    }
    return new InstanceInfo(r.id(), NAME, r.region(), r.role(), status,
        new Endpoint("127.0.0.1", r.port(), r.database(), Jdbc.USER), r.source(), r.runId(), r.createdAt(),
        r.expiresAt());
  }
}
