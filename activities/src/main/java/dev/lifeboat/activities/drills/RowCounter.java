package dev.lifeboat.activities.drills;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Exact row counts of tables found in {@code pg_catalog}: names from the configuration are only
 * ever bind parameters, and the server quotes what is counted ({@code format('%I.%I')}). On a
 * replica a long count can be cancelled by a conflict with recovery (DESIGN.md, pitfall 5): it is
 * retried.
 */
final class RowCounter {
  private static final String TABLES = """
      select c.relname, format('%I.%I', n.nspname, c.relname)
        from pg_catalog.pg_class c
        join pg_catalog.pg_namespace n on n.oid = c.relnamespace
       where c.relkind in ('r', 'p')
         and not c.relispartition
         and n.nspname = ?
       order by 1""";
  /** SQLSTATE of "canceling statement due to conflict with recovery". */
  private static final String RECOVERY_CONFLICT = "40001";
  private static final int ATTEMPTS = 5;
  private static final Duration RETRY_PAUSE = Duration.ofMillis(500);

  private RowCounter() {}

  /** Table name to quoted qualified name, for every table of {@code schema}, by name. */
  static Map<String, String> tables(Connection c, String schema) throws SQLException {
    Map<String, String> tables = new TreeMap<>();
    try (PreparedStatement ps = c.prepareStatement(TABLES)) {
      ps.setString(1, schema);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          tables.put(rs.getString(1), rs.getString(2));
        }
      }
    }
    return tables;
  }

  /** The named tables that exist in {@code schema}, name to quoted qualified name; missing ones are left out. */
  static Map<String, String> tables(Connection c, String schema, List<String> names) throws SQLException {
    Map<String, String> all = tables(c, schema);
    Map<String, String> found = new LinkedHashMap<>();
    for (String name : names) {
      if (all.containsKey(name)) {
        found.put(name, all.get(name));
      }
    }
    return found;
  }

  /** {@code count(*)} of a table named by {@link #tables}. */
  static long count(Connection c, String quotedName) throws SQLException {
    for (int attempt = 1; ; attempt++) {
      try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("select count(*) from " + quotedName)) {
        rs.next();
        return rs.getLong(1);
      } catch (SQLException e) {
        if (!RECOVERY_CONFLICT.equals(e.getSQLState()) || attempt >= ATTEMPTS) {
          throw e;
        }
        pause();
      }
    }
  }

  private static void pause() throws SQLException {
    try {
      Thread.sleep(RETRY_PAUSE.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SQLException("interrupted while retrying a count after a conflict with recovery", e);
    }
  }
}
