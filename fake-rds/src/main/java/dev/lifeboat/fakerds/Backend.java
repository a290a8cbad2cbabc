package dev.lifeboat.fakerds;

import dev.lifeboat.activities.local.LocalPlatform;
import dev.lifeboat.common.model.InstanceInfo;
import dev.lifeboat.common.model.InstanceRole;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every action works with: the platform, the options, the books of snapshots and instances,
 * faults, stats, and two bounded pools for background work (copies wait out their delay and
 * stuck state in their own pool, so they never starve restores and snapshots).
 */
final class Backend implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Backend.class);
  static final String DEFAULT_ENGINE_VERSION = "15.0";
  private static final int WORK_THREADS = 8;
  private static final int COPY_THREADS = 24;

  final FakeRdsOptions options;
  final LocalPlatform platform;
  final Arns arns;
  final Faults faults;
  final Stats stats;
  final Snapshots snapshots;
  final Instances instances;
  final ExecutorService work;
  final ExecutorService copies;
  private volatile String engineVersion;

  Backend(FakeRdsOptions options) {
    this.options = options;
    this.platform = options.platform();
    this.arns = new Arns(options.accountId());
    this.faults = new Faults(options.manualSnapshotQuota());
    this.stats = new Stats();
    this.snapshots = new Snapshots(this);
    this.instances = new Instances(this);
    this.work = pool("fake-rds-work", WORK_THREADS);
    this.copies = pool("fake-rds-copy", COPY_THREADS);
  }

  private static ExecutorService pool(String name, int threads) {
    AtomicInteger n = new AtomicInteger();
    ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS,
        new LinkedBlockingQueue<>(), r -> {
          Thread t = new Thread(r, name + "-" + n.incrementAndGet());
          t.setDaemon(true);
          return t;
        });
    pool.allowCoreThreadTimeOut(true);
    return pool;
  }

  String home() {
    return options.homeRegion();
  }

  boolean isHome(String region) {
    return home().equals(region);
  }

  /** The key snapshots and instances of a region are encrypted with. */
  String kmsKey(String region) {
    return options.kmsKeyByRegion().get(region);
  }

  Instant now() {
    return platform.config().clock().instant();
  }

  Optional<InstanceInfo> local(String id) {
    return platform.findInstance(id);
  }

  /** A managed instance that is running and archives: its WAL can be shipped now. */
  boolean shipsWal(InstanceInfo info) {
    return info.role() == InstanceRole.PRIMARY && "available".equals(info.status());
  }

  /** Ships the source's WAL when it is running (a commit past any backup that just ended); never throws. */
  void archiveQuietly(String instanceId) {
    try {
      Optional<InstanceInfo> info = local(instanceId);
      if (info.isPresent() && "available".equals(info.get().status())) {
        platform.archiveNow(instanceId);
      }
    } catch (RuntimeException e) {
      log.warn("Could not ship the WAL of {}: {}", instanceId, e.getMessage());
    }
  }

  /** {@code server_version} of the managed instances, asked once; 15.0 until one answers. */
  String engineVersion() {
    String v = engineVersion;
    if (v != null) {
      return v;
    }
    for (String id : options.managedInstances()) {
      Optional<InstanceInfo> info = local(id);
      if (info.isEmpty() || !"available".equals(info.get().status())) {
        continue;
      }
      try (Connection c = platform.connection(id); Statement st = c.createStatement();
          ResultSet rs = st.executeQuery("show server_version")) {
        rs.next();
        v = rs.getString(1).split("\\s")[0];
        engineVersion = v;
        return v;
      } catch (SQLException e) {
        log.debug("No server_version from {}: {}", id, e.getMessage());
      }
    }
    return DEFAULT_ENGINE_VERSION;
  }

  @Override
  public void close() {
    work.shutdownNow();
    copies.shutdownNow();
  }
}
