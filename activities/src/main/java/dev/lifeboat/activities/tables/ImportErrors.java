package dev.lifeboat.activities.tables;

import dev.lifeboat.common.ErrorType;
import dev.lifeboat.common.LifeboatException;
import dev.lifeboat.common.model.TableRef;
import java.sql.SQLException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/** Turns what PostgreSQL answered to an import into failures people can act on. */
final class ImportErrors {
  private ImportErrors() {}

  /** A constraint violation (class 23), not a clash of catalog names. */
  static boolean isConstraintViolation(SQLException e) {
    return e.getSQLState() != null && e.getSQLState().startsWith("23") && !isDuplicateName(e);
  }

  /**
   * Another session created a table of that name first: {@code 42P07}, or a unique violation on a
   * catalog index when both created it at the same moment.
   */
  static boolean isDuplicateName(SQLException e) {
    if ("42P07".equals(e.getSQLState())) {
      return true;
    }
    ServerErrorMessage m = e instanceof PSQLException p ? p.getServerErrorMessage() : null;
    return "23505".equals(e.getSQLState()) && m != null && m.getConstraint() != null
        && m.getConstraint().startsWith("pg_");
  }

  /**
   * Throws the failure {@code e} stands for: IMPORT_CONFLICT for a constraint violation,
   * {@link TableLockedException} for a lock timeout, TABLE_NOT_FOUND for a missing schema;
   * anything else as it is (a retry may succeed).
   */
  static RuntimeException translate(SQLException e, TableRef table, Duration lockTimeout) throws SQLException {
    String state = e.getSQLState() == null ? "" : e.getSQLState();
    ServerErrorMessage m = e instanceof PSQLException p ? p.getServerErrorMessage() : null;
    if (isConstraintViolation(e)) {
      Map<String, Object> details = new LinkedHashMap<>();
      details.put("table", table.display());
      details.put("sqlState", state);
      String on = "";
      if (m != null && m.getConstraint() != null) {
        details.put("constraint", m.getConstraint());
        on = " constraint " + m.getConstraint();
      }
      if (m != null && m.getTable() != null) {
        TableRef violated = new TableRef(m.getSchema() == null ? table.schema() : m.getSchema(), m.getTable());
        details.put("violatedTable", violated.display());
        on += (on.isEmpty() ? " a constraint" : "") + " of " + violated.display();
      }
      String detail = m != null && m.getDetail() != null ? " (" + m.getDetail() + ")" : "";
      if (m != null && m.getDetail() != null) {
        details.put("detail", m.getDetail());
      }
      String what = m != null && m.getMessage() != null ? m.getMessage() : e.getMessage();
      return new LifeboatException(ErrorType.IMPORT_CONFLICT, "Importing " + table.display() + " violates"
          + (on.isEmpty() ? " a constraint" : on) + detail + ": " + what
          + ". The transaction was rolled back; nothing was written.", details, e);
    }
    if (state.equals("55P03")) {
      return new TableLockedException("Gave up importing " + table.display() + " after waiting "
          + lockTimeout.toMillis() + " ms (lock_timeout) for a lock another session holds: " + e.getMessage()
          + ". Nothing was written; try again when the application lets go of the table.", e);
    }
    if (state.equals("3F000")) {
      return new LifeboatException(ErrorType.TABLE_NOT_FOUND, "Cannot import " + table.display()
          + ": its schema does not exist on the target (" + e.getMessage() + ").",
          Map.of("table", table.display(), "schema", table.schema()), e);
    }
    throw e;
  }
}
