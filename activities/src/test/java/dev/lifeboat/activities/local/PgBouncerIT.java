package dev.lifeboat.activities.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.lifeboat.activities.testing.TestLocalPlatform;
import dev.lifeboat.common.ErrorType;
import dev.lifeboat.common.LifeboatException;
import dev.lifeboat.common.failover.PromoteResult;
import dev.lifeboat.common.failover.Rehearsal;
import dev.lifeboat.common.failover.TrafficCheck;
import dev.lifeboat.common.failover.TrafficRoute;
import dev.lifeboat.common.model.Endpoint;
import dev.lifeboat.common.model.InstanceRole;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * A real PgBouncer in front of a primary, switched to a promoted replica the way a failover
 * does it: PAUSE (the open transaction finishes), RELOAD, RESUME, and the held session's next
 * transaction runs on the new primary.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PgBouncerIT {
  private static final String PRIMARY = "pb-primary";
  private static final String REPLICA = "pb-replica";
  private static final String DB = "techcorp";
  private static final String DRILL_DB = Rehearsal.poolerDatabase(DB, "t0001a");
  private static TestLocalPlatform local;
  private static LocalPlatform platform;
  private static PgBouncer bouncer;

  @BeforeAll
  static void primaryWithReplica() throws SQLException {
    local = TestLocalPlatform.create("pgbouncer");
    platform = local.platform();
    bouncer = platform.pgBouncer();
    platform.createPrimary(PRIMARY, DB);
    local.sql(PRIMARY, "create table t (id int primary key)");
    platform.createReplica(REPLICA, PRIMARY);
  }

  @AfterAll
  static void tearDown() {
    try {
      if (bouncer != null) {
        bouncer.stop();
      }
    } finally {
      if (local != null) {
        local.close();
      }
    }
  }

  @Test
  @Order(1)
  void switchTo_aNewDatabase_routesQueriesThroughPgBouncerToThePrimary() throws Exception {
    bouncer.ensureRunning();
    Endpoint primary = platform.findInstance(PRIMARY).orElseThrow().endpoint();

    TrafficRoute route = bouncer.switchTo(DB, primary);

    assertThat(route).isEqualTo(new TrafficRoute(DB, "127.0.0.1", primary.port(), PRIMARY));
    assertThat(bouncer.routes()).containsExactly(route);
    TrafficCheck check = bouncer.check(DB);
    assertThat(check.inRecovery()).isFalse();
    assertThat(check.port()).isEqualTo(primary.port());
    try (Connection c = bouncer.dataSource(DB).getConnection(); Statement st = c.createStatement()) {
      st.execute("insert into t values (1)");
    }
    assertThat(local.ids(PRIMARY, "t")).containsExactly(1);
    // psql, as an application or an engineer would use it
    ProcessRunner.Result psql = psql(bouncer.endpoint(DB).port(), DB, "select inet_server_port()");
    assertThat(psql.ok()).as(psql.output()).isTrue();
    assertThat(psql.output().trim()).isEqualTo(Integer.toString(primary.port()));
    assertThat(bouncer.pauses()).isZero();
  }

  @Test
  @Order(2)
  void switchTo_thePromotedReplica_letsAnOpenTransactionFinish_andTheNextOneLandsThere() throws Exception {
    int oldPort = platform.findInstance(PRIMARY).orElseThrow().endpoint().port();
    try (Connection held = bouncer.dataSource(DB).getConnection()) {
      held.setAutoCommit(false);
      assertThat(serverPort(held)).isEqualTo(oldPort);
      execute(held, "insert into t values (2)");
      // promoted by an attempt that crashed before it updated the registry
      local.sql(REPLICA, "select pg_promote()");
      PromoteResult promoted = platform.failover().promote(REPLICA);
      assertThat(promoted.alreadyPromoted()).isTrue();
      assertThat(platform.findInstance(REPLICA).orElseThrow().role()).isEqualTo(InstanceRole.PRIMARY);
      Endpoint target = platform.findInstance(REPLICA).orElseThrow().endpoint();

      CompletableFuture<TrafficRoute> switching = CompletableFuture.supplyAsync(() -> bouncer.switchTo(DB, target));
      int listen = bouncer.endpoint(DB).port();
      await().atMost(Duration.ofSeconds(10)).until(() -> bouncer.isPausedLive(listen, DB));
      Thread.sleep(300);
      assertThat(switching).as("PAUSE waits for the open transaction").isNotDone();
      held.commit();
      TrafficRoute route = switching.get(30, TimeUnit.SECONDS);

      assertThat(route).isEqualTo(new TrafficRoute(DB, "127.0.0.1", target.port(), REPLICA));
      assertThat(serverPort(held)).as("the held session's next transaction").isEqualTo(target.port());
      execute(held, "insert into t values (3)");
      held.commit();
      assertThat(local.ids(PRIMARY, "t")).containsExactly(1, 2);
      assertThat(local.ids(REPLICA, "t")).contains(3);
      TrafficCheck check = bouncer.check(DB);
      assertThat(check.inRecovery()).isFalse();
      assertThat(check.port()).isEqualTo(target.port());
      assertThat(check.systemIdentifier()).isEqualTo(promoted.systemIdentifier());
      assertThat(bouncer.pauses()).isEqualTo(1);
      assertThat(bouncer.isPausedLive(listen, DB)).isFalse();
    }
  }

  @Test
  @Order(3)
  void switchTo_whereItPointsAlready_pausesNothing_andResumesWhatACrashedAttemptLeftPaused() {
    Endpoint target = platform.findInstance(REPLICA).orElseThrow().endpoint();
    int pausesBefore = bouncer.pauses();
    int listen = bouncer.endpoint(DB).port();
    assertThat(psql(listen, "pgbouncer", "PAUSE " + DB).ok()).isTrue();
    assertThat(bouncer.isPausedLive(listen, DB)).isTrue();

    TrafficRoute route = bouncer.switchTo(DB, target);

    assertThat(route.instance()).isEqualTo(REPLICA);
    assertThat(bouncer.pauses()).isEqualTo(pausesBefore);
    assertThat(bouncer.isPausedLive(listen, DB)).isFalse();
    assertThat(bouncer.check(DB).port()).isEqualTo(target.port());
  }

  @Test
  @Order(4)
  void ensureRunning_afterAStop_startsItAgainWithItsRoutesOnItsPort() {
    int listen = bouncer.endpoint(DB).port();
    bouncer.stop();
    assertThat(bouncer.isRunning()).isFalse();
    assertThat(Ports.isListening(listen)).isFalse();
    assertThat(bouncer.runningEndpoint(DB)).isEmpty();

    bouncer.ensureRunning();

    assertThat(bouncer.endpoint(DB).port()).isEqualTo(listen);
    assertThat(bouncer.routes()).extracting(TrafficRoute::instance).containsExactly(REPLICA);
    assertThat(bouncer.check(DB).port()).isEqualTo(platform.findInstance(REPLICA).orElseThrow().endpoint().port());
    assertThat(bouncer.runningEndpoint(DB)).contains(bouncer.endpoint(DB));
  }

  @Test
  @Order(5)
  void ensureRunning_whenTheRoutedInstanceCameBackOnAnotherPort_followsIt() throws Exception {
    int oldPort = platform.findInstance(REPLICA).orElseThrow().endpoint().port();
    platform.stop(REPLICA);
    int newPort;
    try (ServerSocket squatter = new ServerSocket(oldPort, 1, InetAddress.getLoopbackAddress())) {
      platform.startAll();
      newPort = platform.findInstance(REPLICA).orElseThrow().endpoint().port();
    }
    assertThat(newPort).isNotEqualTo(oldPort);

    bouncer.ensureRunning();

    assertThat(bouncer.routes()).extracting(TrafficRoute::port).containsExactly(newPort);
    assertThat(bouncer.check(DB).port()).isEqualTo(newPort);
  }

  @Test
  @Order(6)
  void addRehearsalRoute_copiesTheEntry_soAQueryReachesTheSameServer_andTheProductionEntryIsUnchanged() {
    TrafficRoute production = productionRoute();
    int pausesBefore = bouncer.pauses();

    TrafficRoute added = bouncer.addRehearsalRoute(DRILL_DB, DB);

    assertThat(added)
        .isEqualTo(new TrafficRoute(DRILL_DB, production.host(), production.port(), production.instance()));
    assertThat(bouncer.routes()).containsExactlyInAnyOrder(production, added);
    TrafficCheck viaDrill = bouncer.check(DRILL_DB);
    TrafficCheck viaProduction = bouncer.check(DB);
    assertThat(viaDrill.port()).isEqualTo(viaProduction.port()).isEqualTo(production.port());
    assertThat(viaDrill.systemIdentifier()).isEqualTo(viaProduction.systemIdentifier());
    ProcessRunner.Result psql = psql(bouncer.endpoint(DRILL_DB).port(), DRILL_DB, "select current_database()");
    assertThat(psql.ok()).as(psql.output()).isTrue();
    assertThat(psql.output().trim()).as("the same database on the server").isEqualTo(DB);
    assertThat(bouncer.pauses()).as("a new entry has no clients to pause").isEqualTo(pausesBefore);

    assertThat(bouncer.addRehearsalRoute(DRILL_DB, DB)).as("a retry").isEqualTo(added);
    assertInvalid(() -> bouncer.addRehearsalRoute("techcorp_copy", DB));
    assertInvalid(() -> bouncer.addRehearsalRoute(Rehearsal.poolerDatabase(DB, "other1"), "nosuchdb"));
    assertThat(bouncer.routes()).containsExactlyInAnyOrder(production, added);
  }

  @Test
  @Order(7)
  void switchTo_theDrillsEntry_leavesTheProductionEntryWhereItPoints() {
    TrafficRoute production = productionRoute();
    Endpoint elsewhere = platform.findInstance(PRIMARY).orElseThrow().endpoint();
    assertThat(elsewhere.port()).isNotEqualTo(production.port());

    TrafficRoute switched = bouncer.switchTo(DRILL_DB, elsewhere);

    assertThat(switched.port()).isEqualTo(elsewhere.port());
    assertThat(bouncer.check(DRILL_DB).port()).isEqualTo(elsewhere.port());
    assertThat(productionRoute()).isEqualTo(production);
    assertThat(bouncer.check(DB).port()).isEqualTo(production.port());
  }

  @Test
  @Order(8)
  void removeRehearsalRoute_removesOnlyTheDrillsEntry_andRefusesAProductionEntry() {
    TrafficRoute production = productionRoute();
    assertInvalid(() -> bouncer.removeRehearsalRoute(DB));
    assertThat(bouncer.routes()).contains(production);

    assertThat(bouncer.removeRehearsalRoute(DRILL_DB)).isTrue();

    assertThat(bouncer.routes()).containsExactly(production);
    assertThat(psql(bouncer.endpoint(DRILL_DB).port(), DRILL_DB, "select 1").ok()).isFalse();
    assertThat(bouncer.check(DB).port()).isEqualTo(production.port());
    assertThat(bouncer.removeRehearsalRoute(DRILL_DB)).as("gone already").isFalse();
  }

  private static TrafficRoute productionRoute() {
    return bouncer.routes().stream().filter(r -> r.database().equals(DB)).findFirst().orElseThrow();
  }

  private static void assertInvalid(ThrowingCallable call) {
    assertThatThrownBy(call).isInstanceOfSatisfying(LifeboatException.class,
        e -> assertThat(e.type()).isEqualTo(ErrorType.INVALID_REQUEST));
  }

  private static ProcessRunner.Result psql(int port, String database, String command) {
    return new ProcessRunner(OsUser.detect(null)).run(List.of(PgBinaries.locate(null).tool("psql"), "-X", "-A", "-t",
        "-d", "host=127.0.0.1 port=" + port + " dbname=" + database + " user=postgres", "-c", command),
        Duration.ofSeconds(10));
  }

  private static int serverPort(Connection c) throws SQLException {
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("select inet_server_port()")) {
      rs.next();
      return rs.getInt(1);
    }
  }

  private static void execute(Connection c, String sql) throws SQLException {
    try (Statement st = c.createStatement()) {
      st.execute(sql);
    }
  }
}
