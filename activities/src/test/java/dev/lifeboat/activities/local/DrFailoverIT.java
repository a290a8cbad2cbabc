package dev.lifeboat.activities.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lifeboat.activities.testing.TestLocalPlatform;
import dev.lifeboat.common.ErrorType;
import dev.lifeboat.common.LifeboatException;
import dev.lifeboat.common.failover.DrCopyState;
import dev.lifeboat.common.failover.DrReplicaResult;
import dev.lifeboat.common.failover.DrRestoreResult;
import dev.lifeboat.common.model.InstanceInfo;
import dev.lifeboat.common.model.InstanceRole;
import dev.lifeboat.common.platform.ProgressListener;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Restore-in-dr on real clusters, step by step as the workflow runs it: measure what the DR region
 * holds, fence the primary, restore the newest copy and its WAL there as a permanent primary,
 * recreate the analytics replica beside it. The restore and the replica are also run twice.
 * First, while the primary still runs, a failover drill's rehearsal of the same restore: temporary
 * copies of the primary and the replica in the DR region, deleted afterwards, production unchanged.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DrFailoverIT {
  private static final String HOME = "local-1";
  private static final String DR = "dr-1";
  private static final String PRIMARY = "drf-primary";
  private static final String ANALYTICS = "drf-analytics";
  private static final String NEW_PRIMARY = "drf-primary-dr";
  private static final String NEW_REPLICA = "drf-analytics-dr";
  private static final String RUN = "failover-drf-primary-test0001";
  private static final String DRILL_RUN = "drill-drf-primary-test0002";
  private static final String DRILL_PRIMARY = "drf-drill-primary";
  private static final String DRILL_REPLICA = "drf-drill-analytics";
  private static final Instant DRILL_EXPIRES = Instant.now().truncatedTo(ChronoUnit.SECONDS).plus(Duration.ofHours(2));
  private static TestLocalPlatform local;
  private static LocalPlatform platform;
  private static LocalFailover failover;
  private static DrRestoreResult restored;
  private static DrRestoreResult rehearsed;

  /** Rows 1-3 reach the DR region (3 with the WAL copied after the snapshot); row 4 is written after the copy. */
  @BeforeAll
  static void primaryCopiedToDr() throws SQLException {
    local = TestLocalPlatform.create("dr-failover", c -> c.withDrRegions(List.of(DR)));
    platform = local.platform();
    failover = platform.failover();
    platform.createPrimary(PRIMARY, "techcorp");
    platform.createReplica(ANALYTICS, PRIMARY);
    local.sql(PRIMARY, "create table t (id int primary key, note text)");
    local.sql(PRIMARY, "insert into t values (1, 'before the snapshot'), (2, 'before the snapshot')");
    platform.createSnapshot(PRIMARY, "drf-snap", Map.of(), ProgressListener.NONE);
    local.sql(PRIMARY, "insert into t values (3, 'after the snapshot, copied as WAL')");
    assertThat(platform.archiveNow(PRIMARY)).isTrue();
    platform.copySnapshot(HOME, "drf-snap", DR, ProgressListener.NONE);
    local.sql(PRIMARY, "insert into t values (4, 'after the copy: lost with the region')");
  }

  @AfterAll
  static void tearDown() {
    if (local != null) {
      local.close();
    }
  }

  @Test
  @Order(1)
  void measureRegion_namesTheCopy_itsAge_andTheLossAgainstThePrimarysNewestCommit() throws SQLException {
    DrCopyState copy = failover.measureRegion(PRIMARY, DR);

    assertThat(copy.snapshotId()).isEqualTo("drf-snap");
    assertThat(copy.region()).isEqualTo(DR);
    assertThat(copy.copyAge()).isPositive();
    assertThat(copy.newestRestorable()).isAfterOrEqualTo(commitTime(PRIMARY, 3)).isBefore(commitTime(PRIMARY, 4));
    assertThat(copy.primaryReachable()).isTrue();
    assertThat(copy.primaryLastCommit()).isEqualTo(commitTime(PRIMARY, 4));
    assertThat(copy.expectedDataLoss())
        .isEqualTo(Duration.between(copy.newestRestorable(), copy.primaryLastCommit())).isPositive();
    assertType(() -> failover.measureRegion(PRIMARY, HOME), ErrorType.REGION_NOT_FOUND);
  }

  @Test
  @Order(2)
  void rehearseRestoreInRegion_whileThePrimaryRuns_isAWritableTemporaryCopyOfTheNewestRestorablePoint()
      throws Exception {
    Instant newest = failover.measureRegion(PRIMARY, DR).newestRestorable();

    rehearsed = failover.rehearseRestoreInRegion(PRIMARY, DR, DRILL_PRIMARY, DRILL_RUN, DRILL_EXPIRES);

    assertThat(rehearsed.alreadyRestored()).isFalse();
    assertThat(rehearsed.source()).isEqualTo(PRIMARY);
    assertThat(rehearsed.region()).isEqualTo(DR);
    assertThat(rehearsed.snapshotId()).isEqualTo("drf-snap");
    assertThat(rehearsed.restoredTo()).isEqualTo(newest);
    assertThat(rehearsed.timeline()).isGreaterThan(1);
    assertDrillInstance(DRILL_PRIMARY, PRIMARY);
    assertThat(local.ids(DRILL_PRIMARY, "t")).as("up to the newest copied commit").containsExactly(1, 2, 3);
    local.sql(DRILL_PRIMARY, "insert into t values (20, 'written on the drill copy')");
    assertThat(local.queryString(DRILL_PRIMARY, "show archive_mode")).isEqualTo("off");
    assertThat(local.dataRoot().resolve("regions").resolve(DR).resolve("wal").resolve(DRILL_PRIMARY)).doesNotExist();
    assertProductionUnchanged();
  }

  @Test
  @Order(3)
  void rehearseRestoreInRegion_retried_answersTheCopy_andRefusesAnotherRunsOrAProductionInstance() throws Exception {
    DrRestoreResult again = failover.rehearseRestoreInRegion(PRIMARY, DR, DRILL_PRIMARY, DRILL_RUN, DRILL_EXPIRES);

    assertThat(again.alreadyRestored()).isTrue();
    assertThat(again.restoredTo()).isEqualTo(rehearsed.restoredTo());
    assertThat(again.systemIdentifier()).isEqualTo(rehearsed.systemIdentifier());
    assertThat(local.ids(DRILL_PRIMARY, "t")).as("not restored again").containsExactly(1, 2, 3, 20);
    assertType(() -> failover.rehearseRestoreInRegion(PRIMARY, DR, DRILL_PRIMARY, "drill-other-run", DRILL_EXPIRES),
        ErrorType.INVALID_REQUEST);
    assertType(() -> failover.rehearseRestoreInRegion(PRIMARY, DR, ANALYTICS, DRILL_RUN, DRILL_EXPIRES),
        ErrorType.INVALID_REQUEST);
    assertType(() -> failover.rehearseRestoreInRegion(PRIMARY, HOME, "drf-drill-home", DRILL_RUN, DRILL_EXPIRES),
        ErrorType.REGION_NOT_FOUND);
    assertType(() -> failover.createTemporaryReplica(DRILL_REPLICA, PRIMARY, ANALYTICS, DRILL_RUN, DRILL_EXPIRES),
        ErrorType.INVALID_REQUEST);
    assertThat(platform.findInstance(DRILL_REPLICA)).isEmpty();
    assertProductionUnchanged();
  }

  @Test
  @Order(4)
  void createTemporaryReplica_streamsARowWrittenOnTheDrillPrimary_andARetrySaysSo() throws Exception {
    DrReplicaResult replica = failover.createTemporaryReplica(DRILL_REPLICA, DRILL_PRIMARY, ANALYTICS, DRILL_RUN,
        DRILL_EXPIRES);

    assertThat(replica.how()).isEqualTo(LocalFailover.CREATED);
    assertThat(replica.primary()).isEqualTo(DRILL_PRIMARY);
    assertDrillInstance(DRILL_REPLICA, DRILL_PRIMARY);
    assertThat(platform.listTemporaryInstances()).extracting(InstanceInfo::id)
        .containsExactlyInAnyOrder(DRILL_PRIMARY, DRILL_REPLICA);
    local.sql(DRILL_PRIMARY, "insert into t values (21, 'streamed to the drill replica')");
    local.awaitId(DRILL_REPLICA, "t", 21, Duration.ofSeconds(20));
    assertThat(local.ids(DRILL_REPLICA, "t")).containsExactly(1, 2, 3, 20, 21);
    assertThat(local.queryString(DRILL_REPLICA, "select pg_is_in_recovery()")).isEqualTo("t");
    assertThat(local.queryString(DRILL_REPLICA, "select sender_port from pg_stat_wal_receiver"))
        .isEqualTo(Integer.toString(platform.findInstance(DRILL_PRIMARY).orElseThrow().endpoint().port()));
    assertThat(local.dataRoot().resolve("regions").resolve(DR).resolve("wal").resolve(DRILL_REPLICA)).doesNotExist();

    assertThat(failover.createTemporaryReplica(DRILL_REPLICA, DRILL_PRIMARY, ANALYTICS, DRILL_RUN, DRILL_EXPIRES)
        .how()).isEqualTo(LocalFailover.ALREADY_STREAMING);
    assertType(() -> failover.createTemporaryReplica(DRILL_REPLICA, DRILL_PRIMARY, ANALYTICS, "drill-other-run",
        DRILL_EXPIRES), ErrorType.INVALID_REQUEST);
    assertType(() -> failover.createTemporaryReplica(ANALYTICS, DRILL_PRIMARY, ANALYTICS, DRILL_RUN, DRILL_EXPIRES),
        ErrorType.INVALID_REQUEST);
    assertProductionUnchanged();
  }

  @Test
  @Order(5)
  void deleteTemporaryInstance_removesTheDrillsReplicaAndPrimary_andProductionIsAsBefore() throws Exception {
    assertThat(platform.deleteTemporaryInstance(DRILL_REPLICA)).isTrue();
    assertThat(platform.deleteTemporaryInstance(DRILL_PRIMARY)).isTrue();

    assertThat(platform.findInstance(DRILL_REPLICA)).isEmpty();
    assertThat(platform.findInstance(DRILL_PRIMARY)).isEmpty();
    assertThat(platform.listTemporaryInstances()).isEmpty();
    assertThat(local.dataRoot().resolve("instances").resolve(DRILL_PRIMARY)).doesNotExist();
    assertThat(local.dataRoot().resolve("instances").resolve(DRILL_REPLICA)).doesNotExist();
    assertProductionUnchanged();
    assertThat(local.ids(PRIMARY, "t")).containsExactly(1, 2, 3, 4);
  }

  @Test
  @Order(6)
  void restoreInRegion_whileThePrimaryRunsUnfenced_isRefused() {
    assertType(() -> failover.restoreInRegion(PRIMARY, DR, NEW_PRIMARY, null, RUN), ErrorType.INVALID_REQUEST);
    assertThat(platform.findInstance(NEW_PRIMARY)).isEmpty();
  }

  @Test
  @Order(7)
  void restoreInRegion_afterTheFence_isAPermanentPrimaryInTheRegion_withTheCopiedRows_thatTakesWrites()
      throws Exception {
    failover.fence(PRIMARY);

    restored = failover.restoreInRegion(PRIMARY, DR, NEW_PRIMARY, null, RUN);

    assertThat(restored.alreadyRestored()).isFalse();
    assertThat(restored.snapshotId()).isEqualTo("drf-snap");
    assertThat(restored.timeline()).isGreaterThan(1);
    InstanceInfo info = platform.findInstance(NEW_PRIMARY).orElseThrow();
    assertThat(info.role()).isEqualTo(InstanceRole.PRIMARY);
    assertThat(info.region()).isEqualTo(DR);
    assertThat(info.expiresAt()).isNull();
    assertThat(info.source()).isEqualTo(PRIMARY);
    assertThat(info.status()).isEqualTo("available");
    assertThat(platform.listTemporaryInstances()).isEmpty();
    assertThat(platform.findInstance(PRIMARY).orElseThrow().role()).isEqualTo(InstanceRole.FORMER_PRIMARY);
    assertThat(local.ids(NEW_PRIMARY, "t")).containsExactly(1, 2, 3);
    local.sql(NEW_PRIMARY, "insert into t values (10, 'written on the DR primary')");
    assertThat(local.queryString(NEW_PRIMARY, "show archive_mode")).isEqualTo("on");
    // it archives into its own archive in the DR region, starting with its new timeline's history
    assertThat(platform.archiveNow(NEW_PRIMARY)).isTrue();
    Path archive = local.dataRoot().resolve("regions").resolve(DR).resolve("wal").resolve(NEW_PRIMARY);
    assertThat(archive.resolve(String.format("%08X.history.zst", restored.timeline()))).exists();
    try (var files = Files.list(archive)) {
      assertThat(files.filter(f -> f.getFileName().toString().endsWith(".zst")).count()).isGreaterThan(1);
    }
  }

  @Test
  @Order(8)
  void restoreInRegion_retried_findsTheInstanceItCreated_andDoesNotRestoreAgain() throws Exception {
    int port = platform.findInstance(NEW_PRIMARY).orElseThrow().endpoint().port();

    DrRestoreResult again = failover.restoreInRegion(PRIMARY, DR, NEW_PRIMARY, null, RUN);

    assertThat(again.alreadyRestored()).isTrue();
    assertThat(again.restoredTo()).isEqualTo(restored.restoredTo());
    assertThat(again.systemIdentifier()).isEqualTo(restored.systemIdentifier());
    assertThat(platform.findInstance(NEW_PRIMARY).orElseThrow().endpoint().port()).isEqualTo(port);
    assertThat(local.ids(NEW_PRIMARY, "t")).as("the row written since is still there").containsExactly(1, 2, 3, 10);
    assertType(() -> failover.restoreInRegion(PRIMARY, DR, ANALYTICS, null, RUN), ErrorType.INVALID_REQUEST);
  }

  @Test
  @Order(9)
  void createReplica_streamsARowWrittenOnTheNewPrimary_andARetrySaysSo() throws Exception {
    DrReplicaResult replica = failover.createReplica(NEW_REPLICA, NEW_PRIMARY, ANALYTICS);

    assertThat(replica.how()).isEqualTo(LocalFailover.CREATED);
    InstanceInfo info = platform.findInstance(NEW_REPLICA).orElseThrow();
    assertThat(info.role()).isEqualTo(InstanceRole.REPLICA);
    assertThat(info.region()).isEqualTo(DR);
    assertThat(info.source()).isEqualTo(NEW_PRIMARY);
    local.sql(NEW_PRIMARY, "insert into t values (11, 'streamed to the DR replica')");
    local.awaitId(NEW_REPLICA, "t", 11, Duration.ofSeconds(20));
    assertThat(local.ids(NEW_REPLICA, "t")).containsExactly(1, 2, 3, 10, 11);

    assertThat(failover.createReplica(NEW_REPLICA, NEW_PRIMARY, ANALYTICS).how())
        .isEqualTo(LocalFailover.ALREADY_STREAMING);
  }

  /** A temporary instance of the drill in the DR region, which the reaper and the orphan sweeper see as the drill's. */
  private static void assertDrillInstance(String id, String source) {
    InstanceInfo info = platform.findInstance(id).orElseThrow();
    assertThat(info.role()).isEqualTo(InstanceRole.TEMPORARY);
    assertThat(info.region()).isEqualTo(DR);
    assertThat(info.source()).isEqualTo(source);
    assertThat(info.runId()).isEqualTo(DRILL_RUN);
    assertThat(info.expiresAt()).isEqualTo(DRILL_EXPIRES);
    assertThat(info.status()).isEqualTo("available");
  }

  /** The primary still takes writes, unfenced, and its replica still streams from it. */
  private static void assertProductionUnchanged() throws SQLException {
    InstanceInfo primary = platform.findInstance(PRIMARY).orElseThrow();
    assertThat(primary.role()).isEqualTo(InstanceRole.PRIMARY);
    assertThat(primary.status()).isEqualTo("available");
    assertThat(primary.region()).isEqualTo(HOME);
    assertThat(local.queryString(PRIMARY, "select pg_is_in_recovery()")).isEqualTo("f");
    assertThat(local.queryString(PRIMARY, "show default_transaction_read_only")).isEqualTo("off");
    assertThat(local.dataRoot().resolve("instances").resolve(PRIMARY).resolve(LocalFailover.FENCE_FILE)).doesNotExist();
    InstanceInfo analytics = platform.findInstance(ANALYTICS).orElseThrow();
    assertThat(analytics.role()).isEqualTo(InstanceRole.REPLICA);
    assertThat(analytics.source()).isEqualTo(PRIMARY);
    assertThat(local.queryString(ANALYTICS, "select sender_port from pg_stat_wal_receiver where status = 'streaming'"))
        .isEqualTo(Integer.toString(primary.endpoint().port()));
  }

  private static Instant commitTime(String instance, int id) throws SQLException {
    try (Connection c = platform.connection(instance); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("select pg_xact_commit_timestamp(xmin) from t where id = " + id)) {
      rs.next();
      return rs.getObject(1, OffsetDateTime.class).toInstant();
    }
  }

  private static void assertType(ThrowingCallable call, ErrorType type) {
    assertThatThrownBy(call).isInstanceOfSatisfying(LifeboatException.class, e -> assertThat(e.type()).isEqualTo(type));
  }
}
