package dev.lifeboat.activities.pooler;

import dev.lifeboat.common.ErrorType;
import dev.lifeboat.common.LifeboatException;
import dev.lifeboat.common.failover.TrafficCheck;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A query through the pooler asking the server that answers who it is: the check after a switch. */
public final class TrafficProbe {
  private static final Logger log = LoggerFactory.getLogger(TrafficProbe.class);

  private TrafficProbe() {}

  /**
   * {@code pg_is_in_recovery()}, {@code inet_server_port()}, its WAL timeline and {@code system_identifier} of the
   * server answering through {@code pooler} for {@code database}. The system identifier is null when
   * {@code pg_control_system()} may not be read (on RDS it is granted to rds_superuser only), as the
   * RDS platform reports it for a promoted instance.
   */
  public static TrafficCheck check(DataSource pooler, String database) {
    try (Connection c = pooler.getConnection()) {
      c.setAutoCommit(true);
      boolean inRecovery;
      int port;
      Long timeline;
      try (Statement st = c.createStatement();
          ResultSet rs = st.executeQuery("select pg_is_in_recovery(), inet_server_port(), case when not"
              + " pg_is_in_recovery() then pg_walfile_name(pg_current_wal_lsn()) end")) {
        rs.next();
        inRecovery = rs.getBoolean(1);
        port = rs.getInt(2);
        String walFile = rs.getString(3);
        timeline = walFile == null ? null : Long.parseLong(walFile.substring(0, 8), 16);
      }
      String systemIdentifier = null;
      try (Statement st = c.createStatement();
          ResultSet rs = st.executeQuery("select system_identifier::text from pg_control_system()")) {
        systemIdentifier = rs.next() ? rs.getString(1) : null;
      } catch (SQLException e) {
        log.warn("Cannot read the system identifier through the pooler for {}: {}", database, e.getMessage());
      }
      return new TrafficCheck(database, inRecovery, systemIdentifier, port, timeline);
    } catch (SQLException e) {
      throw new LifeboatException(ErrorType.PLATFORM_ERROR, "No server answers through PgBouncer for database "
          + database + ": " + e.getMessage(), Map.of("database", database), e);
    }
  }
}
