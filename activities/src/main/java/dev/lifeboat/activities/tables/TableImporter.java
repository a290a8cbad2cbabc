package dev.lifeboat.activities.tables;

import dev.lifeboat.common.ErrorType;
import dev.lifeboat.common.LifeboatException;
import dev.lifeboat.common.model.ColumnDrift;
import dev.lifeboat.common.model.ColumnInfo;
import dev.lifeboat.common.model.ImportMode;
import dev.lifeboat.common.model.ImportOutcome;
import dev.lifeboat.common.model.ImportSpec;
import dev.lifeboat.common.model.SchemaDriftPolicy;
import dev.lifeboat.common.model.TableManifest;
import dev.lifeboat.common.model.TableRef;
import dev.lifeboat.common.platform.ProgressListener;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.NoSuchFileException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads one exported table into the target (the primary) in one transaction, by binary COPY
 * straight from the stored object: a crash, a killed connection or a failed constraint leaves
 * nothing behind, because nothing commits until everything is in.
 *
 * <ul>
 *   <li>{@code new-table}: creates {@code <table>_restored_<suffix>} from the manifest's columns,
 *       loads it with {@code COPY FREEZE} (the table is new in this transaction, so its rows can
 *       be written frozen, sparing a later vacuum), then adds the primary key (one sort after
 *       the load beats maintaining an index row by row). Nothing existing is touched.</li>
 *   <li>{@code insert-missing}: loads into a temporary staging table, then inserts the rows whose
 *       primary key is absent now ({@code ON CONFLICT (key) DO NOTHING}); existing rows stay as
 *       they are. Needs a primary key; naturally idempotent.</li>
 *   <li>{@code replace}: locks the table, refuses when other tables' foreign keys reference it
 *       (emptying it would break or cascade into them), copies its rows into
 *       {@code <table>_backup_<suffix>}, truncates it and loads the export.</li>
 * </ul>
 *
 * <p>Schema drift (columns added, dropped or retyped since the export) refuses
 * {@code insert-missing} and {@code replace} unless the spec allows matching columns: then the
 * columns both sides have with the same type are loaded and the rest take their defaults.
 *
 * <p>The transaction's mark is the comment of the table it creates (new-table: the restored
 * table; replace: the backup table), naming the run: a retry finds it and answers
 * {@code alreadyDone} without writing again. Every lock is taken with a {@code lock_timeout}, so
 * an import never queues behind an application for long: it fails with
 * {@link TableLockedException} and is retried.
 */
public final class TableImporter {
  private static final Logger log = LoggerFactory.getLogger(TableImporter.class);
  public static final Duration DEFAULT_LOCK_TIMEOUT = Duration.ofSeconds(10);
  static final String STAGE = "lifeboat_import_stage";

  private final ExportStore store;
  private final Duration lockTimeout;

  public TableImporter(ExportStore store) {
    this(store, DEFAULT_LOCK_TIMEOUT);
  }

  public TableImporter(ExportStore store, Duration lockTimeout) {
    this.store = store;
    this.lockTimeout = lockTimeout;
  }

  /**
   * @throws LifeboatException NO_PRIMARY_KEY, SCHEMA_DRIFT, IMPORT_CONFLICT, TABLE_NOT_FOUND,
   *     EXPORT_NOT_FOUND (object missing or not matching its checksum)
   * @throws TableLockedException when a lock was not granted within the lock timeout
   */
  public ImportOutcome importTable(DataSource target, ImportSpec spec, ProgressListener progress)
      throws SQLException, IOException {
    TableManifest m = spec.table();
    checkExport(spec);
    try (Connection c = target.getConnection()) {
      c.setAutoCommit(false);
      try {
        ImportOutcome outcome = switch (spec.mode()) {
          case NEW_TABLE -> newTable(c, spec, progress);
          case INSERT_MISSING -> insertMissing(c, spec, progress);
          case REPLACE -> replace(c, spec, progress);
        };
        progress.progress(outcome.alreadyDone() ? "import of " + m.table().display() + " had committed already"
            : "imported " + m.table().display() + ": " + Counts.of(outcome.rowsWritten()) + " rows written into "
                + outcome.targetTable(), 100, m.bytes());
        return outcome;
      } catch (SQLException e) {
        rollback(c);
        if (ImportErrors.isDuplicateName(e) && spec.mode() != ImportMode.INSERT_MISSING) {
          // another attempt of this import created the table at the same moment: did it commit?
          Optional<ImportOutcome> done = markedDone(c, spec, createdTable(spec));
          rollback(c);
          if (done.isPresent()) {
            return done.get();
          }
        }
        throw ImportErrors.translate(e, m.table(), lockTimeout);
      } catch (RuntimeException | IOException e) {
        rollback(c);
        throw e;
      }
    }
  }

