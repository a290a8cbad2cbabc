package dev.lifeboat.activities.tables;

import dev.lifeboat.common.ErrorType;
import dev.lifeboat.common.LifeboatException;
import dev.lifeboat.common.model.ColumnInfo;
import dev.lifeboat.common.model.ExportManifest;
import dev.lifeboat.common.model.ExportSpec;
import dev.lifeboat.common.model.TableManifest;
import dev.lifeboat.common.model.TableRef;
import dev.lifeboat.common.platform.ProgressListener;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.NoSuchFileException;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
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
 * Exports tables with binary COPY, streamed through a byte/row counter and a SHA-256 digest into
 * the {@link ExportStore}: never more than a buffer of a table in memory. Each table gets its
 * own manifest beside its object, written after the object; the export's manifest is written
 * last. A retry keeps each table whose manifest and object are there and whose object still
 * has the recorded checksum, and exports the rest again from scratch.
 */
public final class TableExporter {
  private static final Logger log = LoggerFactory.getLogger(TableExporter.class);
  static final int STREAM_BUFFER = 256 << 10;

  private final ExportStore store;
  private final Clock clock;

  public TableExporter(ExportStore store, Clock clock) {
    this.store = store;
    this.clock = clock;
  }

  private record Planned(TableRef table, List<ColumnInfo> columns, List<String> primaryKey, long estimatedRows) {}

  /**
   * @throws LifeboatException TABLE_NOT_FOUND, NOT_A_PLAIN_TABLE before any data moves
   */
  public ExportManifest export(DataSource source, ExportSpec spec, ProgressListener progress)
      throws SQLException, IOException {
    String runId = ExportKeys.run(spec.runId());
    List<TableManifest> exported = new ArrayList<>();
    try (Connection c = source.getConnection()) {
      c.setAutoCommit(true);
      try (Statement st = c.createStatement()) {
        st.execute("set statement_timeout = 0");
      }
      List<Planned> plan = plan(c, spec.tables());
      Progress p = new Progress(progress, plan.stream().mapToLong(Planned::estimatedRows).sum());
      for (Planned table : plan) {
        TableManifest m = reuse(runId, table, p).orElse(null);
        if (m == null) {
          m = exportOne(c, runId, table, p);
        } else {
          log.info("kept {} ({} rows) from an earlier attempt: checksum verified", table.table(), m.rows());
        }
        p.tableDone(m);
        exported.add(m);
      }
    }
    ExportManifest manifest = new ExportManifest(runId, spec.sourceInstance(), spec.pointInTime(), spec.fromInstance(),
        store.uri(), List.copyOf(exported), clock.instant(), spec.expiresAt());
    store.put(ExportKeys.manifest(runId), ExportJson.write(manifest));
    long rows = exported.stream().mapToLong(TableManifest::rows).sum();
    long bytes = exported.stream().mapToLong(TableManifest::bytes).sum();
    progress.progress("exported " + Counts.of(rows) + " rows of " + exported.size() + " table"
        + (exported.size() == 1 ? "" : "s"), 100, bytes);
    return manifest;
  }

  /** Looks every table up first: a bad name fails the export before any data moves. */
  private static List<Planned> plan(Connection c, List<TableRef> tables) throws SQLException {
    List<Planned> plan = new ArrayList<>();
    for (TableRef table : new LinkedHashSet<>(tables)) {
      TableCatalog.Relation r = TableCatalog.check(c, table);
      List<ColumnInfo> columns = TableCatalog.columns(c, r.oid());
      if (columns.isEmpty()) {
        throw new LifeboatException(ErrorType.NOT_A_PLAIN_TABLE, table.display() + " has no columns to export.",
            Map.of("table", table.display()));
      }
      plan.add(new Planned(table, columns, TableCatalog.primaryKey(c, r.oid()), Math.max(0, r.estimatedRows())));
    }
    return plan;
  }

