package dev.lifeboat.activities.drills;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;

/**
 * Configured queries (SQL checks, freshness) run read-only with a statement timeout: a check can
 * neither change the instance nor hang the drill.
 */
final class Queries {
  /** How long one SQL check or freshness query may run. */
  static final Duration CHECK_TIMEOUT = Duration.ofMinutes(5);

  private Queries() {}

  /** The first column of the first row as text (null when no row, or SQL NULL). */
  static Answer first(Connection c, String sql, Duration timeout) throws SQLException {
    boolean autoCommit = c.getAutoCommit();
    c.setAutoCommit(false);
    try (Statement st = c.createStatement()) {
      st.execute("set transaction read only");
      st.execute("set local statement_timeout = " + timeout.toMillis());
      try (ResultSet rs = st.executeQuery(sql)) {
        Answer answer = rs.next() ? new Answer(true, rs.getObject(1)) : new Answer(false, null);
        c.rollback();
        return answer;
      }
    } catch (SQLException e) {
      c.rollback();
      throw e;
    } finally {
      c.setAutoCommit(autoCommit);
    }
  }

  /** The first column as a timestamp (a {@code timestamptz} column, or text PostgreSQL can read as one). */
  static Instant instant(Connection c, String sql, Duration timeout) throws SQLException {
    Answer answer = first(c, "select (q.v)::timestamptz from (" + stripSemicolon(sql) + ") as q(v)", timeout);
    Object value = answer.value();
    if (value == null) {
      return null;
    }
    if (value instanceof java.sql.Timestamp ts) {
      return ts.toInstant();
    }
    if (value instanceof OffsetDateTime odt) {
      return odt.toInstant();
    }
    return Instant.parse(value.toString());
  }

  private static String stripSemicolon(String sql) {
    String trimmed = sql.strip();
    return trimmed.endsWith(";") ? trimmed.substring(0, trimmed.length() - 1) : trimmed;
  }

  /** What a query returned: whether there was a row, and its first value. */
  record Answer(boolean row, Object value) {
    String text() {
      return value == null ? (row ? "null" : "no rows") : String.valueOf(value);
    }

    boolean isTrue() {
      return value instanceof Boolean b ? b : value != null && "t".equals(value.toString());
    }
  }
}
