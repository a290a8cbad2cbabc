package dev.lifeboat.rds;

import static dev.lifeboat.rds.RdsFailoverWireMock.answer;
import static dev.lifeboat.rds.RdsFailoverWireMock.call;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lifeboat.activities.testing.TestPostgres;
import dev.lifeboat.common.failover.FenceResult;
import dev.lifeboat.common.failover.PromoteResult;
import dev.lifeboat.common.failover.ReplicaState;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.function.Function;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The SQL half of {@link RdsFailover} on a real PostgreSQL 15 (RDS answers from WireMock): the
 * fence makes every database read-only and ends other sessions, the measurement copes with a
 * primary that is gone, and the promotion reads the timeline and system identifier, or leaves them
 * unknown where the functions are refused (as they are to a plain RDS user).
 */
class RdsFailoverSqlIT {
  private static final Instant NOW = Instant.parse("2026-11-30T21:00:00Z");
  private static TestPostgres pg;
  private RdsFailoverWireMock rds;
  private RdsClients clients;

  @BeforeAll
  static void startPostgres() throws SQLException {
    RdsFailoverWireMock.fakeCredentials();
    pg = TestPostgres.start("rds-failover");
    try (Connection c = pg.dataSource().getConnection(); Statement st = c.createStatement()) {
      st.execute("create role app login");
      st.execute("create role plain login");
      st.execute("create database techcorp");
      // RDS's own database: the master user may not alter it, so the fence leaves it alone
      st.execute("create database rdsadmin");
    }
    try (Connection c = as("postgres", "techcorp").getConnection(); Statement st = c.createStatement()) {
      st.execute("create table orders (id int primary key)");
      st.execute("grant all on orders to app");
      // as on RDS, where only rds_superuser may call them (functions are per database: revoked where promote looks)
      st.execute("revoke execute on function pg_control_system() from public");
      st.execute("revoke execute on function pg_control_checkpoint() from public");
    }
  }

  @AfterAll
  static void stopPostgres() {
    if (pg != null) {
      pg.close();
    }
  }

  @BeforeEach
  void start() {
    rds = new RdsFailoverWireMock();
    clients = new RdsClients(rds.settings());
    rds.server.stubFor(call("DescribeDBInstances", "techcorp-primary").willReturn(answer("describe-primary.xml")));
  }

  @AfterEach
  void stop() throws SQLException {
    clients.close();
    rds.close();
    try (Connection c = pg.dataSource().getConnection(); Statement st = c.createStatement()) {
      st.execute("set default_transaction_read_only = off");
      st.execute("alter database techcorp reset default_transaction_read_only");
      st.execute("alter database postgres reset default_transaction_read_only");
    }
  }

  private RdsFailover failover(Function<String, DataSource> dataSources) {
    return new RdsFailover(clients, dataSources, Clock.fixed(NOW, ZoneOffset.UTC), Duration.ofMillis(10),
        Duration.ofSeconds(20), Duration.ofSeconds(2));
  }

  private static DataSource as(String user, String database) {
    PGSimpleDataSource ds = new PGSimpleDataSource();
    ds.setServerNames(new String[] {"127.0.0.1"});
    ds.setPortNumbers(new int[] {pg.port()});
    ds.setDatabaseName(database);
    ds.setUser(user);
    return ds;
  }

