package dev.lifeboat.workflows;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeboat.common.model.PitrFinding;
import dev.lifeboat.common.model.RestoreWindow;
import dev.lifeboat.common.model.RetentionDecision;
import dev.lifeboat.common.model.RetentionRequest;
import dev.lifeboat.common.model.RetentionResult;
import dev.lifeboat.common.model.RunPhase;
import dev.lifeboat.common.model.SnapshotInfo;
import dev.lifeboat.common.workflow.RetentionWorkflow;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.TestWorkflowExtension;
import io.temporal.worker.Worker;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class RetentionWorkflowTest {
  @RegisterExtension
  static final TestWorkflowExtension env = TestWorkflowExtension.newBuilder()
      .registerWorkflowImplementationTypes(RetentionWorkflowImpl.class)
      .setDoNotStart(true)
      .build();

  private final FakeSnapshotActivities snapshots = new FakeSnapshotActivities();
  private final RecordingCatalogActivities catalog = new RecordingCatalogActivities();
  private RetentionWorkflow workflow;
  private Instant now;

  @BeforeEach
  void setUp(TestWorkflowEnvironment testEnv, Worker worker, WorkflowClient client) {
    worker.registerActivitiesImplementations(snapshots, catalog);
    testEnv.start();
    now = Instant.ofEpochMilli(testEnv.currentTimeMillis());
    // Ten daily snapshots, 1 h to 9 days 1 h old; the two newest are copied to dr-1.
    for (int day = 0; day < 10; day++) {
      Instant stopped = now.minus(Duration.ofDays(day)).minus(Duration.ofHours(1));
      snapshots.addDated(snapshot("lb-db-day" + day, "local-1", stopped));
      if (day < 2) {
        snapshots.addDated(snapshot("lb-db-day" + day, "dr-1", stopped));
      }
    }
    snapshots.window = new RestoreWindow("db", "local-1", now.minus(Duration.ofDays(9)), now.minusSeconds(30),
        List.of(), List.of());
    workflow = client.newWorkflowStub(RetentionWorkflow.class, WorkflowOptions.newBuilder()
        .setWorkflowId("retention-test").setTaskQueue(worker.getTaskQueue()).build());
  }

  private static SnapshotInfo snapshot(String id, String region, Instant stopped) {
    return new SnapshotInfo(id, "db", region, "available", stopped.minusSeconds(60), stopped, 100, Map.of());
  }

  private static RetentionRequest request(boolean dryRun) {
    return new RetentionRequest("daily", List.of("db"), Duration.ofDays(7), 3, Duration.ofMinutes(10), dryRun,
        "schedule:retention", null);
  }

  @Test
  void retention7d_keepsTheWindowAndItsBase_expiresTheRest_neverTheNewestCopy() {
    RetentionResult result = workflow.expire(request(false));

    assertThat(result.decisions()).filteredOn(d -> d.action().equals("deleted"))
        .extracting(RetentionDecision::snapshotId).containsExactlyInAnyOrder("lb-db-day8", "lb-db-day9");
    assertThat(result.decisions()).filteredOn(d -> d.snapshotId().equals("lb-db-day7"))
        .extracting(RetentionDecision::reason).containsExactly("window-base");
    assertThat(result.decisions()).filteredOn(d -> d.region().equals("dr-1"))
        .extracting(RetentionDecision::action).containsOnly("keep");
    assertThat(snapshots.snapshots).doesNotContain("local-1/lb-db-day8", "local-1/lb-db-day9")
        .contains("local-1/lb-db-day0", "local-1/lb-db-day7", "dr-1/lb-db-day1");
    assertThat(catalog.audits).hasSize(2).allSatisfy(a -> assertThat(a).startsWith("retention: delete snapshot"));
    assertThat(catalog.inventory).containsExactlyInAnyOrder("local-1/lb-db-day8 deleted", "local-1/lb-db-day9 deleted");
    assertThat(catalog.last().phase()).isEqualTo(RunPhase.SUCCEEDED);
  }

  @Test
  void retention_whileARestoreOfTheInstanceRuns_expiresNothing() {
    snapshots.restoring.add("db");

    RetentionResult result = workflow.expire(request(false));

    assertThat(result.decisions()).extracting(RetentionDecision::action).containsOnly("keep");
    assertThat(result.decisions()).filteredOn(d -> d.snapshotId().equals("lb-db-day9"))
        .extracting(RetentionDecision::reason).containsExactly("in-use-by-restore");
    assertThat(snapshots.snapshots).hasSize(12);
  }

  @Test
  void retention_whenAnInstanceIsUnknown_failsAndTheRunSaysSo() {
    snapshots.failingInstances.add("db");

    org.assertj.core.api.Assertions.assertThatThrownBy(() -> workflow.expire(request(false)))
        .isInstanceOf(io.temporal.client.WorkflowFailedException.class);

    assertThat(catalog.last().phase()).isEqualTo(RunPhase.FAILED);
    assertThat(catalog.last().error().type()).isEqualTo("INSTANCE_NOT_FOUND");
    assertThat(snapshots.snapshots).hasSize(12);
  }

  @Test
  void dryRun_listsWhatWouldGo_andDeletesNothing() {
    RetentionResult result = workflow.expire(request(true));

    assertThat(result.dryRun()).isTrue();
    assertThat(result.decisions()).filteredOn(d -> d.action().equals("expire"))
        .extracting(RetentionDecision::snapshotId).containsExactlyInAnyOrder("lb-db-day8", "lb-db-day9");
    assertThat(snapshots.snapshots).hasSize(12);
    assertThat(catalog.audits).isEmpty();
  }

  @Test
  void staleArchive_isATypedFindingAndFailsTheRun() {
    snapshots.window = new RestoreWindow("db", "local-1", now.minus(Duration.ofDays(9)), now.minus(Duration.ofHours(2)),
        List.of(), List.of());

    RetentionResult result = workflow.expire(request(true));

    assertThat(result.findings()).extracting(PitrFinding::type).containsExactly("PITR_WINDOW_STALE");
    assertThat(catalog.last().phase()).isEqualTo(RunPhase.FAILED);
    assertThat(catalog.last().error().type()).isEqualTo("PITR_WINDOW_BROKEN");
  }
}
