package dev.lifeboat.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeboat.activities.local.LocalPlatform;
import dev.lifeboat.catalog.Catalog;
import dev.lifeboat.catalog.RunFilter;
import dev.lifeboat.common.model.RestorePlan;
import dev.lifeboat.common.model.RestoreSpec;
import dev.lifeboat.common.model.RunKind;
import dev.lifeboat.common.model.RunPhase;
import dev.lifeboat.common.model.SnapshotInfo;
import dev.lifeboat.common.model.SnapshotRequest;
import dev.lifeboat.common.model.SnapshotResult;
import dev.lifeboat.common.platform.ProgressListener;
import dev.lifeboat.common.workflow.SnapshotWorkflow;
import dev.lifeboat.workflows.CrossRegionCopyWorkflowImpl;
import dev.lifeboat.workflows.SnapshotWorkflowImpl;
import io.temporal.client.WorkflowOptions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The snapshot workflow on real clusters: a snapshot, its copy in the DR region, and a
 * point-in-time restore from that copy that returns the source's data (the copy is complete, not
 * just present); a second run of the same fire makes no second snapshot.
 */
class SnapshotCopyIT {
  private RealActivitiesEnv env;
  private LocalPlatform platform;

  @AfterEach
  void tearDown() {
    if (env != null) {
      env.close();
    }
  }

  @Test
  void snapshotAndCopy_thenPitrFromTheCopyInTheDrRegion_returnsTheSourceData() throws Exception {
    env = RealActivitiesEnv.start("snapshot-copy", List.of("dr-1"), SnapshotWorkflowImpl.class,
        CrossRegionCopyWorkflowImpl.class);
    platform = env.platform;
    Catalog catalog = env.catalog;
    platform.createPrimary("copy-primary");
    sql("create table public.orders (id int primary key, note text)");
    Instant fire = Instant.now().truncatedTo(ChronoUnit.MINUTES);

    SnapshotResult first = snapshot("snapshot-copy-primary-1", fire);
    // Rows after the snapshot; the target falls between them. The copy made next carries the WAL.
    sql("insert into public.orders values (1, 'before T')");
    Thread.sleep(200);
    Instant target = Instant.now();
    Thread.sleep(200);
    sql("insert into public.orders values (2, 'after T')");
    sql("select pg_switch_wal()"); // after the commit: one query string would be one transaction
    waitArchived();
    SnapshotResult again = snapshot("snapshot-copy-primary-2", fire);

    assertThat(first.allSucceeded()).isTrue();
    String id = first.instances().get(0).snapshotId();
    assertThat(again.instances().get(0).snapshotId()).isEqualTo(id);
    assertThat(platform.listSnapshots("copy-primary", platform.config().region())).hasSize(1);
    List<SnapshotInfo> copies = platform.listSnapshots("copy-primary", "dr-1");
    assertThat(copies).extracting(SnapshotInfo::id).containsExactly(id);
    assertThat(catalog.snapshots().list("copy-primary", null, false))
        .extracting(e -> e.snapshot().region() + "/" + e.snapshot().id())
        .containsExactlyInAnyOrder(platform.config().region() + "/" + id, "dr-1/" + id);
    // The copy's run id is its business key: the second fire topped up the same copy run.
    assertThat(catalog.runs().list(new RunFilter(RunKind.COPY, RunPhase.SUCCEEDED, null), null, 10).items())
        .extracting(r -> r.runId()).containsExactly("copy-" + id + "-dr-1");

    RestorePlan plan = platform.planRestore("copy-primary", "dr-1", target);
    assertThat(plan.region()).isEqualTo("dr-1");
    var restored = platform.restoreToPointInTime(new RestoreSpec("lb-pitr-drcopy", "copy-primary", target,
        plan.snapshotId(), "restore-dr", "test", Instant.now().plusSeconds(600), "dr-1"), ProgressListener.NONE);
    try (Connection c = platform.connection(restored.id()); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("select string_agg(note, ',' order by id) from public.orders")) {
      rs.next();
      assertThat(rs.getString(1)).isEqualTo("before T");
    }
    assertThat(restored.region()).isEqualTo("dr-1");
    platform.deleteTemporaryInstance(restored.id());
  }

  private SnapshotResult snapshot(String workflowId, Instant fire) {
    SnapshotWorkflow workflow = env.temporal.getWorkflowClient().newWorkflowStub(SnapshotWorkflow.class,
        WorkflowOptions.newBuilder().setWorkflowId(workflowId).setTaskQueue(RealActivitiesEnv.TASK_QUEUE).build());
    return workflow.snapshot(new SnapshotRequest("daily", List.of("copy-primary"), List.of("dr-1"), "test", "it",
        fire, 1));
  }

  private void sql(String statements) throws Exception {
    try (Connection c = platform.connection("copy-primary"); Statement s = c.createStatement()) {
      s.execute(statements);
    }
  }

  private void waitArchived() throws Exception {
    for (int i = 0; i < 100; i++) {
      try (Connection c = platform.connection("copy-primary"); Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("select last_archived_wal >= pg_walfile_name(pg_current_wal_lsn() - 1) "
              + "from pg_stat_archiver")) {
        if (rs.next() && rs.getBoolean(1)) {
          return;
        }
      }
      Thread.sleep(100);
    }
  }
}
