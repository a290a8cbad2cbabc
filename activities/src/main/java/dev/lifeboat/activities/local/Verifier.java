package dev.lifeboat.activities.local;

import dev.lifeboat.common.ErrorType;
import dev.lifeboat.common.LifeboatException;
import dev.lifeboat.common.model.VerifyResult;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * Connects to an instance and counts rows exactly, table by table. Table names come from
 * pg_catalog and are quoted by the server ({@code format('%I.%I')}); the caller's schema name is
 * only ever a bind parameter. Public so every platform (local, RDS) verifies a restore the same way.
 */
public final class Verifier {
  private static final String TABLES = """
      select n.nspname, c.relname, format('%I.%I', n.nspname, c.relname)
        from pg_catalog.pg_class c
        join pg_catalog.pg_namespace n on n.oid = c.relnamespace
       where c.relkind in ('r', 'p')
         and not c.relispartition
         and n.nspname not in ('pg_catalog', 'information_schema')
         and n.nspname not like 'pg\\_toast%'
         and n.nspname not like 'pg\\_temp%'
         and (?::text is null or n.nspname = ?::text)
       order by 1, 2""";

  private Verifier() {}

  static VerifyResult verify(InstanceRecord record, String schema) {
    return verify(record.id(), Jdbc.dataSource(record.port(), record.database()), schema);
  }

  /**
   * Counts the rows of the user tables of {@code schema} (all user schemas when null) through
   * {@code dataSource}; a failure is a PLATFORM_ERROR naming {@code instanceId}.
   */
  public static VerifyResult verify(String instanceId, DataSource dataSource, String schema) {
    try (Connection c = dataSource.getConnection()) {
      String version = Jdbc.queryString(c, "show server_version");
      boolean inRecovery = "t".equals(Jdbc.queryString(c, "select pg_is_in_recovery()"));
      Map<String, Long> counts = new LinkedHashMap<>();
      for (String[] table : tables(c, schema)) {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("select count(*) from " + table[1])) {
          rs.next();
          counts.put(table[0], rs.getLong(1));
        }
      }
      return new VerifyResult(version, inRecovery, counts);
    } catch (SQLException e) {
      throw new LifeboatException(ErrorType.PLATFORM_ERROR, "Cannot verify " + instanceId + ": " + e.getMessage(),
          LocalContext.details("instance", instanceId, "schema", schema), e);
    }
  }

  /** Pairs of display name ("schema.table") and quoted name. */
  private static List<String[]> tables(Connection c, String schema) throws SQLException {
    List<String[]> tables = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(TABLES)) {
      ps.setString(1, schema);
      ps.setString(2, schema);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          tables.add(new String[] {rs.getString(1) + "." + rs.getString(2), rs.getString(3)});
        }
      }
    }
    return tables;
  }
}
