package dev.lifeboat.activities;

import static dev.lifeboat.activities.Failures.typed;

import dev.lifeboat.activities.tables.ExportExpiry;
import dev.lifeboat.activities.tables.ExportStore;
import dev.lifeboat.activities.tables.TableCatalog;
import dev.lifeboat.activities.tables.TableComparer;
import dev.lifeboat.activities.tables.TableExporter;
import dev.lifeboat.activities.tables.TableImporter;
import dev.lifeboat.activities.tables.TableLockedException;
import dev.lifeboat.catalog.RunStore;
import dev.lifeboat.common.ErrorType;
import dev.lifeboat.common.activity.TableActivities;
import dev.lifeboat.common.model.CompareSpec;
import dev.lifeboat.common.model.ExportManifest;
import dev.lifeboat.common.model.ExportSpec;
import dev.lifeboat.common.model.ImportOutcome;
import dev.lifeboat.common.model.ImportSpec;
import dev.lifeboat.common.model.TableComparison;
import dev.lifeboat.common.model.TableRef;
import dev.lifeboat.common.platform.Platform;
import dev.lifeboat.common.workflow.TableRecoverySteps;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.function.IntUnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Table copy as activities: the work is done by {@link TableExporter}, {@link TableComparer} and
 * {@link TableImporter}; this adapts their progress into heartbeats and catalog progress, and
 * their failures into Temporal failures (typed ones final, the rest retried).
 */
public class TableActivitiesImpl implements TableActivities {
  private static final Logger log = LoggerFactory.getLogger(TableActivitiesImpl.class);
  /** A lock an application held past the import's lock_timeout: retried, unlike the ErrorType failures. */
  public static final String TABLE_LOCKED = ErrorType.TABLE_LOCKED.name();

  private final Platform platform;
  private final RunStore runs;
  private final Clock clock;
  private final TableExporter exporter;
  private final TableComparer comparer;
  private final TableImporter importer;
  private final ExportExpiry expiry;

  /** @param runs where live progress goes; null when no catalog is wired (progress then only heartbeats) */
  public TableActivitiesImpl(Platform platform, ExportStore store, RunStore runs, Clock clock) {
    this.platform = platform;
    this.runs = runs;
    this.clock = clock;
    this.exporter = new TableExporter(store, clock);
    this.comparer = new TableComparer();
    this.importer = new TableImporter(store);
    this.expiry = new ExportExpiry(store);
  }

  @Override
  public List<String> expireExports(Instant now) {
    return typed(() -> io(() -> expiry.expire(now)));
  }

  @Override
  public List<TableRef> resolveTables(String instanceId, List<TableRef> tables) {
    return typed(() -> io(() -> TableCatalog.resolve(platform.dataSource(instanceId), tables)));
  }

  @Override
  public ExportManifest exportTables(ExportSpec spec) {
    try (MDC.MDCCloseable ignored = MDC.putCloseable("runId", spec.runId());
        KeepAlive progress = progress(spec.runId(), TableRecoverySteps::exportPercent)) {
      log.info("exporting {} from {} ({} as of {})", spec.tables(), spec.fromInstance(), spec.sourceInstance(),
          spec.pointInTime());
      return typed(() -> io(() -> exporter.export(platform.dataSource(spec.fromInstance()), spec, progress)));
    }
  }

  @Override
  public TableComparison compareTable(CompareSpec spec) {
    try (MDC.MDCCloseable ignored = MDC.putCloseable("runId", spec.runId());
        KeepAlive progress = progress(spec.runId(), TableRecoverySteps::comparePercent)) {
      log.info("comparing {} exported from {} with {}", spec.table().table(), spec.exportedFrom(), spec.currentInstance());
      return typed(() -> io(() -> comparer.compare(platform.dataSource(spec.exportedFrom()),
          platform.dataSource(spec.currentInstance()), spec, progress)));
    }
  }

  @Override
  public ImportOutcome importTable(ImportSpec spec) {
    try (MDC.MDCCloseable ignored = MDC.putCloseable("runId", spec.runId());
        KeepAlive progress = progress(spec.runId(), TableRecoverySteps::importPercent)) {
      log.info("importing {} into {} ({})", spec.table().table(), spec.targetInstance(), spec.mode().wireName());
      return typed(() -> io(() -> importer.importTable(platform.dataSource(spec.targetInstance()), spec, progress)));
    } catch (TableLockedException e) {
      throw ApplicationFailure.newFailureWithCause(e.getMessage(), TABLE_LOCKED, e);
    }
  }

  /**
   * Heartbeats and catalog progress, repeated every few seconds while a long statement runs:
   * well within any heartbeat timeout the workflows set.
   */
  private KeepAlive progress(String runId, IntUnaryOperator runPercent) {
    return KeepAlive.runProgress(runs, runId, runPercent, clock);
  }

  @FunctionalInterface
  private interface Io<T> {
    T call() throws SQLException, IOException;
  }

  /**
   * Runs {@code call}; a database or I/O failure (a lost connection, a cancelled read) becomes
   * an unchecked one, which Temporal retries.
   */
  private static <T> T io(Io<T> call) {
    try {
      return call.call();
    } catch (IOException e) {
      throw new UncheckedIOException(e.getMessage(), e);
    } catch (SQLException e) {
      throw new IllegalStateException("SQLSTATE " + e.getSQLState() + ": " + e.getMessage(), e);
    }
  }
}
