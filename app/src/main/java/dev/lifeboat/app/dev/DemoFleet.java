package dev.lifeboat.app.dev;

import dev.lifeboat.activities.local.LocalPlatform;
import dev.lifeboat.activities.local.PgBouncer;
import dev.lifeboat.common.model.InstanceInfo;
import dev.lifeboat.common.platform.ProgressListener;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The production fleet's shape on one machine: {@code techcorp-primary} with WAL archiving, two
 * streaming replicas ({@code techcorp-replica-1}, {@code techcorp-analytics}), database
 * {@code techcorp} with one schema per service, a first snapshot, a PgBouncer in front of the
 * primary (database {@code techcorp}), and Lifeboat's own catalog cluster. Created on the first
 * start and reused (started again) on the next ones; after a failover PgBouncer keeps pointing at
 * the promoted replica, and the fenced old primary stays down.
 */
public final class DemoFleet {
  public static final String PRIMARY = "techcorp-primary";
  public static final String REPLICA = "techcorp-replica-1";
  public static final String ANALYTICS = "techcorp-analytics";
  public static final String CATALOG = "lifeboat-catalog";
  public static final String DATABASE = "techcorp";
  public static final String CATALOG_DATABASE = "lifeboat";
  /** The instances a platform manages (the catalog is Lifeboat's own). */
  public static final Set<String> MANAGED = Set.of(PRIMARY, REPLICA, ANALYTICS);
  /** The application database of each managed instance. */
  public static final Map<String, String> DATABASES = Map.of(PRIMARY, DATABASE, REPLICA, DATABASE, ANALYTICS, DATABASE);

  private static final Logger log = LoggerFactory.getLogger(DemoFleet.class);
  private static final DateTimeFormatter SNAPSHOT_STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd-HHmm").withZone(ZoneOffset.UTC);

  private final LocalPlatform platform;
  private final Clock clock;

  public DemoFleet(LocalPlatform platform, Clock clock) {
    this.platform = platform;
    this.clock = clock;
  }

  /** Creates what is missing, starts what is stopped; returns the catalog's JDBC URL. */
  public String ensure() {
    platform.startAll();
    if (platform.findInstance(CATALOG).isEmpty()) {
      say("creating the catalog cluster " + CATALOG);
      platform.createInternal(CATALOG, CATALOG_DATABASE);
    }

    if (platform.findInstance(PRIMARY).isEmpty()) {
      say("creating " + PRIMARY + " (WAL archiving to region " + platform.config().region() + ")");
      platform.createPrimary(PRIMARY, DATABASE);
      say("loading the demo schemas auth, users, orders, payments, inventory, products");
      execute(platform.dataSource(PRIMARY), demoSql());
    }
    // The first snapshot comes before the replicas: the seconds their base backups take put the
    // window's opening (the snapshot's end) well before the fleet is ready, and let its WAL archive.
    String firstSnapshot = null;
    if (platform.listSnapshots(PRIMARY).stream().noneMatch(s -> "available".equals(s.status()))) {
      firstSnapshot = "lb-" + PRIMARY + "-" + SNAPSHOT_STAMP.format(clock.instant());
      say("taking the first snapshot " + firstSnapshot);
      platform.createSnapshot(PRIMARY, firstSnapshot, Map.of("policy", "dev", "created-by", "lifeboat dev"),
          ProgressListener.NONE);
    }
    for (String replica : new String[] {REPLICA, ANALYTICS}) {
      if (platform.findInstance(replica).isEmpty()) {
        say("creating streaming replica " + replica);
        platform.createReplica(replica, PRIMARY);
      }
    }
    if (firstSnapshot != null) {
      // A commit after the snapshot, archived now: the restorable window opens at once instead of
      // after the first archive_timeout, and the copy, which takes the WAL archived so far, holds a
      // commit to replay to (without it a drill in the DR region would have nothing to restore).
      if (!platform.archiveNow(PRIMARY)) {
        log.warn("dev fleet: the WAL after {} was not archived in time; the DR copy may have nothing to replay",
            firstSnapshot);
      }
      for (String region : platform.regions().subList(1, platform.regions().size())) {
        say("copying " + firstSnapshot + " to DR region " + region);
        platform.copySnapshot(platform.config().region(), firstSnapshot, region, ProgressListener.NONE);
      }
    }
    if (PgBouncer.installed()) {
      PgBouncer pooler = platform.pgBouncer();
      pooler.ensureRunning();
      if (pooler.routes().stream().noneMatch(r -> r.database().equals(DATABASE))) {
        say("starting PgBouncer in front of " + PRIMARY + " (database " + DATABASE + ")");
        pooler.switchTo(DATABASE, platform.findInstance(PRIMARY).orElseThrow().endpoint());
      }
    } else {
      log.warn("dev fleet: pgbouncer is not installed (apt-get install pgbouncer): no PgBouncer in front of {},"
          + " so a failover cannot switch traffic", PRIMARY);
    }
    InstanceInfo catalog = platform.findInstance(CATALOG).orElseThrow();
    return "jdbc:postgresql://" + catalog.endpoint().host() + ":" + catalog.endpoint().port() + "/" + CATALOG_DATABASE;
  }

  /** Stops PgBouncer and every instance of the platform: {@code lifeboat dev} leaves nothing running behind it. */
  public void stopAll() {
    try {
      platform.pgBouncer().stop();
    } catch (RuntimeException e) {
      log.warn("could not stop PgBouncer: {}", e.getMessage());
    }
    for (InstanceInfo instance : platform.listInstances()) {
      try {
        platform.stop(instance.id());
      } catch (RuntimeException e) {
        log.warn("could not stop {}: {}", instance.id(), e.getMessage());
      }
    }
  }

  private static void say(String what) {
    log.info("dev fleet: {}", what);
  }

  private static void execute(DataSource dataSource, String sql) {
    try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException("dev fleet setup failed: " + e.getMessage(), e);
    }
  }

  private static String demoSql() {
    try (InputStream in = DemoFleet.class.getResourceAsStream("/demo/techcorp.sql")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