  // ---- modes --------------------------------------------------------------------------------

  private ImportOutcome newTable(Connection c, ImportSpec spec, ProgressListener progress)
      throws SQLException, IOException {
    TableManifest m = spec.table();
    TableRef restored = createdTable(spec);
    Optional<ImportOutcome> done = markedDone(c, spec, restored);
    if (done.isPresent()) {
      return done.get();
    }
    limits(c);
    checkTypes(c, m);
    execute(c, "create table " + Identifiers.quoteQualified(restored) + " (" + columnDefinitions(m, true) + ")");
    List<String> columns = names(m.columns());
    long rows = copyIn(c, "copy " + Identifiers.quoteQualified(restored) + " (" + Identifiers.columnList(columns)
        + ") from stdin (format binary, freeze)", spec, restored, m.primaryKey().isEmpty() ? 98 : 85, progress);
    if (!m.primaryKey().isEmpty()) {
      progress.progress("adding the primary key of " + restored.display(), 85, m.bytes());
      execute(c, "alter table " + Identifiers.quoteQualified(restored) + " add primary key ("
          + Identifiers.columnList(m.primaryKey()) + ")");
    }
    mark(c, restored, ImportMarker.text(spec.runId(), spec.mode(), m.table(), m.object(), rows, rows));
    c.commit();
    log.info("imported {} into new table {}: {} rows", m.table(), restored, rows);
    return new ImportOutcome(m.table(), spec.mode(), restored.display(), null, rows, rows, columns, false);
  }

  private ImportOutcome insertMissing(Connection c, ImportSpec spec, ProgressListener progress)
      throws SQLException, IOException {
    TableManifest m = spec.table();
    limits(c);
    TableCatalog.Relation r = TableCatalog.check(c, m.table());
    List<String> keyNow = TableCatalog.primaryKey(c, r.oid());
    if (m.primaryKey().isEmpty() || keyNow.isEmpty()) {
      throw new LifeboatException(ErrorType.NO_PRIMARY_KEY, m.table().display() + " has no primary key"
          + (m.primaryKey().isEmpty() ? " in the export" : " now")
          + "; insert-missing matches rows by primary key. Use new-table (or replace) instead.",
          Map.of("table", m.table().display(), "mode", spec.mode().wireName()));
    }
    if (!keyNow.equals(m.primaryKey())) {
      throw drift(m, spec, "its primary key changed from (" + String.join(", ", m.primaryKey()) + ") to ("
          + String.join(", ", keyNow) + ")", null);
    }
    List<String> load = loadableColumns(c, r, spec);
    if (!load.containsAll(keyNow)) {
      throw drift(m, spec, "a primary key column changed its type", null);
    }
    checkTypes(c, m);
    stage(c, m);
    long rows = copyIn(c, "copy pg_temp." + Identifiers.quote(STAGE) + " (" + Identifiers.columnList(names(m.columns()))
        + ") from stdin (format binary, freeze)", spec, m.table(), 80, progress);
    progress.progress("inserting the rows of " + m.table().display() + " whose key is missing now", 80, m.bytes());
    long written = executeUpdate(c, "insert into " + Identifiers.quoteQualified(m.table()) + " ("
        + Identifiers.columnList(load) + ") overriding system value select " + Identifiers.columnList(load)
        + " from pg_temp." + Identifiers.quote(STAGE) + " on conflict (" + Identifiers.columnList(keyNow)
        + ") do nothing");
    c.commit();
    log.info("imported {} (insert-missing): {} rows loaded, {} inserted", m.table(), rows, written);
    return new ImportOutcome(m.table(), spec.mode(), m.table().display(), null, rows, written, load, false);
  }

