package dev.lifeboat.activities.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.lifeboat.activities.testing.TestLocalPlatform;
import dev.lifeboat.common.ErrorType;
import dev.lifeboat.common.LifeboatException;
import dev.lifeboat.common.model.RestorePlan;
import dev.lifeboat.common.model.RestoreSpec;
import dev.lifeboat.common.model.RestoreWindow;
import dev.lifeboat.common.model.SnapshotInfo;
import dev.lifeboat.common.platform.ProgressListener;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A primary whose archive lost a segment in the middle: restores across it must fail typed. */
class WalGapIT {
  private static final String PRIMARY = "gap-primary";
  private static TestLocalPlatform local;
  private static LocalPlatform platform;
  private static SnapshotInfo snapshot;
  private static Instant beforeGap;
  private static Instant afterGap;
  private static String deletedSegment;

  @BeforeAll
  static void archiveWithAGap() throws Exception {
    local = TestLocalPlatform.create("wal-gap");
    platform = local.platform();
    platform.createPrimary(PRIMARY);
    sql("create table t (id int)");
    snapshot = platform.createSnapshot(PRIMARY, "gap-snap", Map.of(), ProgressListener.NONE);

    sql("insert into t values (1)");
    beforeGap = Instant.now();
    sql("insert into t values (2)");
    switchAndAwaitArchived();
    sql("insert into t values (3)");
    deletedSegment = switchAndAwaitArchived();
    sql("insert into t values (4)");
    afterGap = Instant.now();
    sql("insert into t values (5)");
    switchAndAwaitArchived();

    Files.delete(archiveDir().resolve(deletedSegment + ".zst"));
  }

  @AfterAll
  static void tearDown() {
    if (local != null) {
      local.close();
    }
  }

  @Test
  void plan_acrossTheGap_isWalMissing() {
    assertThatThrownBy(() -> platform.planRestore(PRIMARY, afterGap))
        .isInstanceOfSatisfying(LifeboatException.class, e -> {
          assertThat(e.type()).isEqualTo(ErrorType.WAL_MISSING);
          assertThat(e.getMessage()).contains(deletedSegment);
          assertThat(e.details()).containsEntry("missingFrom", deletedSegment);
        });
  }

  @Test
  void plan_beforeTheGap_isStillPossible() {
    RestorePlan plan = platform.planRestore(PRIMARY, beforeGap);

    assertThat(plan.snapshotId()).isEqualTo("gap-snap");
  }

  @Test
  void restoreWindow_reportsTheGap() {
    RestoreWindow window = platform.restoreWindow(PRIMARY);

    assertThat(window.gaps()).hasSize(1);
    assertThat(window.gaps().get(0).missingFrom()).isEqualTo(deletedSegment);
    assertThat(window.gaps().get(0).missingTo()).isEqualTo(deletedSegment);
    // the only snapshot cannot reach the end of the archive: no continuous window
    assertThat(window.earliest()).isNull();
  }

  @Test
  void restore_acrossTheGap_failsTyped_andLeavesNoInstance() {
    RestoreSpec spec = new RestoreSpec("lb-pitr-gap", PRIMARY, afterGap, "gap-snap", "restore-gap", "tester",
        Instant.now().plusSeconds(3600), null);

    assertThatThrownBy(() -> platform.restoreToPointInTime(spec, ProgressListener.NONE))
        .isInstanceOfSatisfying(LifeboatException.class, e -> assertThat(e.type()).isEqualTo(ErrorType.WAL_MISSING));
    assertThat(platform.findInstance("lb-pitr-gap")).isEmpty();
    assertThat(local.dataRoot().resolve("instances/lb-pitr-gap")).doesNotExist();
  }

  private static Path archiveDir() {
    return local.dataRoot().resolve("regions/local-1/wal").resolve(PRIMARY);
  }

  /** Switches to a new segment and waits until the finished one is archived; returns its name. */
  private static String switchAndAwaitArchived() throws SQLException {
    String segment = query("select pg_walfile_name(pg_switch_wal())");
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
        .until(() -> Files.exists(archiveDir().resolve(segment + ".zst")));
    return segment;
  }

  private static void sql(String statement) throws SQLException {
    try (Connection c = platform.connection(PRIMARY); Statement st = c.createStatement()) {
      st.execute(statement);
    }
  }

  private static String query(String q) throws SQLException {
    try (Connection c = platform.connection(PRIMARY); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(q)) {
      rs.next();
      return rs.getString(1);
    }
  }
}
