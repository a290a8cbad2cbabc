package dev.lifeboat.activities.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.lifeboat.activities.testing.TestLocalPlatform;
import dev.lifeboat.common.ErrorType;
import dev.lifeboat.common.LifeboatException;
import dev.lifeboat.common.failover.FenceResult;
import dev.lifeboat.common.failover.PromoteResult;
import dev.lifeboat.common.failover.RebuildResult;
import dev.lifeboat.common.failover.ReplicaState;
import dev.lifeboat.common.failover.RepointResult;
import dev.lifeboat.common.model.InstanceInfo;
import dev.lifeboat.common.model.InstanceRole;
import dev.lifeboat.common.model.RestorePlan;
import dev.lifeboat.common.model.RestoreSpec;
import dev.lifeboat.common.model.RestoreWindow;
import dev.lifeboat.common.model.SnapshotInfo;
import dev.lifeboat.common.platform.ProgressListener;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * A planned failover on real clusters, step by step as the workflow runs it: measure the
 * candidate, fence the primary, promote the candidate, re-point the other replica, then snapshot
 * and restore the new primary on its new timeline. Every step is also run twice.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LocalFailoverIT {
  private static final String PRIMARY = "fo-primary";
  private static final String REPLICA = "fo-replica-1";
  private static final String OTHER = "fo-analytics";
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static TestLocalPlatform local;
  private static LocalPlatform platform;
  private static LocalFailover failover;
  private static FenceResult fenced;
  private static PromoteResult promoted;

  @BeforeAll
  static void primaryWithTwoReplicas() throws SQLException {
    local = TestLocalPlatform.create("failover");
    platform = local.platform();
    failover = platform.failover();
    platform.createPrimary(PRIMARY, "techcorp");
    local.sql(PRIMARY, "create table t (id int primary key, note text)");
    platform.createSnapshot(PRIMARY, "before-failover", Map.of(), ProgressListener.NONE);
    platform.createReplica(REPLICA, PRIMARY);
    platform.createReplica(OTHER, PRIMARY);
    // a commit replayed by both since they started: pg_last_xact_replay_timestamp() is set
    local.sql(PRIMARY, "insert into t values (1, 'before')");
    awaitRow(REPLICA, 1);
    awaitRow(OTHER, 1);
  }

  @AfterAll
  static void tearDown() {
    if (local != null) {
      local.close();
    }
  }

  @Test
  @Order(1)
  void measure_whileReplayIsPaused_showsLagInBytesAndTime_thenZeroWhenCaughtUp() throws Exception {
    local.sql(REPLICA, "select pg_wal_replay_pause()");
    local.sql(PRIMARY, "insert into t values (2, 'behind')");
    Thread.sleep(50);
    local.sql(PRIMARY, "insert into t values (3, 'behind')");

    ReplicaState lagging = failover.measure(REPLICA);

    assertThat(lagging.primary()).isEqualTo(PRIMARY);
    assertThat(lagging.primaryReachable()).isTrue();
    assertThat(lagging.inRecovery()).isTrue();
    assertThat(lagging.lagBytes()).isPositive();
    assertThat(lagging.primaryLastCommit()).isAfter(lagging.lastReplayedCommit());
    assertThat(lagging.expectedDataLoss()).isPositive()
        .isEqualTo(Duration.between(lagging.lastReplayedCommit(), lagging.primaryLastCommit()));
    assertThat(local.ids(REPLICA, "t")).containsExactly(1);

    local.sql(REPLICA, "select pg_wal_replay_resume()");

    await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
      ReplicaState caughtUp = failover.measure(REPLICA);
      assertThat(caughtUp.lagBytes()).isZero();
      assertThat(caughtUp.expectedDataLoss()).isZero();
      assertThat(caughtUp.lastReplayedCommit()).isEqualTo(caughtUp.primaryLastCommit());
    });
  }

  @Test
  @Order(2)
  void measure_ofAPrimaryOrAnUnknownInstance_isRefused() {
    assertType(() -> failover.measure(PRIMARY), ErrorType.INVALID_REQUEST);
    assertType(() -> failover.measure("no-such-db"), ErrorType.INSTANCE_NOT_FOUND);
    assertType(() -> failover.fence(REPLICA), ErrorType.INVALID_REQUEST);
  }

  @Test
  @Order(3)
  void fence_stopsTheRunningPrimary_andARetrySaysAlreadyFenced() throws Exception {
    local.sql(PRIMARY, "insert into t values (4, 'last before the failover')");
    Instant lastWrite = commitTime(PRIMARY, 4);
    int port = platform.findInstance(PRIMARY).orElseThrow().endpoint().port();

    fenced = failover.fence(PRIMARY);

    assertThat(fenced.how()).isEqualTo("stopped");
    assertThat(fenced.lastLsn()).isNotNull();
    assertThat(fenced.lastCommit()).isEqualTo(lastWrite);
    assertThat(Ports.isListening(port)).isFalse();
    assertThat(platform.findInstance(PRIMARY).orElseThrow().status()).isEqualTo("fenced");

    FenceResult again = failover.fence(PRIMARY);
    assertThat(again.how()).isEqualTo("already-fenced");
    assertThat(again.lastLsn()).isEqualTo(fenced.lastLsn());
    assertThat(again.lastCommit()).isEqualTo(fenced.lastCommit());
    assertThat(again.fencedAt()).isEqualTo(fenced.fencedAt());

    platform.startAll();
    assertThat(Ports.isListening(port)).as("a fenced primary is never started again").isFalse();
  }

  @Test
  @Order(4)
  void measure_whenThePrimaryIsDown_saysUnreachable_andTheReplicaHasAllItWrote() {
    ReplicaState state = failover.measure(REPLICA);

    assertThat(state.primaryReachable()).isFalse();
    assertThat(state.lagBytes()).isNull();
    assertThat(state.primaryLastCommit()).isNull();
    assertThat(state.expectedDataLoss()).isNull();
    // a fast shutdown sends everything, its shutdown checkpoint included, to connected standbys
    assertThat(WalSegment.parseLsn(state.replayLsn())).isGreaterThanOrEqualTo(WalSegment.parseLsn(fenced.lastLsn()));
    assertThat(state.lastReplayedCommit()).isEqualTo(fenced.lastCommit());
  }

  @Test
  @Order(5)
  void promote_makesTheReplicaWritableOnANewTimeline_andARetrySaysAlreadyPromoted() throws Exception {
    String lineage = local.queryString(OTHER, "select system_identifier::text from pg_control_system()");

    promoted = failover.promote(REPLICA);

    assertThat(promoted.alreadyPromoted()).isFalse();
    assertThat(promoted.timeline()).isEqualTo(2);
    assertThat(promoted.systemIdentifier()).isEqualTo(lineage);
    assertThat(promoted.lastReplayedCommit()).isEqualTo(fenced.lastCommit());
    local.sql(REPLICA, "insert into t values (5, 'on the new primary')");
    assertThat(platform.verify(REPLICA, null).inRecovery()).isFalse();

    PromoteResult again = failover.promote(REPLICA);
    assertThat(again.alreadyPromoted()).isTrue();
    assertThat(again.timeline()).isEqualTo(2);
    assertThat(again.promotedAt()).isEqualTo(promoted.promotedAt());
    assertThat(failover.measure(REPLICA).inRecovery()).isFalse();

    InstanceInfo newPrimary = platform.findInstance(REPLICA).orElseThrow();
    InstanceInfo former = platform.findInstance(PRIMARY).orElseThrow();
    assertThat(newPrimary.role()).isEqualTo(InstanceRole.PRIMARY);
    assertThat(newPrimary.status()).isEqualTo("available");
    assertThat(former.role()).isEqualTo(InstanceRole.FORMER_PRIMARY);
    assertThat(former.status()).isEqualTo("fenced");
    assertThat(local.dataRoot().resolve("regions/local-1/wal").resolve(REPLICA).resolve("00000002.history.zst"))
        .exists();
    assertType(() -> platform.createSnapshot(PRIMARY, "of-the-former", Map.of(), ProgressListener.NONE),
        ErrorType.INVALID_REQUEST);
  }

  @Test
  @Order(6)
  void repoint_makesTheOtherReplicaStreamFromTheNewPrimary_andARetrySaysAlreadyFollowing() throws Exception {
    RepointResult result = failover.repoint(OTHER, REPLICA);

    assertThat(result.how()).isEqualTo("followed");
    local.sql(REPLICA, "insert into t values (6, 'streamed on timeline 2')");
    awaitRow(OTHER, 6);
    assertThat(local.ids(OTHER, "t")).containsExactly(1, 2, 3, 4, 5, 6);
    assertThat(platform.findInstance(OTHER).orElseThrow().source()).isEqualTo(REPLICA);
    assertThat(platform.verify(OTHER, null).inRecovery()).isTrue();

    assertThat(failover.repoint(OTHER, REPLICA).how()).isEqualTo("already-following");
    assertType(() -> failover.repoint(OTHER, PRIMARY), ErrorType.INVALID_REQUEST);
  }

  @Test
  @Order(7)
  void snapshotAndRestore_ofTheNewPrimary_workOnItsNewTimeline() throws Exception {
    SnapshotInfo snapshot = platform.createSnapshot(REPLICA, "after-failover", Map.of(), ProgressListener.NONE);
    local.sql(REPLICA, "insert into t values (7, 'after the snapshot')");
    Thread.sleep(20);
    Instant target = Instant.now();
    Thread.sleep(20);
    local.sql(REPLICA, "insert into t values (8, 'after the target')");

    RestorePlan plan = platform.planRestore(REPLICA, target);
    InstanceInfo restored = platform.restoreToPointInTime(new RestoreSpec("lb-pitr-after-failover", REPLICA, target,
        plan.snapshotId(), "restore-after-failover", "tester", Instant.now().plusSeconds(3600), null),
        ProgressListener.NONE);

    assertThat(plan.snapshotId()).isEqualTo("after-failover");
    assertThat(local.ids(restored.id(), "t")).containsExactly(1, 2, 3, 4, 5, 6, 7);
    RestoreWindow window = platform.restoreWindow(REPLICA);
    assertThat(window.earliest()).isEqualTo(snapshot.stoppedAt());
    assertThat(window.latest()).isAfterOrEqualTo(target);
    assertThat(window.gaps()).isEmpty();
    // the old timeline stays restorable from the former primary's own snapshots and archive
    // (the fence switched WAL before the stop, so the archive ends where the old primary did)
    RestoreWindow before = platform.restoreWindow(PRIMARY);
    assertThat(before.earliest()).isNotNull();
    assertThat(before.latest()).isEqualTo(fenced.lastCommit());
    assertThat(platform.deleteTemporaryInstance(restored.id())).isTrue();
  }

  @Test
  @Order(8)
  void rebuild_ofTheFormerPrimary_givesAStreamingReplicaOfTheNewPrimary_andARetrySaysAlreadyReplica()
      throws Exception {
    assertType(() -> failover.rebuild(PRIMARY, OTHER), ErrorType.INVALID_REQUEST);
    assertType(() -> failover.rebuild(OTHER, REPLICA), ErrorType.INVALID_REQUEST);
    assertType(() -> failover.rebuild(REPLICA, PRIMARY), ErrorType.INVALID_REQUEST);
    assertType(() -> failover.rebuild("no-such-db", REPLICA), ErrorType.INSTANCE_NOT_FOUND);

    // the plain case (it lost nothing) by the fallback; DivergedFailoverIT rewinds
    RebuildResult result = failover.rebuild(PRIMARY, REPLICA, false);

    assertThat(result.how()).isEqualTo("base-backup");
    assertThat(result.why()).isNotBlank();
    Path preserved = Path.of(result.preserved());
    assertThat(preserved.getParent()).isEqualTo(local.dataRoot().resolve("preserved"));
    assertThat(preserved.resolve("PG_VERSION")).exists();
    local.sql(REPLICA, "insert into t values (9, 'written on the new primary after the rebuild')");
    awaitRow(PRIMARY, 9);
    assertThat(local.ids(PRIMARY, "t")).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9);
    InstanceInfo rebuilt = platform.findInstance(PRIMARY).orElseThrow();
    assertThat(rebuilt.role()).isEqualTo(InstanceRole.REPLICA);
    assertThat(rebuilt.source()).isEqualTo(REPLICA);
    assertThat(rebuilt.status()).isEqualTo("available");
    assertThat(local.queryString(PRIMARY, "select status from pg_stat_wal_receiver")).isEqualTo("streaming");
    assertThat(failover.measure(PRIMARY).primary()).isEqualTo(REPLICA);

    RebuildResult again = failover.rebuild(PRIMARY, REPLICA);
    assertThat(again.how()).isEqualTo("already-replica");
    assertThat(again.preserved()).isEqualTo(result.preserved());
  }

  private static void awaitRow(String instance, int id) {
    local.awaitId(instance, "t", id, WAIT);
  }

  /** The commit time of the transaction that wrote a row (track_commit_timestamp is on). */
  private static Instant commitTime(String instance, int id) throws SQLException {
    try (Connection c = platform.connection(instance); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("select pg_xact_commit_timestamp(xmin) from t where id = " + id)) {
      rs.next();
      return rs.getObject(1, java.time.OffsetDateTime.class).toInstant();
    }
  }

  private static void assertType(ThrowingCallable call, ErrorType type) {
    assertThatThrownBy(call).isInstanceOfSatisfying(LifeboatException.class, e -> assertThat(e.type()).isEqualTo(type));
  }
}