  private ImportOutcome replace(Connection c, ImportSpec spec, ProgressListener progress)
      throws SQLException, IOException {
    TableManifest m = spec.table();
    TableRef backup = createdTable(spec);
    Optional<ImportOutcome> done = markedDone(c, spec, backup);
    if (done.isPresent()) {
      return done.get();
    }
    limits(c);
    TableCatalog.Relation r = TableCatalog.check(c, m.table());
    List<String> load = loadableColumns(c, r, spec);
    String table = Identifiers.quoteQualified(m.table());
    progress.progress("locking " + m.table().display(), 0, 0L);
    execute(c, "lock table only " + table + " in access exclusive mode");
    List<String> referencing = TableCatalog.referencedBy(c, r.oid());
    if (!referencing.isEmpty()) {
      throw new LifeboatException(ErrorType.IMPORT_CONFLICT, "Cannot replace the rows of " + m.table().display()
          + ": foreign keys of other tables reference it (" + String.join(", ", referencing) + "), so emptying it"
          + " would break or cascade into their rows. Use insert-missing or new-table instead. Nothing was written.",
          Map.of("table", m.table().display(), "referencedBy", referencing));
    }
    progress.progress("copying the current rows of " + m.table().display() + " into " + backup.display(), 0, 0L);
    long kept = executeUpdate(c, "create table " + Identifiers.quoteQualified(backup) + " as table only " + table);
    execute(c, "truncate only " + table);
    boolean direct = load.size() == m.columns().size();
    long rows;
    long written;
    if (direct) {
      rows = copyIn(c, "copy " + table + " (" + Identifiers.columnList(load) + ") from stdin (format binary, freeze)",
          spec, m.table(), 98, progress);
      written = rows;
    } else {
      checkTypes(c, m);
      stage(c, m);
      rows = copyIn(c, "copy pg_temp." + Identifiers.quote(STAGE) + " (" + Identifiers.columnList(names(m.columns()))
          + ") from stdin (format binary, freeze)", spec, m.table(), 80, progress);
      written = executeUpdate(c, "insert into " + table + " (" + Identifiers.columnList(load)
          + ") overriding system value select " + Identifiers.columnList(load) + " from pg_temp." + Identifiers.quote(STAGE));
    }
    mark(c, backup, ImportMarker.text(spec.runId(), spec.mode(), m.table(), m.object(), rows, written));
    c.commit();
    log.info("imported {} (replace): {} rows written, the {} rows before are in {}", m.table(), written, kept, backup);
    return new ImportOutcome(m.table(), spec.mode(), m.table().display(), backup.display(), rows, written, load, false);
  }

  // ---- steps --------------------------------------------------------------------------------

  /** The table this import creates and marks: the restored table, or the backup table. */
  private static TableRef createdTable(ImportSpec spec) {
    TableRef t = spec.table().table();
    return switch (spec.mode()) {
      case NEW_TABLE -> new TableRef(t.schema(), ImportNames.restored(t.name(), spec.suffix()));
      case REPLACE -> new TableRef(t.schema(), ImportNames.backup(t.name(), spec.suffix()));
      case INSERT_MISSING -> t;
    };
  }

  /**
   * The outcome of an earlier, committed attempt of this run, found by its mark; IMPORT_CONFLICT
   * when a table of that name exists without it.
   */
  private Optional<ImportOutcome> markedDone(Connection c, ImportSpec spec, TableRef created) throws SQLException {
    Optional<TableCatalog.Relation> r = TableCatalog.find(c, created);
    if (r.isEmpty()) {
      return Optional.empty();
    }
    TableManifest m = spec.table();
    Optional<ImportMarker.Counts> counts = ImportMarker.parse(TableCatalog.comment(c, r.get().oid()), spec.runId());
    if (counts.isEmpty()) {
      throw new LifeboatException(ErrorType.IMPORT_CONFLICT, created.display() + " already exists and was not"
          + " created by run " + spec.runId() + "; it is left alone. Drop or rename it to import again.",
          Map.of("table", m.table().display(), "existing", created.display()));
    }
    log.info("{} import of {} was committed by an earlier attempt ({})", spec.mode().wireName(), m.table(), created);
    List<String> loaded = names(m.columns());
    if (spec.mode() == ImportMode.REPLACE) {
      Optional<TableCatalog.Relation> now = TableCatalog.find(c, m.table());
      if (now.isPresent()) {
        loaded = ColumnDrifts.matching(m.columns(), TableCatalog.columns(c, now.get().oid()));
      }
    }
    c.rollback();
    boolean replace = spec.mode() == ImportMode.REPLACE;
    return Optional.of(new ImportOutcome(m.table(), spec.mode(), replace ? m.table().display() : created.display(),
        replace ? created.display() : null, counts.get().rowsLoaded(), counts.get().rowsWritten(), loaded, true));
  }

