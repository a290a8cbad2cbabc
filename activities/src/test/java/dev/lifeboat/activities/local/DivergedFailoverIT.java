package dev.lifeboat.activities.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.lifeboat.activities.testing.TestLocalPlatform;
import dev.lifeboat.common.failover.FenceResult;
import dev.lifeboat.common.failover.PromoteResult;
import dev.lifeboat.common.failover.RebuildResult;
import dev.lifeboat.common.failover.RepointResult;
import dev.lifeboat.common.model.InstanceRole;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The failovers that go less well: the promoted replica was behind the other one, which then
 * cannot follow it and is rebuilt; the old primary, which committed what the new one never got,
 * is rewound into its replica; and a primary that cannot be stopped is made read-only.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DivergedFailoverIT {
  private static final String PRIMARY = "dv-primary";
  private static final String BEHIND = "dv-behind";
  private static final String AHEAD = "dv-ahead";
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static TestLocalPlatform local;
  private static LocalPlatform platform;
  private static LocalFailover failover;

  @BeforeAll
  static void primaryWithTwoReplicas() throws SQLException {
    local = TestLocalPlatform.create("diverged");
    platform = local.platform();
    failover = platform.failover();
    platform.createPrimary(PRIMARY, "techcorp");
    local.sql(PRIMARY, "create table t (id int primary key)");
    platform.createReplica(BEHIND, PRIMARY);
    platform.createReplica(AHEAD, PRIMARY);
    local.sql(PRIMARY, "insert into t values (1)");
    awaitRow(BEHIND, 1);
    awaitRow(AHEAD, 1);
  }

  @AfterAll
  static void tearDown() {
    if (local != null) {
      local.close();
    }
  }

  @Test
  @Order(1)
  void repoint_ofAReplicaAheadOfThePromotedOne_rebuildsIt_andARetrySaysAlreadyFollowing() throws Exception {
    // cut BEHIND off its primary and the archive, then write what only AHEAD receives
    local.sql(BEHIND, "alter system set primary_conninfo = 'host=127.0.0.1 port=1 user=postgres'");
    local.sql(BEHIND, "alter system set restore_command = ''");
    local.sql(BEHIND, "select pg_reload_conf()");
    await().atMost(WAIT).until(() -> count(BEHIND, "select count(*) from pg_stat_wal_receiver"
        + " where status = 'streaming'") == 0);
    local.sql(PRIMARY, "insert into t values (2)");
    awaitRow(AHEAD, 2);
    assertThat(failover.measure(BEHIND).lagBytes()).isPositive();
    assertThat(failover.fence(PRIMARY).how()).isEqualTo("stopped");
    PromoteResult promoted = failover.promote(BEHIND);

    RepointResult result = failover.repoint(AHEAD, BEHIND);

    assertThat(result.how()).isEqualTo("rebuilt");
    local.sql(BEHIND, "insert into t values (3)");
    awaitRow(AHEAD, 3);
    // row 2 never reached the new primary: it is the failover's data loss
    assertThat(local.ids(AHEAD, "t")).containsExactly(1, 3);
    assertThat(platform.findInstance(AHEAD).orElseThrow().source()).isEqualTo(BEHIND);
    assertThat(platform.findInstance(AHEAD).orElseThrow().role()).isEqualTo(InstanceRole.REPLICA);
    assertThat(platform.verify(AHEAD, null).inRecovery()).isTrue();
    assertThat(failover.measure(AHEAD).primaryReachable()).isTrue();
    assertThat(promoted.timeline()).isEqualTo(2);

    assertThat(failover.repoint(AHEAD, BEHIND).how()).isEqualTo("already-following");
  }

  @Test
  @Order(2)
  void rebuild_ofTheDivergedFormerPrimary_rewindsIt_andKeepsWhatTheNewPrimaryNeverGotAside() throws Exception {
    // row 2 was committed on PRIMARY after BEHIND stopped following: PRIMARY's WAL forked from BEHIND's timeline
    RebuildResult result = failover.rebuild(PRIMARY, BEHIND);

    assertThat(result.how()).as(result.why()).isEqualTo("rewound");
    assertThat(Path.of(result.preserved()).resolve("PG_VERSION")).exists();
    local.sql(BEHIND, "insert into t values (5)");
    awaitRow(PRIMARY, 5);
    assertThat(local.ids(PRIMARY, "t")).containsExactly(1, 3, 5);
    assertThat(platform.findInstance(PRIMARY).orElseThrow().role()).isEqualTo(InstanceRole.REPLICA);
    assertThat(platform.findInstance(PRIMARY).orElseThrow().source()).isEqualTo(BEHIND);

    assertThat(failover.rebuild(PRIMARY, BEHIND).how()).isEqualTo("already-replica");
  }

  @Test
  @Order(3)
  void fence_whenThePrimaryCannotBeStopped_makesItReadOnly_andARetrySaysAlreadyFenced() throws Exception {
    try (Connection held = platform.connection(BEHIND)) {
      FenceResult result = failover.fence(BEHIND, false);

      assertThat(result.how()).isEqualTo("read-only");
      assertThat(result.lastLsn()).isNotNull();
      assertThat(result.lastCommit()).isNotNull();
      assertThatThrownBy(() -> execute(held, "select 1")).isInstanceOf(SQLException.class);
      assertThatThrownBy(() -> local.sql(BEHIND, "insert into t values (4)"))
          .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("25006"));
      assertThat(platform.findInstance(BEHIND).orElseThrow().status()).isEqualTo("fenced");

      FenceResult again = failover.fence(BEHIND);
      assertThat(again.how()).isEqualTo("already-fenced");
      assertThat(again.lastLsn()).isEqualTo(result.lastLsn());
    }
  }

  private static void awaitRow(String instance, int id) {
    local.awaitId(instance, "t", id, WAIT);
  }

  private static long count(String instance, String sql) throws SQLException {
    return Long.parseLong(local.queryString(instance, sql));
  }

  private static void execute(Connection c, String sql) throws SQLException {
    try (Statement st = c.createStatement()) {
      st.execute(sql);
    }
  }
}
