package dev.lifeboat.workflows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lifeboat.common.ErrorType;
import dev.lifeboat.common.failover.Rehearsal;
import dev.lifeboat.common.model.DrillKind;
import dev.lifeboat.common.model.DrillReport;
import dev.lifeboat.common.model.DrillRequest;
import dev.lifeboat.common.model.DrillSource;
import dev.lifeboat.common.model.RunKind;
import dev.lifeboat.common.model.RunPhase;
import dev.lifeboat.common.model.RunState;
import dev.lifeboat.common.model.StepState;
import dev.lifeboat.common.workflow.DrDrillWorkflow;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.TestWorkflowExtension;
import io.temporal.worker.Worker;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A failover drill: the restore-in-dr FailoverWorkflow as a child on copies, production never touched. */
class FailoverDrillWorkflowTest {
  private static final String RUN_ID = "drill-techcorp-primary-test0002";

  @RegisterExtension
  static final TestWorkflowExtension env = TestWorkflowExtension.newBuilder()
      .registerWorkflowImplementationTypes(DrDrillWorkflowImpl.class, FailoverWorkflowImpl.class)
      .setDoNotStart(true)
      .build();

  private final FakePlatformActivities platform = new FakePlatformActivities();
  private final FakeDrillActivities drills = new FakeDrillActivities();
  private final FakeFailoverActivities failover = new FakeFailoverActivities();
  private final RecordingCatalogActivities catalog = new RecordingCatalogActivities();
  private DrDrillWorkflow workflow;

  @BeforeEach
  void setUp(TestWorkflowEnvironment testEnv, Worker worker, WorkflowClient client) {
    worker.registerActivitiesImplementations(platform, drills, failover, catalog);
    testEnv.start();
    workflow = client.newWorkflowStub(DrDrillWorkflow.class, WorkflowOptions.newBuilder()
        .setWorkflowId(RUN_ID)
        .setTaskQueue(worker.getTaskQueue())
        .build());
  }

  private static DrillRequest request(Duration maxDataLoss) {
    return new DrillRequest("techcorp-primary", "dr-1", DrillSource.LATEST_COPY, "techcorp", null,
        "quarterly failover drill", "alice", DrillKind.FAILOVER, "techcorp", "techcorp-analytics", maxDataLoss);
  }

  @Test
  void failoverDrill_runsTheRestoreInDrFailoverOnCopies_verifiesTheNewPrimary_andTearsEverythingDown() {
    DrillReport report = workflow.drill(request(Duration.ofMinutes(5)));

    String drillId = report.drillInstance();
    String entry = Rehearsal.poolerDatabase("techcorp", Rehearsal.drillSuffix(RUN_ID));
    String replica = drillId + DrDrillWorkflowImpl.REPLICA_SUFFIX;
    assertThat(report.passed()).isTrue();
    // the same steps as a real restore-in-dr failover, on the drill's instances and pooler entry
    assertThat(failover.calls).containsExactly(
        "openRoute " + entry + " techcorp",
        "measureDr techcorp-primary dr-1",
        "route " + entry,
        "rehearseRestoreDr techcorp-primary dr-1 " + drillId + " " + RUN_ID,
        "rehearsalReplica " + replica + " " + drillId + " " + RUN_ID,
        "switch " + entry + " " + drillId,
        "check " + entry,
        "closeRoute " + entry);
    // production: nothing fenced, restored permanently, or switched
    assertThat(failover.calls).noneMatch(call -> call.startsWith("fence") || call.startsWith("restoreDr")
        || call.startsWith("createReplica") || call.equals("switch techcorp " + drillId));
    assertThat(failover.rehearsalRoutes).isEmpty();
    assertThat(drills.checkedInstances).containsExactly(drillId);
    assertThat(platform.deleted).containsExactly(replica, drillId);
    assertThat(report.restoredTo()).isEqualTo(FakeFailoverActivities.PRIMARY_LAST_COMMIT.minus(Duration.ofSeconds(20)));
    assertThat(report.snapshotId()).isEqualTo("lb-techcorp-primary-20261130-0300");
    assertThat(report.steps()).extracting(StepState::name).containsExactly("plan", "failover", "verify", "teardown");

    RunState child = catalog.recorded.stream().filter(r -> r.runId().equals(RUN_ID + "-failover"))
        .reduce((first, second) -> second).orElseThrow();
    assertThat(child.kind()).isEqualTo(RunKind.FAILOVER);
    assertThat(child.phase()).isEqualTo(RunPhase.SUCCEEDED);
    assertThat(child.request()).containsEntry("rehearsalOf", RUN_ID).containsEntry("database", entry);
    assertThat(child.result()).containsEntry("newPrimary", drillId).containsEntry("dataLoss", "PT20S");
    assertThat(child.result().get("fence")).asString().contains("not-fenced (drill)");
    assertThat(child.steps()).extracting(StepState::name)
        .containsExactly("preflight", "fence", "restore", "replica", "switch", "report");

    RunState drill = catalog.last();
    assertThat(drill.runId()).isEqualTo(RUN_ID);
    assertThat(drill.phase()).isEqualTo(RunPhase.SUCCEEDED);
    @SuppressWarnings("unchecked")
    Map<String, Object> rehearsed = (Map<String, Object>) drill.result().get("failover");
    assertThat(rehearsed).containsEntry("runId", RUN_ID + "-failover").containsEntry("poolerDatabase", entry)
        .containsEntry("dataLoss", "PT20S").containsKey("rto");
  }

  @Test
  void failoverDrill_whoseCopyIsTooOldForMaxDataLoss_failsNamingIt_andRemovesItsPoolerEntry() {
    assertThatThrownBy(() -> workflow.drill(request(Duration.ofSeconds(5))))
        .isInstanceOf(WorkflowFailedException.class)
        .hasRootCauseInstanceOf(ApplicationFailure.class)
        .rootCause().satisfies(cause ->
            assertThat(((ApplicationFailure) cause).getType()).isEqualTo(ErrorType.DATA_LOSS_TOO_HIGH.name()));

    assertThat(failover.calls).noneMatch(call -> call.startsWith("rehearseRestoreDr") || call.startsWith("switch"));
    assertThat(failover.rehearsalRoutes).isEmpty();
    assertThat(failover.calls).last().asString().startsWith("closeRoute techcorp_drill_");
    DrillReport report = drills.lastReport();
    assertThat(report.passed()).isFalse();
    assertThat(report.error().type()).isEqualTo(ErrorType.DATA_LOSS_TOO_HIGH.name());
    assertThat(report.drillInstanceDeleted()).isTrue();
    assertThat(catalog.last().phase()).isEqualTo(RunPhase.FAILED);
    List<String> teardown = catalog.last().steps().stream().filter(s -> s.name().equals("teardown"))
        .map(StepState::detail).toList();
    assertThat(String.join("\n", teardown)).contains("removed pooler entry techcorp_drill_");
  }
}
