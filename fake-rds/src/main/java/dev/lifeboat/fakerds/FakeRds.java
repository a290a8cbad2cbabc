package dev.lifeboat.fakerds;

import com.sun.net.httpserver.HttpServer;
import dev.lifeboat.common.model.InstanceInfo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An RDS-compatible endpoint on loopback whose every call is carried out on real local PostgreSQL
 * clusters through a {@link dev.lifeboat.activities.local.LocalPlatform}: a snapshot is a real base
 * backup, a point-in-time restore a real recovery, an endpoint a real port. Point the AWS SDK at
 * it with {@code endpointOverride(fake.endpoint())} and any static credentials; the region the
 * request is signed for (SigV4 credential scope) picks the platform's region of that name.
 * Tests and demos only: signatures are not verified.
 *
 * <pre>{@code
 * try (FakeRds fake = FakeRds.start(FakeRdsOptions.defaults(platform, Set.of("orders-db")))) {
 *   RdsClient rds = RdsClient.builder().endpointOverride(fake.endpoint()).region(Region.US_EAST_1)...build();
 *   fake.faults().throttleEveryNth(2);
 * }
 * }</pre>
 *
 * <h2>Served</h2>
 * RDS Query API 2014-10-31: CreateDBSnapshot, DescribeDBSnapshots, DeleteDBSnapshot, CopyDBSnapshot,
 * RestoreDBInstanceToPointInTime, RestoreDBInstanceFromDBSnapshot, DescribeDBInstances,
 * DeleteDBInstance, DescribeDBInstanceAutomatedBackups, DescribeAccountAttributes,
 * DescribeDBSubnetGroups, PromoteReadReplica, AddTagsToResource, ListTagsForResource; KMS
 * DescribeKey (JSON 1.1); EC2 DescribeSecurityGroups (EC2 Query). DeleteDBInstance simulates
 * Lifeboat's IAM policy: an instance not tagged {@code lifeboat:temporary=true} answers 403
 * AccessDenied.
 *
 * <h2>Control surface (same port, JSON)</h2>
 * <ul>
 *   <li>{@code GET /_fake/stats}: {@code {"calls":{"CopyDBSnapshot":3,...},"throttled":1,
 *       "copiesInFlight":{"us-west-2":1},"maxCopiesInFlight":{"us-west-2":2}}}
 *   <li>{@code POST /_fake/stats/reset}: forgets calls, throttles and maxima; answers the stats
 *   <li>{@code GET /_fake/faults}: the faults in force
 *   <li>{@code POST /_fake/faults}: changes the fields given, answers the faults in force:
 *       {@code {"clear":true, "throttleEveryNth":2, "latency":250, "stuckCopies":false,
 *       "copyDelay":"PT2S", "manualSnapshotQuota":5, "failNext":[{"action":"CopyDBSnapshot",
 *       "code":"SnapshotQuotaExceeded", "message":"...", "httpStatus":400}]}}; durations are
 *       milliseconds or ISO-8601, {@code clear} is applied first, {@code failNext} may be one object
 * </ul>
 *
 * <p>{@link #close()} stops the server and the fake's background work, never the clusters.
 */
public final class FakeRds implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(FakeRds.class);
  private static final int HTTP_THREADS = 16;

  private final Backend backend;
  private final HttpServer server;
  private final ExecutorService httpPool;
  private final ScheduledExecutorService shipper;
  private final URI endpoint;

  private FakeRds(Backend backend, HttpServer server, ExecutorService httpPool, ScheduledExecutorService shipper) {
    this.backend = backend;
    this.server = server;
    this.httpPool = httpPool;
    this.shipper = shipper;
    this.endpoint = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  public static FakeRds start(FakeRdsOptions options) {
    Backend backend = new Backend(options);
    HttpServer server;
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), options.port()), 64);
    } catch (IOException e) {
      backend.close();
      throw new UncheckedIOException("cannot listen on 127.0.0.1:" + options.port(), e);
    }
    ExecutorService httpPool = Executors.newFixedThreadPool(HTTP_THREADS, daemon("fake-rds-http"));
    server.setExecutor(httpPool);
    server.createContext("/_fake/", new ControlHandler(backend.faults, backend.stats));
    server.createContext("/", new ApiHandler(backend));
    server.start();
    ScheduledExecutorService shipper = Executors.newSingleThreadScheduledExecutor(daemon("fake-rds-wal"));
    long every = options.walShipInterval().toMillis();
    if (every > 0) {
      Map<String, String> shippedAt = new ConcurrentHashMap<>();
      shipper.scheduleWithFixedDelay(() -> shipWal(backend, shippedAt), every, every, TimeUnit.MILLISECONDS);
    }
    FakeRds fake = new FakeRds(backend, server, httpPool, shipper);
    log.info("Fake RDS on {} (regions {}, instances {}, account {})", fake.endpoint, options.platform().regions(),
        options.managedInstances(), options.accountId());
    return fake;
  }

  /**
   * Like RDS shipping WAL every few minutes: each running managed primary that committed a write
   * since the last shipment archives its current segment (an idle one ships nothing: no empty segments).
   */
  private static void shipWal(Backend backend, Map<String, String> shippedAt) {
    for (String id : backend.options.managedInstances()) {
      try {
        Optional<InstanceInfo> info = backend.local(id);
        if (info.isEmpty() || !backend.shipsWal(info.get())) {
          continue;
        }
        if (!nextXid(backend, id).equals(shippedAt.get(id))) {
          backend.platform.archiveNow(id);
          shippedAt.put(id, nextXid(backend, id));
        }
      } catch (RuntimeException | SQLException e) {
        log.debug("WAL shipping of {} failed: {}", id, e.getMessage());
      }
    }
  }

  /** The next transaction id: it moves only when a transaction writes (WAL position moves on its own). */
  private static String nextXid(Backend backend, String id) throws SQLException {
    try (Connection c = backend.platform.dataSource(id).getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("select pg_snapshot_xmax(pg_current_snapshot())::text")) {
      rs.next();
      return rs.getString(1);
    }
  }

  private static ThreadFactory daemon(String name) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, name + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  /** {@code http://127.0.0.1:<port>}. */
  public URI endpoint() {
    return endpoint;
  }

  public Faults faults() {
    return backend.faults;
  }

  public Stats stats() {
    return backend.stats;
  }

  @Override
  public void close() {
    server.stop(0);
    httpPool.shutdownNow();
    shipper.shutdownNow();
    backend.close();
    log.info("Fake RDS on {} stopped", endpoint);
  }
}
