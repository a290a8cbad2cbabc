package dev.lifeboat.activities.tables;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lifeboat.common.ErrorType;
import dev.lifeboat.common.LifeboatException;
import dev.lifeboat.common.model.ColumnDrift;
import dev.lifeboat.common.model.ColumnInfo;
import dev.lifeboat.common.model.CompareSpec;
import dev.lifeboat.common.model.TableComparison;
import dev.lifeboat.common.model.TableManifest;
import dev.lifeboat.common.model.TableRef;
import dev.lifeboat.common.platform.ProgressListener;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Compares an exported table with the table as it is now. The exported rows are read back from
 * the instance they were exported from (the temporary instance: same rows, already indexed); the
 * current rows from a replica, never the primary: an instance that is not in recovery is refused.
 *
 * <p>Both sides are streamed in the same order through server-side cursors (autocommit off, a
 * fetch size), each row reduced to its key and an MD5 of the compared columns' text, and merged
 * ({@link SortedMerge}). Tables with a primary key are matched by key: rows only in the export,
 * changed rows, rows only now. Tables without one are compared as multisets of row hashes. Only
 * columns both sides have with the same type are compared; the rest is reported as drift.
 *
 * <p>A long read on a hot standby can be cancelled when replay needs what it holds ("conflict
 * with recovery", SQLSTATE 40001); the comparison then starts over, a bounded number of times.
 */
public final class TableComparer {
  private static final Logger log = LoggerFactory.getLogger(TableComparer.class);
  private static final int MAX_SAMPLE_JSON = 2000;
  /** Same text output for every type on both sides, whatever the servers' or roles' defaults. */
  private static final List<String> SESSION = List.of("set TimeZone = 'UTC'", "set DateStyle = 'ISO, YMD'",
      "set IntervalStyle = 'postgres'", "set extra_float_digits = 3", "set bytea_output = 'hex'",
      "set lc_monetary = 'C'", "set statement_timeout = 0");

  private final int fetchSize;
  private final int attempts;
  private final long progressEveryRows;

  public TableComparer() {
    this(10_000, 3, 100_000);
  }

  /**
   * @param attempts how many times a comparison cancelled by a recovery conflict is started
   * @param progressEveryRows how often progress is reported, in exported rows read
   */
  public TableComparer(int fetchSize, int attempts, long progressEveryRows) {
    this.fetchSize = fetchSize;
    this.attempts = attempts;
    this.progressEveryRows = progressEveryRows;
  }

  /**
   * @param exported the instance the export was read from
   * @param current a replica of the production instance
   * @throws LifeboatException NO_COMPARE_REPLICA when {@code current} is not a replica,
   *     NOT_A_PLAIN_TABLE when the table became something else
   */
  public TableComparison compare(DataSource exported, DataSource current, CompareSpec spec, ProgressListener progress)
      throws SQLException {
    for (int attempt = 1; ; attempt++) {
      try {
        return compareOnce(exported, current, spec, progress);
      } catch (SQLException e) {
        if (!isRecoveryConflict(e) || attempt >= attempts) {
          throw e;
        }
        log.warn("comparison of {} on {} cancelled ({}: {}); starting over, attempt {} of {}",
            spec.table().table(), spec.currentInstance(), e.getSQLState(), e.getMessage(), attempt + 1, attempts);
        progress.progress("comparison of " + spec.table().table().display() + " was cancelled by the replica ("
            + e.getMessage() + "); starting over, attempt " + (attempt + 1) + " of " + attempts, 0, null);
        sleep(attempt * 500L);
      }
    }
  }

  /** Cancelled by replay on a hot standby (40001, 40P01) or cut off with its connection (class 08). */
  static boolean isRecoveryConflict(SQLException e) {
    String state = e.getSQLState();
    return state != null && (state.equals("40001") || state.equals("40P01") || state.startsWith("08"));
  }

  private TableComparison compareOnce(DataSource exported, DataSource current, CompareSpec spec,
      ProgressListener progress) throws SQLException {
    TableManifest m = spec.table();
    TableRef table = m.table();
    try (Connection now = current.getConnection(); Connection then = exported.getConnection()) {
      refuseUnlessReplica(now, spec.currentInstance());
      session(now);
      session(then);
      TableCatalog.check(then, table);
      Optional<TableCatalog.Relation> relation = TableCatalog.find(now, table);
      if (relation.isEmpty()) {
        return missingNow(then, spec, progress);
      }
      if (relation.get().kind() != 'r') {
        TableCatalog.check(now, table); // throws the typed failure
      }
      List<ColumnInfo> currentColumns = TableCatalog.columns(now, relation.get().oid());
      ColumnDrift drift = ColumnDrifts.between(m.columns(), currentColumns);
      List<String> compared = ColumnDrifts.matching(m.columns(), currentColumns);
      boolean keyed = !m.primaryKey().isEmpty() && compared.containsAll(m.primaryKey());
      RowQuery query = keyed ? RowQuery.keyed(m, compared) : RowQuery.byRowHash(table, compared);
      SortedMerge.Result r;
      try (PreparedStatement pe = cursor(then, query.sql()); PreparedStatement pc = cursor(now, query.sql());
          ResultSet re = pe.executeQuery(); ResultSet rc = pc.executeQuery()) {
        SortedMerge merge = new SortedMerge(query.order(), keyed, spec.sampleLimit(), progressEveryRows);
        r = merge.run(query.side(re), query.side(rc), rows -> progress.progress("compared " + Counts.of(rows)
            + " of " + Counts.of(m.rows()) + " exported rows of " + table.display() + " with " + spec.currentInstance(),
            Counts.percent(rows, m.rows(), 99), null));
      } finally {
        endQuietly(then);
        endQuietly(now);
      }
      if (r.exportRows() != m.rows()) {
        log.warn("{} holds {} rows on {} but its export has {}", table, r.exportRows(), spec.exportedFrom(), m.rows());
      }
      List<String> sInExport;
      List<String> sChanged;
      List<String> sNow;
      if (keyed) {
        sInExport = keysJson(m.primaryKey(), r.sampleOnlyInExport());
        sChanged = keysJson(m.primaryKey(), r.sampleChanged());
        sNow = keysJson(m.primaryKey(), r.sampleOnlyNow());
      } else {
        sInExport = rowsJson(then, table, compared, r.sampleOnlyInExport());
        sChanged = List.of();
        sNow = rowsJson(now, table, compared, r.sampleOnlyNow());
      }
      progress.progress("compared " + table.display() + ": " + Counts.of(r.onlyInExport()) + " only in the export, "
          + Counts.of(r.changed()) + " changed, " + Counts.of(r.onlyNow()) + " only now", 100, null);
      return new TableComparison(table, true, keyed, r.exportRows(), r.currentRows(), r.onlyInExport(), r.changed(),
          r.onlyNow(), compared, drift, sInExport, sChanged, sNow, spec.currentInstance());
    }
  }

  private static void refuseUnlessReplica(Connection now, String instance) throws SQLException {
    try (Statement st = now.createStatement(); ResultSet rs = st.executeQuery("select pg_catalog.pg_is_in_recovery()")) {
      rs.next();
      if (!rs.getBoolean(1)) {
        throw new LifeboatException(ErrorType.NO_COMPARE_REPLICA, "Instance " + instance + " is not a replica:"
            + " comparisons read current rows from a replica (the analytics replica), never from the primary.",
            Map.of("instance", instance));
      }
    }
  }

  /** The table is gone: every exported row is missing now. */
  private TableComparison missingNow(Connection then, CompareSpec spec, ProgressListener progress) throws SQLException {
    TableManifest m = spec.table();
    List<String> samples = new ArrayList<>();
    boolean keyed = !m.primaryKey().isEmpty();
    if (spec.sampleLimit() > 0) {
      List<String> all = m.columns().stream().map(ColumnInfo::name).toList();
      RowQuery query = keyed ? RowQuery.keyed(m, m.primaryKey()) : null;
      String hash = RowQuery.rowHash(all);
      String sql = keyed ? query.sql() + " limit " + spec.sampleLimit()
          : "select " + hash + ", pg_catalog.row_to_json(r.*)::text from only " + Identifiers.quoteQualified(m.table())
              + " r limit " + spec.sampleLimit();
      try (PreparedStatement ps = cursor(then, sql); ResultSet rs = ps.executeQuery()) {
        SortedMerge.Side side = keyed ? query.side(rs) : null;
        while (rs.next()) {
          samples.add(keyed ? keyJson(m.primaryKey(), side.key()) : bounded(rs.getString(2), rs.getString(1)));
        }
      } finally {
        endQuietly(then);
      }
    }
    progress.progress(m.table().display() + " does not exist now: all " + Counts.of(m.rows())
        + " exported rows are missing", 100, null);
    return new TableComparison(m.table(), false, keyed, m.rows(), 0, m.rows(), 0, 0, List.of(), ColumnDrift.NONE,
        samples, List.of(), List.of(), spec.currentInstance());
  }

  private void session(Connection c) throws SQLException {
    try (Statement st = c.createStatement()) {
      for (String set : SESSION) {
        st.execute(set);
      }
    }
    c.setAutoCommit(false);
    c.setReadOnly(true);
  }

  private PreparedStatement cursor(Connection c, String sql) throws SQLException {
    PreparedStatement ps = c.prepareStatement(sql, ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY);
    ps.setFetchSize(fetchSize);
    return ps;
  }

  private static List<String> keysJson(List<String> columns, List<Object[]> keys) {
    return keys.stream().map(k -> keyJson(columns, k)).toList();
  }

  /** {@code {"id": 42}}: integers as numbers, other key columns as their text. */
  static String keyJson(List<String> columns, Object[] key) {
    ObjectNode o = ExportJson.MAPPER.createObjectNode();
    for (int i = 0; i < columns.size(); i++) {
      if (key[i] instanceof Long l) {
        o.put(columns.get(i), l);
      } else {
        o.put(columns.get(i), (String) key[i]);
      }
    }
    return o.toString();
  }

  /** Rows (as JSON) of a table without a key, found again by their hashes; at most one per sampled hash. */
  private List<String> rowsJson(Connection c, TableRef table, List<String> compared, List<Object[]> hashes)
      throws SQLException {
    if (hashes.isEmpty()) {
      return List.of();
    }
    String hash = RowQuery.rowHash(compared);
    String sql = "select " + hash + ", pg_catalog.row_to_json(r.*)::text from only " + Identifiers.quoteQualified(table)
        + " r where " + hash + " = any (?)";
    Map<String, List<String>> byHash = new HashMap<>();
    List<String> wanted = hashes.stream().map(h -> (String) h[0]).toList();
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      Array array = c.createArrayOf("text", wanted.stream().distinct().toArray());
      ps.setArray(1, array);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          byHash.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(rs.getString(2));
        }
      }
    } finally {
      endQuietly(c);
    }
    List<String> rows = new ArrayList<>();
    for (String h : wanted) {
      List<String> found = byHash.getOrDefault(h, List.of());
      rows.add(found.isEmpty() ? md5Json(h) : bounded(found.remove(0), h));
    }
    return rows;
  }

  private static String bounded(String json, String hash) {
    return json.length() <= MAX_SAMPLE_JSON ? json : md5Json(hash);
  }

  private static String md5Json(String hash) {
    return ExportJson.MAPPER.createObjectNode().put("md5", hash).toString();
  }

  /**
   * Ends the read-only transaction. When the connection is gone (a replica cut it off) this must
   * not hide the failure that says why, so a failing rollback is ignored: closing it ends it too.
   */
  private static void endQuietly(Connection c) {
    try {
      c.rollback();
    } catch (SQLException e) {
      log.debug("rollback of a comparison read failed: {}", e.getMessage());
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
