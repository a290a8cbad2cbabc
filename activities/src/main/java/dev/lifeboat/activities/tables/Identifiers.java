package dev.lifeboat.activities.tables;

import dev.lifeboat.common.model.TableRef;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import org.postgresql.core.BaseConnection;
import org.postgresql.core.Utils;

/**
 * SQL identifiers and literals by the PostgreSQL driver's quoting rules, for the statements that
 * cannot take bind parameters (DDL, COPY, COMMENT). Names reach here only after they were looked
 * up in {@code pg_catalog} (see {@link TableCatalog}); quoting is the second guard, not the first.
 */
public final class Identifiers {
  private Identifiers() {}

  /** {@code "name"}, always double-quoted, inner quotes doubled. */
  public static String quote(String identifier) {
    try {
      return Utils.escapeIdentifier(null, identifier).toString();
    } catch (SQLException e) {
      // the driver refuses only a NUL character, which no catalog name holds
      throw new IllegalArgumentException("identifier cannot be quoted: " + e.getMessage(), e);
    }
  }

  /** {@code "schema"."name"}. */
  public static String quoteQualified(String schema, String name) {
    return quote(schema) + "." + quote(name);
  }

  public static String quoteQualified(TableRef table) {
    return quoteQualified(table.schema(), table.name());
  }

  /** {@code "a", "b", "c"}. */
  public static String columnList(List<String> columns) {
    StringBuilder s = new StringBuilder();
    for (String column : columns) {
      if (!s.isEmpty()) {
        s.append(", ");
      }
      s.append(quote(column));
    }
    return s.toString();
  }

  /** {@code 'text'}, a string literal as the connection's server reads it (standard_conforming_strings). */
  public static String literal(Connection connection, String text) throws SQLException {
    boolean standard = connection.unwrap(BaseConnection.class).getStandardConformingStrings();
    return (standard ? "'" : "E'") + Utils.escapeLiteral(null, text, standard) + "'";
  }
}