  /** The exported columns to load into the existing table, by the spec's drift policy. */
  private List<String> loadableColumns(Connection c, TableCatalog.Relation r, ImportSpec spec) throws SQLException {
    TableManifest m = spec.table();
    List<ColumnInfo> now = TableCatalog.columns(c, r.oid());
    ColumnDrift drift = ColumnDrifts.between(m.columns(), now);
    List<String> load = ColumnDrifts.matching(m.columns(), now);
    if (drift.drifted() && spec.drift() != SchemaDriftPolicy.MATCHING_COLUMNS) {
      throw drift(m, spec, "its columns changed since the export", drift);
    }
    if (load.isEmpty()) {
      throw drift(m, spec, "no exported column is still there with the same type", drift);
    }
    return load;
  }

  private static LifeboatException drift(TableManifest m, ImportSpec spec, String why, ColumnDrift drift) {
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("table", m.table().display());
    details.put("mode", spec.mode().wireName());
    StringBuilder what = new StringBuilder();
    if (drift != null) {
      details.put("onlyInExport", drift.onlyInExport());
      details.put("onlyNow", drift.onlyNow());
      details.put("typeChanged", drift.typeChanged());
      append(what, "only in the export", drift.onlyInExport());
      append(what, "only now", drift.onlyNow());
      append(what, "type changed", drift.typeChanged());
    }
    boolean allowed = spec.drift() == SchemaDriftPolicy.MATCHING_COLUMNS;
    return new LifeboatException(ErrorType.SCHEMA_DRIFT, "Cannot " + spec.mode().wireName() + " "
        + m.table().display() + ": " + why + (what.isEmpty() ? "" : " (" + what + ")") + "."
        + (allowed ? "" : " Allow it with \"allowSchemaDrift\": \"matching-columns\" to load the columns both have,"
            + " or use new-table.") + " Nothing was written.", details);
  }

  private static void append(StringBuilder s, String label, List<String> columns) {
    if (!columns.isEmpty()) {
      s.append(s.isEmpty() ? "" : "; ").append(label).append(": ").append(String.join(", ", columns));
    }
  }

