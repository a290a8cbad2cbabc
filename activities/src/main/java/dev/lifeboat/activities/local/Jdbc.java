package dev.lifeboat.activities.local;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.postgresql.ds.PGSimpleDataSource;

/** JDBC access to local clusters: user postgres over loopback with trust authentication. */
public final class Jdbc {
  public static final String USER = "postgres";

  private Jdbc() {}

  public static PGSimpleDataSource dataSource(int port, String database) {
    PGSimpleDataSource ds = new PGSimpleDataSource();
    ds.setServerNames(new String[] {"127.0.0.1"});
    ds.setPortNumbers(new int[] {port});
    ds.setDatabaseName(database);
    ds.setUser(USER);
    ds.setConnectTimeout(5);
    ds.setApplicationName("lifeboat");
    return ds;
  }

  public static Connection connect(int port, String database) throws SQLException {
    return dataSource(port, database).getConnection();
  }

  /** A double-quoted SQL identifier, for the few statements that cannot take parameters. */
  public static String quoteIdent(String name) {
    return "\"" + name.replace("\"", "\"\"") + "\"";
  }

  static String queryString(Connection c, String sql) throws SQLException {
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      return rs.next() ? rs.getString(1) : null;
    }
  }

  static boolean exists(Connection c, String sql, String param) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, param);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }
}
