package dev.lifeboat.catalog;

import java.sql.SQLException;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.postgres.PostgresPlugin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Lifeboat's own database: migrated on open, then runs, the audit log, the snapshot inventory and drill reports on it. */
public final class Catalog {
  /** Where the migrations live on the classpath; its own folder so other schemas can sit beside it. */
  public static final String MIGRATIONS = "classpath:db/migration/lifeboat";

  private static final Logger LOG = LoggerFactory.getLogger(Catalog.class);
  private static final int PING_TIMEOUT_SECONDS = 2;

  private final Jdbi jdbi;
  private final RunStore runs;
  private final AuditLog audit;
  private final SnapshotInventory snapshots;
  private final DrillReportStore drills;
  private final IdempotencyKeyStore idempotencyKeys;

  private Catalog(Jdbi jdbi) {
    this.jdbi = jdbi;
    this.runs = new JdbiRunStore(jdbi);
    this.audit = new JdbiAuditLog(jdbi);
    this.snapshots = new JdbiSnapshotInventory(jdbi);
    this.drills = new JdbiDrillReportStore(jdbi);
    this.idempotencyKeys = new JdbiIdempotencyKeyStore(jdbi);
  }

  /** Migrates the schema to the newest version, then opens the catalog on it. */
  public static Catalog open(DataSource dataSource) {
    var result = Flyway.configure()
        .dataSource(dataSource)
        .locations(MIGRATIONS)
        // a jar that lost its migrations must not start against an empty schema
        .failOnMissingLocations(true)
        .load()
        .migrate();
    LOG.info("Catalog schema at version {} ({} migrations applied now)", result.targetSchemaVersion,
        result.migrationsExecuted);
    return new Catalog(Jdbi.create(dataSource).installPlugin(new PostgresPlugin()));
  }

  public RunStore runs() {
    return runs;
  }

  public AuditLog audit() {
    return audit;
  }

  public SnapshotInventory snapshots() {
    return snapshots;
  }

  public DrillReportStore drills() {
    return drills;
  }

  public IdempotencyKeyStore idempotencyKeys() {
    return idempotencyKeys;
  }

  /** Whether the database answers within a few seconds; for health checks. */
  public boolean ping() {
    try {
      return jdbi.withHandle(handle -> handle.getConnection().isValid(PING_TIMEOUT_SECONDS));
    } catch (RuntimeException | SQLException e) {
      // the cause names the host at most: the driver never puts the password in its messages
      LOG.warn("Catalog ping failed: {}", e.toString());
      return false;
    }
  }
}
