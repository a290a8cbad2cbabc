package dev.lifeboat.activities.pooler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lifeboat.activities.local.LocalPlatform;
import dev.lifeboat.activities.local.OsUser;
import dev.lifeboat.activities.local.ProcessRunner;
import dev.lifeboat.activities.testing.ExistingPgBouncer;
import dev.lifeboat.activities.testing.TestLocalPlatform;
import dev.lifeboat.common.ErrorType;
import dev.lifeboat.common.LifeboatException;
import dev.lifeboat.common.failover.Rehearsal;
import dev.lifeboat.common.failover.TrafficCheck;
import dev.lifeboat.common.failover.TrafficRoute;
import dev.lifeboat.common.model.Endpoint;
import dev.lifeboat.common.model.PreflightCheck;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * An "existing" PgBouncer (Debian's, started here as an operator would, md5 logins, an admin user
 * in admin_users, its [databases] section including a file an operator wrote) in front of two
 * PostgreSQL 15 clusters, switched by {@link ExternalPgBouncer}: Lifeboat neither starts nor stops it.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ExternalPgBouncerIT {
  private static final String OLD = "xp-old";
  private static final String NEW = "xp-new";
  private static final String DB = "techcorp";
  private static final String DRILL_DB = Rehearsal.poolerDatabase(DB, "x0001a");
  private static final String ADMIN_PASSWORD = "admin-s3cret";
  private static final String CLIENT_PASSWORD = "client-s3cret";
  private static final Map<String, String> ENV = Map.of("TEST_PGB_ADMIN", ADMIN_PASSWORD,
      "TEST_PGB_CLIENT", CLIENT_PASSWORD);

  private static TestLocalPlatform local;
  private static LocalPlatform platform;
  private static ProcessRunner runner;
  private static Path dir;
  private static Path databasesFile;
  private static int listen;
  private static ExternalPgBouncer bouncer;
  private static int oldPort;
  private static int newPort;
  private static String original;
  private static ExistingPgBouncer pgbouncer;

  @BeforeAll
  static void twoClustersBehindAnExistingPgBouncer() throws Exception {
    local = TestLocalPlatform.create("external-pgbouncer");
    platform = local.platform();
    oldPort = platform.createPrimary(OLD, DB).endpoint().port();
    newPort = platform.createPrimary(NEW, DB).endpoint().port();
    runner = new ProcessRunner(OsUser.detect(null));
    original = """
        ;; [databases] of the orders PgBouncer: written by the DBA team, switched by Lifeboat in a failover
        ; the application's entry
        techcorp = host=127.0.0.1 port=%d dbname=techcorp pool_size=5 connect_query='select 1'

        # reporting stays on the old server whatever happens
        reporting =   host=127.0.0.1 port=%d dbname=postgres pool_size=2
        """.formatted(oldPort, oldPort);
    pgbouncer = ExistingPgBouncer.start(local.dataRoot().resolve("etc-pgbouncer"), original,
        Map.of(ExistingPgBouncer.ADMIN_USER, ADMIN_PASSWORD, "postgres", CLIENT_PASSWORD));
    dir = pgbouncer.directory();
    databasesFile = pgbouncer.databasesFile();
    listen = pgbouncer.port();
    bouncer = router(ENV::get);
  }

  @AfterAll
  static void tearDown() throws Exception {
    try {
      if (pgbouncer != null) {
        pgbouncer.close();
      }
    } finally {
      if (local != null) {
        local.close();
      }
    }
  }

  private static ExternalPgBouncer router(UnaryOperator<String> env) {
    return router(databasesFile, env);
  }

  private static ExternalPgBouncer router(Path file, UnaryOperator<String> env) {
    return new ExternalPgBouncer(new ExternalPgBouncer.Settings(file,
        new ExternalPgBouncer.Login("127.0.0.1", listen, "pbadmin", "TEST_PGB_ADMIN", null),
        new ExternalPgBouncer.Login("127.0.0.1", listen, "postgres", "TEST_PGB_CLIENT", "disable"),
        platformPsql(), Duration.ofSeconds(10)), platform, runner, env);
  }

  private static String platformPsql() {
    return dev.lifeboat.activities.local.PgBinaries.locate(null).tool("psql");
  }

  @Test
  @Order(1)
  void routes_areTheFilesEntries_eachMatchedToTheInstanceAtItsHostAndPort() {
    bouncer.validate();

    assertThat(bouncer.routes()).containsExactly(new TrafficRoute(DB, "127.0.0.1", oldPort, OLD),
        new TrafficRoute("reporting", "127.0.0.1", oldPort, OLD));
    assertThat(bouncer.check(DB).port()).isEqualTo(oldPort);
    assertThat(bouncer.endpoint(DB)).isEqualTo(new Endpoint("127.0.0.1", listen, DB, "postgres"));
  }

  @Test
  @Order(2)
  void switchTo_rewritesOnlyThatEntry_keepingItsOptionsAndEveryOtherLine_andQueriesLandOnTheNewServer()
      throws Exception {
    Endpoint target = platform.findInstance(NEW).orElseThrow().endpoint();
    String ownerBefore = Files.getOwner(databasesFile).getName();

    TrafficRoute route = bouncer.switchTo(DB, target);

    assertThat(route).isEqualTo(new TrafficRoute(DB, "127.0.0.1", newPort, NEW));
    assertThat(Files.readString(databasesFile)).isEqualTo(original.replace(
        "techcorp = host=127.0.0.1 port=" + oldPort + " dbname=techcorp pool_size=5 connect_query='select 1'",
        "techcorp = host=127.0.0.1 port=" + newPort + " dbname=techcorp pool_size=5 connect_query='select 1'"));
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(databasesFile))).isEqualTo("rw-r-----");
    assertThat(Files.getOwner(databasesFile).getName()).isEqualTo(ownerBefore);
    assertThat(bouncer.pauses()).isEqualTo(1);
    TrafficCheck check = bouncer.check(DB);
    assertThat(check.inRecovery()).isFalse();
    assertThat(check.port()).isEqualTo(newPort);
    assertThat(check.systemIdentifier()).isEqualTo(local.queryString(NEW,
        "select system_identifier::text from pg_control_system()"))
        .isNotEqualTo(local.queryString(OLD, "select system_identifier::text from pg_control_system()"));
    try (Connection c = bouncer.dataSource(DB).getConnection(); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("select inet_server_port(), current_database()")) {
      rs.next();
      assertThat(rs.getInt(1)).isEqualTo(newPort);
      assertThat(rs.getString(2)).isEqualTo(DB);
    }
    try (Connection c = bouncer.dataSource("reporting").getConnection(); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("select inet_server_port()")) {
      rs.next();
      assertThat(rs.getInt(1)).as("the entry nobody switched").isEqualTo(oldPort);
    }
    assertThat(Files.list(dir).map(p -> p.getFileName().toString())).as("no temporary file left")
        .noneMatch(n -> n.contains("tmp"));
  }

  @Test
  @Order(3)
  void switchTo_retried_pausesNothing_andLeavesTheFileAsItIs() throws Exception {
    String before = Files.readString(databasesFile);
    int pauses = bouncer.pauses();

    TrafficRoute route = bouncer.switchTo(DB, platform.findInstance(NEW).orElseThrow().endpoint());

    assertThat(route.instance()).isEqualTo(NEW);
    assertThat(bouncer.pauses()).isEqualTo(pauses);
    assertThat(Files.readString(databasesFile)).isEqualTo(before);
    assertThat(bouncer.check(DB).port()).isEqualTo(newPort);
  }

  @Test
  @Order(4)
  void rehearsalRoutes_areAddedAsACopyOfTheEntry_andRemoved_butAProductionEntryNeverIs() throws Exception {
    String before = Files.readString(databasesFile);

    TrafficRoute added = bouncer.addRehearsalRoute(DRILL_DB, DB);

    assertThat(added).isEqualTo(new TrafficRoute(DRILL_DB, "127.0.0.1", newPort, NEW));
    assertThat(Files.readString(databasesFile)).isEqualTo(before + DRILL_DB + " = host=127.0.0.1 port=" + newPort
        + " dbname=techcorp pool_size=5 connect_query='select 1'\n");
    assertThat(bouncer.check(DRILL_DB).port()).isEqualTo(newPort);
    assertThat(bouncer.addRehearsalRoute(DRILL_DB, DB)).as("a retry").isEqualTo(added);
    // the drill switches its own entry; production's stays
    bouncer.switchTo(DRILL_DB, platform.findInstance(OLD).orElseThrow().endpoint());
    assertThat(bouncer.check(DRILL_DB).port()).isEqualTo(oldPort);
    assertThat(bouncer.check(DB).port()).isEqualTo(newPort);

    assertInvalid(() -> bouncer.removeRehearsalRoute(DB));
    assertInvalid(() -> bouncer.removeRehearsalRoute("reporting"));
    assertInvalid(() -> bouncer.addRehearsalRoute("techcorp_copy", DB));
    assertThat(bouncer.removeRehearsalRoute(DRILL_DB)).isTrue();

    assertThat(Files.readString(databasesFile)).isEqualTo(before);
    assertThatThrownBy(() -> bouncer.check(DRILL_DB)).isInstanceOf(LifeboatException.class);
    assertThat(bouncer.removeRehearsalRoute(DRILL_DB)).as("gone already").isFalse();
    assertThat(bouncer.check(DB).port()).isEqualTo(newPort);
  }

  @Test
  @Order(5)
  void aWrongAdminPassword_failsClearly_withoutThePassword_andChangesNothing() throws Exception {
    String before = Files.readString(databasesFile);
    ExternalPgBouncer wrong = router(Map.of("TEST_PGB_ADMIN", "not-it", "TEST_PGB_CLIENT", CLIENT_PASSWORD)::get);

    assertThatThrownBy(() -> wrong.switchTo(DB, platform.findInstance(OLD).orElseThrow().endpoint()))
        .isInstanceOfSatisfying(LifeboatException.class, e -> {
          assertThat(e.type()).isEqualTo(ErrorType.PLATFORM_ERROR);
          assertThat(e.getMessage()).contains("pbadmin@127.0.0.1:" + listen).contains("password")
              .doesNotContain("not-it");
        });
    assertThat(Files.readString(databasesFile)).isEqualTo(before);
    // what a failover's preflight asks before anything is fenced
    assertThatThrownBy(wrong::requireSwitchable).isInstanceOfSatisfying(LifeboatException.class,
        e -> assertThat(e.getMessage()).doesNotContain("not-it"));
    bouncer.requireSwitchable();
    assertThat(wrong.preflight(true)).filteredOn(c -> c.check().equals("pooler-admin"))
        .singleElement().satisfies(c -> assertThat(c.status()).isEqualTo(PreflightCheck.Status.WARN));
  }

  @Test
  @Order(6)
  void preflight_findsTheFileWritable_theConsoleAnswering_andEachEntrysInstance() {
    List<PreflightCheck> checks = bouncer.preflight(true);

    assertThat(checks).noneMatch(c -> c.status() != PreflightCheck.Status.OK);
    assertThat(checks).extracting(PreflightCheck::check)
        .containsExactly("pooler-databases-file", "pooler-admin", "pooler-entry", "pooler-entry");
    assertThat(checks).filteredOn(c -> c.check().equals("pooler-entry")).extracting(PreflightCheck::instance)
        .containsExactly(NEW, OLD);
  }

  @Test
  @Order(7)
  void validate_refusesAMissingFile_andAnUnsetPasswordVariable() {
    assertThatThrownBy(() -> router(dir.resolve("nosuch.ini"), ENV::get).validate())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("pooler.databasesFile")
        .hasMessageContaining("does not exist");
    assertThatThrownBy(() -> router(name -> null).validate())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("pooler.admin.passwordEnv")
        .hasMessageContaining("TEST_PGB_ADMIN");
    Path link = dir.resolve("databases-link.ini");
    try {
      Files.createSymbolicLink(link, databasesFile);
      assertThatThrownBy(() -> router(link, ENV::get).validate()).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("symbolic link");
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    assertThat(router(dir.resolve("nosuch.ini"), ENV::get).preflight(false))
        .filteredOn(c -> c.check().equals("pooler-databases-file")).singleElement()
        .satisfies(c -> assertThat(c.status()).isEqualTo(PreflightCheck.Status.WARN));
    assertThat(router(dir.resolve("nosuch.ini"), ENV::get).preflight(true))
        .filteredOn(c -> c.check().equals("pooler-databases-file")).singleElement()
        .satisfies(c -> assertThat(c.status()).isEqualTo(PreflightCheck.Status.FAIL));
  }

  private static void assertInvalid(org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
    assertThatThrownBy(call).isInstanceOfSatisfying(LifeboatException.class,
        e -> assertThat(e.type()).isEqualTo(ErrorType.INVALID_REQUEST));
  }
}