  private TableManifest exportOne(Connection c, String runId, Planned table, Progress p)
      throws SQLException, IOException {
    String key = ExportKeys.object(runId, table.table());
    List<String> names = table.columns().stream().map(ColumnInfo::name).toList();
    String sql = "COPY " + Identifiers.quoteQualified(table.table()) + " (" + Identifiers.columnList(names)
        + ") TO STDOUT (FORMAT binary)";
    CopyManager copy = c.unwrap(PGConnection.class).getCopyAPI();
    CopyTracker tracker = new CopyTracker((rows, bytes) -> p.during(table, rows, bytes));
    long t0 = System.nanoTime();
    long rows;
    try (ExportStore.Upload upload = store.create(key)) {
      OutputStream out = new BufferedOutputStream(tracker.outputStream(upload), STREAM_BUFFER);
      rows = copy.copyOut(sql, out);
      out.flush();
      if (!tracker.complete() || tracker.rows() != rows) {
        throw new IOException("COPY of " + table.table() + " reported " + rows + " rows but the stream held "
            + tracker.rows() + (tracker.complete() ? "" : " and no trailer"));
      }
      upload.commit();
    }
    TableManifest m = new TableManifest(table.table(), table.columns(), table.primaryKey(), rows, tracker.bytes(),
        tracker.sha256Hex(), key, TableManifest.BINARY_COPY, clock.instant());
    store.put(ExportKeys.tableManifest(runId, table.table()), ExportJson.write(m));
    log.info("exported {}: {} rows, {} bytes in {} ms", table.table(), rows, m.bytes(), (System.nanoTime() - t0) / 1_000_000);
    return m;
  }

  /** The manifest of an earlier attempt's export of this table, when its object is whole. */
  private Optional<TableManifest> reuse(String runId, Planned table, Progress p) throws IOException {
    TableManifest m;
    try {
      m = ExportJson.read(store.getString(ExportKeys.tableManifest(runId, table.table())), TableManifest.class);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      log.warn("ignoring unreadable manifest of {} from an earlier attempt: {}", table.table(), e.getMessage());
      return Optional.empty();
    }
    OptionalLong size = store.size(m.object());
    if (!m.table().equals(table.table()) || !m.columns().equals(table.columns())
        || !m.primaryKey().equals(table.primaryKey()) || size.isEmpty() || size.getAsLong() != m.bytes()) {
      return Optional.empty();
    }
    p.verifying(table);
    MessageDigest digest = CopyTracker.sha256();
    try (InputStream in = new DigestInputStream(store.open(m.object()), digest)) {
      in.transferTo(OutputStream.nullOutputStream());
    }
    return HexFormat.of().formatHex(digest.digest()).equals(m.sha256()) ? Optional.of(m) : Optional.empty();
  }

  /** Rows and bytes across the tables of one export, as progress texts and percents. */
  private static final class Progress {
    private final ProgressListener listener;
    private final long estimatedRows;
    private long rowsBefore;
    private long bytesBefore;

    Progress(ProgressListener listener, long estimatedRows) {
      this.listener = listener;
      this.estimatedRows = estimatedRows;
    }

    void during(Planned table, long rows, long bytes) {
      long all = rowsBefore + rows;
      String of = table.estimatedRows() > 0 ? " of ~" + Counts.of(table.estimatedRows()) : "";
      listener.progress("exported " + Counts.of(rows) + of + " rows of " + table.table().display(),
          Counts.percent(all, Math.max(estimatedRows, all), 99), bytesBefore + bytes);
    }

    void verifying(Planned table) {
      listener.progress("verifying the earlier export of " + table.table().display(),
          Counts.percent(rowsBefore, estimatedRows, 99), bytesBefore);
    }

    void tableDone(TableManifest m) {
      rowsBefore += m.rows();
      bytesBefore += m.bytes();
      listener.progress("exported " + Counts.of(m.rows()) + " rows of " + m.table().display(),
          Counts.percent(rowsBefore, Math.max(estimatedRows, rowsBefore), 99), bytesBefore);
    }
  }
}
