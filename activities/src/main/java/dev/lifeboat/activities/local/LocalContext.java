package dev.lifeboat.activities.local;

import dev.lifeboat.common.ErrorType;
import dev.lifeboat.common.LifeboatException;
import dev.lifeboat.common.model.InstanceRole;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/** What the parts of the local platform share: configuration, storage layout, tools and locks. */
final class LocalContext {
  final LocalPlatformConfig config;
  final OsUser osUser;
  final ProcessRunner runner;
  final PgBinaries binaries;
  final InstanceRegistry registry;
  final SnapshotStore snapshots;
  final WalScripts scripts;
  final WalCommitTimes commitTimes;
  final BaseBackup baseBackup;
  private final Map<String, Object> locks = new ConcurrentHashMap<>();

  LocalContext(LocalPlatformConfig config) {
    this.config = config;
    this.osUser = OsUser.detect(config.osUser());
    this.runner = new ProcessRunner(osUser);
    this.binaries = PgBinaries.locate(config.binDir());
    this.registry = new InstanceRegistry(config.dataRoot());
    this.snapshots = new SnapshotStore(config.dataRoot());
    this.scripts = new WalScripts(config.dataRoot());
    this.commitTimes = new WalCommitTimes(binaries, runner);
    this.baseBackup = new BaseBackup(binaries, runner);
  }

  String region() {
    return config.region();
  }

  /** A region this platform serves; null means the home region. */
  String region(String requested) {
    if (requested == null) {
      return config.region();
    }
    if (!config.regions().contains(requested)) {
      throw new LifeboatException(ErrorType.REGION_NOT_FOUND, "The local platform serves no region '" + requested
          + "'; its regions are " + config.regions(), details("region", requested, "regions", config.regions()));
    }
    return requested;
  }

  boolean isHome(String region) {
    return config.region().equals(region);
  }

  Instant now() {
    return config.clock().instant();
  }

  PgCluster cluster(String id) {
    return new PgCluster(binaries, runner, registry.dataDir(id), registry.logFile(id));
  }

  Path archiveDir(String region, String instance) {
    return config.dataRoot().resolve("regions").resolve(region).resolve("wal").resolve(instance);
  }

  WalArchive archive(String region, String instance) {
    return new WalArchive(archiveDir(region, instance), commitTimes);
  }

  /**
   * The archive holding an instance's WAL: its own for a primary, its primary's for a replica
   * (a standby does not archive; both share one WAL history).
   */
  WalArchive archiveOf(InstanceRecord record) {
    return archive(record.region(), archiveOwner(record));
  }

  /** The same archive as {@link #archiveOf(InstanceRecord)}, as copied to {@code region}. */
  WalArchive archiveOf(InstanceRecord record, String region) {
    return archive(region, archiveOwner(record));
  }

  /**
   * The archive owner of an instance by id; an instance that no longer exists is taken to have
   * archived into its own directory.
   */
  String archiveOwner(String instanceId) {
    return registry.find(instanceId).map(LocalContext::archiveOwner).orElse(instanceId);
  }

  /** The instance whose archive_command fills {@link #archiveOf}: the primary of a replica. */
  static String archiveOwner(InstanceRecord record) {
    return record.role() == InstanceRole.REPLICA && record.source() != null ? record.source() : record.id();
  }

  /**
   * A managed (restorable) instance: primary, replica, or a former primary (its backups restore
   * times before the failover); never temporary or internal.
   */
  InstanceRecord managed(String id) {
    return registry.find(id)
        .filter(r -> r.role() == InstanceRole.PRIMARY || r.role() == InstanceRole.REPLICA
            || r.role() == InstanceRole.FORMER_PRIMARY)
        .orElseThrow(() -> new LifeboatException(ErrorType.INSTANCE_NOT_FOUND,
            "No managed instance '" + id + "' on the local platform (temporary and internal instances are not"
                + " backup sources)", details("instance", id)));
  }

  /** Runs {@code work} while holding the lock of {@code key} (one instance or snapshot id). */
  <T> T locked(String key, Supplier<T> work) {
    synchronized (locks.computeIfAbsent(key, k -> new Object())) {
      return work.get();
    }
  }

  /** Exception details from key/value pairs, skipping null values (Map.copyOf rejects them). */
  static Map<String, Object> details(Object... keyValues) {
    Map<String, Object> map = new LinkedHashMap<>();
    for (int i = 0; i + 1 < keyValues.length; i += 2) {
      if (keyValues[i + 1] != null) {
        Object v = keyValues[i + 1];
        map.put((String) keyValues[0 + i], v instanceof Instant ? v.toString() : v);
      }
    }
    return map;
  }
}