  /** Nothing waits for a lock longer than the lock timeout; no statement timeout cuts a long load. */
  private void limits(Connection c) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "select pg_catalog.set_config('lock_timeout', ?, true), pg_catalog.set_config('statement_timeout', '0', true)")) {
      ps.setString(1, lockTimeout.toMillis() + "ms");
      ps.executeQuery().close();
    }
  }

  /**
   * Every exported type must name a type on the target before it is written into DDL: the types
   * come from the source's catalog, and this keeps a tampered manifest from smuggling SQL in.
   */
  private static void checkTypes(Connection c, TableManifest m) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("select pg_catalog.to_regtype(?) is not null")) {
      for (ColumnInfo column : m.columns()) {
        ps.setString(1, column.type());
        boolean known;
        try (ResultSet rs = ps.executeQuery()) {
          known = rs.next() && rs.getBoolean(1);
        } catch (SQLException e) {
          known = false;
        }
        if (!known) {
          throw new LifeboatException(ErrorType.SCHEMA_DRIFT, "Cannot import " + m.table().display() + ": column "
              + column.name() + " has type " + column.type() + ", which the target does not know. Nothing was written.",
              Map.of("table", m.table().display(), "column", column.name(), "type", column.type()));
        }
      }
    }
  }

  private static String columnDefinitions(TableManifest m, boolean notNull) {
    StringBuilder s = new StringBuilder();
    for (ColumnInfo column : m.columns()) {
      if (!s.isEmpty()) {
        s.append(", ");
      }
      s.append(Identifiers.quote(column.name())).append(' ').append(column.type());
      if (notNull && column.notNull()) {
        s.append(" not null");
      }
    }
    return s.toString();
  }

  /** A temporary table with the export's columns, dropped at commit. */
  private static void stage(Connection c, TableManifest m) throws SQLException {
    execute(c, "create temporary table " + Identifiers.quote(STAGE) + " (" + columnDefinitions(m, false)
        + ") on commit drop");
  }

  /**
   * Streams the stored object into a COPY, checking on the way that it is the object the
   * manifest describes (size, SHA-256, row count); a mismatch fails before the commit.
   *
   * @param upTo the step percent reached when the COPY is done
   */
  private long copyIn(Connection c, String sql, ImportSpec spec, TableRef into, int upTo, ProgressListener progress)
      throws SQLException, IOException {
    TableManifest m = spec.table();
    CopyManager copy = c.unwrap(PGConnection.class).getCopyAPI();
    String where = into.equals(m.table()) ? "" : " into " + into.display();
    CopyTracker tracker = new CopyTracker((rows, bytes) -> progress.progress("loaded " + Counts.of(rows) + " of "
        + Counts.of(m.rows()) + " rows of " + m.table().display() + where, Counts.percent(bytes, m.bytes(), 100) * upTo / 100,
        bytes));
    long t0 = System.nanoTime();
    long rows;
    try (InputStream in = tracker.inputStream(openObject(m))) {
      rows = copy.copyIn(sql, in, TableExporter.STREAM_BUFFER);
    }
    String sha = tracker.sha256Hex();
    if (tracker.bytes() != m.bytes() || !sha.equals(m.sha256()) || !tracker.complete()) {
      throw new LifeboatException(ErrorType.EXPORT_NOT_FOUND, "Export object " + m.object() + " of "
          + m.table().display() + " does not match its manifest (" + tracker.bytes() + " bytes, sha256 " + sha
          + "; the manifest says " + m.bytes() + " bytes, " + m.sha256() + "). Nothing was written.",
          Map.of("table", m.table().display(), "object", m.object()));
    }
    if (rows != m.rows()) {
      throw new IllegalStateException("COPY into " + into + " loaded " + rows + " rows; the export holds " + m.rows());
    }
    log.debug("loaded {} rows into {} in {} ms", rows, into, (System.nanoTime() - t0) / 1_000_000);
    progress.progress("loaded " + Counts.of(rows) + " rows of " + m.table().display() + where, upTo, m.bytes());
    return rows;
  }

  private InputStream openObject(TableManifest m) throws IOException {
    try {
      return store.open(m.object());
    } catch (NoSuchFileException e) {
      throw missing(m, "is gone");
    }
  }

  /** The spec names this store, and the object is there with its size. */
  private void checkExport(ImportSpec spec) throws IOException {
    TableManifest m = spec.table();
    if (spec.exportStore() != null && !spec.exportStore().equals(store.uri())) {
      throw new LifeboatException(ErrorType.EXPORT_NOT_FOUND, "The export of " + m.table().display() + " is in "
          + spec.exportStore() + ", but this worker's export store is " + store.uri() + ".",
          Map.of("table", m.table().display(), "store", spec.exportStore()));
    }
    OptionalLong size = store.size(m.object());
    if (size.isEmpty()) {
      throw missing(m, "is gone (expired or deleted?)");
    }
    if (size.getAsLong() != m.bytes()) {
      throw missing(m, "has " + size.getAsLong() + " bytes; the manifest says " + m.bytes());
    }
  }

  private static LifeboatException missing(TableManifest m, String why) {
    return new LifeboatException(ErrorType.EXPORT_NOT_FOUND, "Export object " + m.object() + " of "
        + m.table().display() + " " + why + ". Nothing was written.",
        Map.of("table", m.table().display(), "object", m.object()));
  }

  private static void mark(Connection c, TableRef table, String text) throws SQLException {
    execute(c, "comment on table " + Identifiers.quoteQualified(table) + " is " + Identifiers.literal(c, text));
  }

  private static List<String> names(List<ColumnInfo> columns) {
    return columns.stream().map(ColumnInfo::name).toList();
  }

  private static void execute(Connection c, String sql) throws SQLException {
    try (Statement st = c.createStatement()) {
      st.execute(sql);
    }
  }

  private static long executeUpdate(Connection c, String sql) throws SQLException {
    try (Statement st = c.createStatement()) {
      return st.executeLargeUpdate(sql);
    }
  }

  private static void rollback(Connection c) {
    try {
      if (!c.isClosed()) {
        c.rollback();
      }
    } catch (SQLException e) {
      log.debug("rollback failed (the connection is gone, and so is the transaction): {}", e.getMessage());
    }
  }
}