  @Test
  void fence_makesEveryDatabaseReadOnly_endsOtherSessions_andIsIdempotent() throws SQLException {
    DataSource app = as("app", "techcorp");
    try (Connection open = app.getConnection(); Statement st = open.createStatement()) {
      st.execute("insert into orders values (1)");

      FenceResult fenced = failover(id -> as("postgres", "techcorp")).fence("techcorp-primary");

      assertThat(fenced.how()).isEqualTo("read-only");
      assertThat(fenced.lastLsn()).matches("[0-9A-F]+/[0-9A-F]+");
      assertThat(fenced.fencedAt()).isEqualTo(NOW);
      // the session open before the fence was ended
      assertThatThrownBy(() -> st.execute("insert into orders values (2)")).isInstanceOf(SQLException.class);
    }
    try (Connection reconnected = app.getConnection(); Statement st = reconnected.createStatement()) {
      assertThatThrownBy(() -> st.execute("insert into orders values (3)")).isInstanceOf(SQLException.class)
          .hasMessageContaining("read-only transaction");
    }
    try (Connection c = pg.dataSource().getConnection(); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("select d.datname from pg_db_role_setting s join pg_database d"
            + " on d.oid = s.setdatabase where s.setconfig @> array['default_transaction_read_only=on']"
            + " order by 1")) {
      assertThat(rows(rs)).isEqualTo("postgres,techcorp");
    }

    FenceResult again = failover(id -> as("postgres", "techcorp")).fence("techcorp-primary");

    assertThat(again.how()).isEqualTo("already-fenced");
    try (Connection c = as("postgres", "techcorp").getConnection(); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("select count(*) from orders")) {
      rs.next();
      assertThat(rs.getInt(1)).isEqualTo(1);
    }
  }

  @Test
  void measure_withThePrimaryGone_reportsItUnreachable_andNoExpectedLoss() {
    rds.server.stubFor(call("DescribeDBInstances", "techcorp-replica-1")
        .willReturn(answer("describe-replica-1-available.xml")));
    DataSource gone = RdsFailoverWireMock.refusing();

    ReplicaState state = failover(id -> id.equals("techcorp-primary") ? gone : as("postgres", "techcorp"))
        .measure("techcorp-replica-1");

    assertThat(state.replica()).isEqualTo("techcorp-replica-1");
    assertThat(state.primary()).isEqualTo("techcorp-primary");
    assertThat(state.primaryReachable()).isFalse();
    assertThat(state.primaryLsn()).isNull();
    assertThat(state.lagBytes()).isNull();
    assertThat(state.primaryLastCommit()).isNull();
    assertThat(state.expectedDataLoss()).isNull();
    assertThat(state.measuredAt()).isEqualTo(NOW);
  }

  @Test
  void measure_withThePrimaryAnswering_readsItsPosition() {
    rds.server.stubFor(call("DescribeDBInstances", "techcorp-replica-1")
        .willReturn(answer("describe-replica-1-available.xml")));

    ReplicaState state = failover(id -> as("postgres", "techcorp")).measure("techcorp-replica-1");

    assertThat(state.primaryReachable()).isTrue();
    assertThat(state.primaryLsn()).matches("[0-9A-F]+/[0-9A-F]+");
  }

  @Test
  void promote_readsTimelineAndSystemIdentifier_whereAllowed_andLeavesThemUnknownWhereNot() throws SQLException {
    rds.server.stubFor(call("DescribeDBInstances", "techcorp-replica-1")
        .willReturn(answer("describe-replica-1-promoted.xml")));
    String systemIdentifier;
    try (Connection c = pg.dataSource().getConnection(); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("select system_identifier::text from pg_control_system()")) {
      rs.next();
      systemIdentifier = rs.getString(1);
    }

    PromoteResult asMaster = failover(id -> as("postgres", "techcorp")).promote("techcorp-replica-1");
    PromoteResult asPlainUser = failover(id -> as("plain", "techcorp")).promote("techcorp-replica-1");

    assertThat(asMaster.timeline()).isEqualTo(1);
    assertThat(asMaster.systemIdentifier()).isEqualTo(systemIdentifier);
    assertThat(asPlainUser.timeline()).isEqualTo(1);
    assertThat(asPlainUser.systemIdentifier()).isNull();
    assertThat(asPlainUser.alreadyPromoted()).isTrue();
  }

  private static String rows(ResultSet rs) throws SQLException {
    StringBuilder out = new StringBuilder();
    while (rs.next()) {
      out.append(out.isEmpty() ? "" : ",").append(rs.getString(1));
    }
    return out.toString();
  }
}
