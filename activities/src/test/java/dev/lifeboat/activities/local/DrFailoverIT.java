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
  private static TestLocalPlatform local;
  private static LocalPlatform platform;
  private static LocalFailover failover;
  private static DrRestoreResult restored;

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
  void restoreInRegion_whileThePrimaryRunsUnfenced_isRefused() {
    assertType(() -> failover.restoreInRegion(PRIMARY, DR, NEW_PRIMARY, null, RUN), ErrorType.INVALID_REQUEST);
    assertThat(platform.findInstance(NEW_PRIMARY)).isEmpty();
  }

  @Test
  @Order(3)
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
  @Order(4)
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
  @Order(5)
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
