package dev.lifeboat.workflows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.lifeboat.common.ErrorType;
import dev.lifeboat.common.failover.FailoverMode;
import dev.lifeboat.common.failover.FailoverRequest;
import dev.lifeboat.common.failover.Rehearsal;
import dev.lifeboat.common.model.Decision;
import dev.lifeboat.common.model.RunPhase;
import dev.lifeboat.common.model.StepState;
import dev.lifeboat.common.workflow.FailoverWorkflow;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.client.WorkflowUpdateException;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.TestWorkflowExtension;
import io.temporal.worker.Worker;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class FailoverWorkflowTest {
  @RegisterExtension
  static final TestWorkflowExtension env = TestWorkflowExtension.newBuilder()
      .registerWorkflowImplementationTypes(FailoverWorkflowImpl.class)
      .setDoNotStart(true)
      .build();

  private final FakeFailoverActivities steps = new FakeFailoverActivities();
  private final RecordingCatalogActivities catalog = new RecordingCatalogActivities();
  private FailoverWorkflow workflow;

  @BeforeEach
  void setUp(TestWorkflowEnvironment testEnv, Worker worker, WorkflowClient client) {
    worker.registerActivitiesImplementations(steps, catalog);
    testEnv.start();
    workflow = client.newWorkflowStub(FailoverWorkflow.class, WorkflowOptions.newBuilder()
        .setWorkflowId("failover-techcorp-primary-test0001")
        .setTaskQueue(worker.getTaskQueue())
        .build());
  }

  private static FailoverRequest request(Duration maxDataLoss, boolean force, boolean emergency) {
    return new FailoverRequest("techcorp-primary", FailoverMode.PROMOTE_REPLICA, "techcorp-replica-1", "techcorp",
        maxDataLoss, force, emergency, Duration.ofMinutes(30), "primary's host is gone", "alice");
  }

  @Test
  void approved_fencesPromotesRepointsSwitches_inThatOrder_andReportsRtoAndDataLoss() {
    WorkflowClient.start(workflow::failover, request(Duration.ofSeconds(60), false, false));
    await().atMost(Duration.ofSeconds(20)).until(() -> workflow.state().phase() == RunPhase.WAITING_APPROVAL);

    assertThat(steps.changes()).as("nothing changes before the approval").isEmpty();
    assertThat(workflow.state().result()).containsKey("preflight");
    assertThatThrownBy(() -> workflow.decide(new Decision("alice", true, "mine")))
        .isInstanceOf(WorkflowUpdateException.class)
        .cause().isInstanceOfSatisfying(ApplicationFailure.class,
            failure -> assertThat(failure.getOriginalMessage()).startsWith(ErrorType.SELF_APPROVAL.name() + ": "));
    assertThat(steps.changes()).isEmpty();
    workflow.decide(new Decision("bob", true, "go"));
    @SuppressWarnings("unchecked")
    Map<String, Object> result = WorkflowStub.fromTyped(workflow).getResult(Map.class);

    assertThat(steps.changes()).containsExactly("fence techcorp-primary", "promote techcorp-replica-1",
        "repoint techcorp-analytics techcorp-replica-1", "switch techcorp techcorp-replica-1");
    assertThat(result).containsEntry("newPrimary", "techcorp-replica-1").containsEntry("dataLoss", "PT0S")
        .containsKeys("rtoSeconds", "approvalWaitSeconds");
    assertThat(catalog.last().phase()).isEqualTo(RunPhase.SUCCEEDED);
    assertThat(catalog.last().steps()).extracting(StepState::name)
        .containsExactly("preflight", "approval", "fence", "promote", "repoint", "switch", "report");
  }

  @Test
  void candidateLaggingBeyondMaxDataLoss_isRefusedAtPreflight_withTheMeasuredLag_andNothingChanges() {
    steps.lag = Duration.ofMinutes(5);

    assertThatThrownBy(() -> workflow.failover(request(Duration.ofSeconds(60), false, false)))
        .isInstanceOf(WorkflowFailedException.class)
        .rootCause().isInstanceOf(ApplicationFailure.class)
        .satisfies(e -> {
          assertThat(((ApplicationFailure) e).getType()).isEqualTo("DATA_LOSS_TOO_HIGH");
          assertThat(e.getMessage()).contains("81920 bytes", "PT5M", "maxDataLoss PT1M");
        });
    assertThat(steps.changes()).isEmpty();
    assertThat(catalog.last().phase()).isEqualTo(RunPhase.FAILED);
    assertThat(catalog.last().error().type()).isEqualTo("DATA_LOSS_TOO_HIGH");
  }

  @Test
  void primaryGone_holdsTheUnknownLossUpperBoundToMaxDataLoss_unlessForced() {
    steps.primaryGone = true;
    steps.lag = Duration.ofMinutes(5); // last replayed commit 10:00:00 - 5 min, measured at 10:00:06

    assertThatThrownBy(() -> workflow.failover(request(Duration.ofSeconds(60), false, true)))
        .isInstanceOf(WorkflowFailedException.class)
        .rootCause().isInstanceOf(ApplicationFailure.class)
        .satisfies(e -> {
          assertThat(((ApplicationFailure) e).getType()).isEqualTo("DATA_LOSS_TOO_HIGH");
          assertThat(e.getMessage()).contains("does not answer", "at most PT5M1S", "upper bound", "force");
        });
    assertThat(steps.changes()).isEmpty();
  }

  @Test
  void primaryGone_withinMaxDataLoss_goesOn_andShowsTheBound() {
    steps.primaryGone = true;
    steps.lag = Duration.ofSeconds(3);

    workflow.failover(request(Duration.ofSeconds(60), false, true));

    assertThat(steps.changes()).hasSize(4);
    assertThat(catalog.last().result().get("preflight")).asString().contains("unknown, at most PT4S");
  }

  @Test
  void primaryGone_theBoundTheApproverSawHolds_howeverLongTheApprovalTook() {
    steps.primaryGone = true;
    steps.lag = Duration.ofSeconds(30);
    WorkflowClient.start(workflow::failover, request(Duration.ofSeconds(60), false, false));
    await().atMost(Duration.ofSeconds(20)).until(() -> workflow.state().phase() == RunPhase.WAITING_APPROVAL);
    // while the approver wakes up, the bound (now - the last replayed commit) grows past maxDataLoss
    steps.lag = Duration.ofMinutes(5);

    workflow.decide(new Decision("bob", true, "primary is gone"));
    WorkflowStub.fromTyped(workflow).getResult(Map.class);

    assertThat(steps.changes()).hasSize(4);
    assertThat(catalog.last().phase()).isEqualTo(RunPhase.SUCCEEDED);
  }

  @Test
  void aRehearsalNamingProductionsPoolerEntry_isRefused_beforeAnythingChanges() {
    FailoverRequest rehearsal = new FailoverRequest("techcorp-primary", FailoverMode.RESTORE_IN_DR, null, "techcorp",
        null, false, false, null, "drill", "alice", "dr-1", "lb-drill-0a0b0c0d", null, null,
        new Rehearsal("drill-techcorp-primary-0a0b0c0d", Instant.parse("2026-12-01T00:00:00Z"), "techcorp"));

    assertThatThrownBy(() -> workflow.failover(rehearsal))
        .isInstanceOf(WorkflowFailedException.class)
        .rootCause().hasMessageContaining("pooler entry techcorp is not a drill's own");
    assertThat(steps.calls).isEmpty();
  }

  @Test
  void forced_goesOnDespiteTheLag_andSaysSo() {
    steps.lag = Duration.ofMinutes(5);

    Map<String, Object> result = workflow.failover(request(Duration.ofSeconds(60), true, true));

    assertThat(steps.changes()).hasSize(4);
    assertThat(catalog.last().result()).containsKey("forced");
    assertThat(result).containsEntry("newPrimary", "techcorp-replica-1");
  }

  @Test
  void emergency_skipsTheApproval_andRecordsIt() {
    workflow.failover(request(Duration.ofSeconds(60), false, true));

    assertThat(catalog.last().steps()).extracting(StepState::name).doesNotContain("approval");
    assertThat(catalog.last().result().get("approval")).asInstanceOf(
        org.assertj.core.api.InstanceOfAssertFactories.MAP).containsEntry("emergency", true);
  }

  @Test
  void rejected_endsCancelled_andChangesNothing() {
    WorkflowClient.start(workflow::failover, request(Duration.ofSeconds(60), false, false));
    await().atMost(Duration.ofSeconds(20)).until(() -> workflow.state().phase() == RunPhase.WAITING_APPROVAL);

    workflow.decide(new Decision("bob", false, "the primary is back"));

    await().atMost(Duration.ofSeconds(20)).until(() -> catalog.last().phase() == RunPhase.CANCELLED);
    assertThat(catalog.last().error().type()).isEqualTo("REJECTED");
    assertThat(steps.changes()).isEmpty();
  }

  @Test
  void trafficNotLandingOnTheNewPrimary_failsNamingIt() {
    steps.switchLandsOnReplica = false;

    assertThatThrownBy(() -> workflow.failover(request(Duration.ofSeconds(60), false, true)))
        .isInstanceOf(WorkflowFailedException.class)
        .rootCause().hasMessageContaining("does not land on the new primary");
  }

  @Test
  void trafficLandingOnTheOldTimeline_failsNamingIt_evenWithTheSamePortAndNoSystemIdentifier() {
    // RDS: every instance answers on 5432 and pg_control_system() may be unreadable; the timeline tells
    steps.routedTimeline = 1L;

    assertThatThrownBy(() -> workflow.failover(request(Duration.ofSeconds(60), false, true)))
        .isInstanceOf(WorkflowFailedException.class)
        .rootCause().hasMessageContaining("does not land on the new primary");
  }

  private static FailoverRequest drRequest(Duration maxDataLoss, boolean force, boolean emergency) {
    return new FailoverRequest("techcorp-primary", FailoverMode.RESTORE_IN_DR, null, "techcorp", maxDataLoss, force,
        emergency, Duration.ofMinutes(30), "region us-east-1 is gone", "alice", "dr-1", "techcorp-primary-dr",
        "techcorp-analytics", "techcorp-analytics-dr");
  }

  @Test
  void restoreInDr_approved_fencesRestoresRecreatesTheReplicaSwitches_andReportsRtoAndDataLoss() {
    WorkflowClient.start(workflow::failover, drRequest(Duration.ofSeconds(60), false, false));
    await().atMost(Duration.ofSeconds(20)).until(() -> workflow.state().phase() == RunPhase.WAITING_APPROVAL);

    assertThat(steps.changes()).as("nothing changes before the approval").isEmpty();
    assertThat(workflow.state().result().get("preflight")).asInstanceOf(
        org.assertj.core.api.InstanceOfAssertFactories.MAP)
        .containsEntry("expectedDataLoss", "PT20S").containsEntry("newInstance", "techcorp-primary-dr")
        .hasEntrySatisfying("summary", summary -> assertThat((String) summary)
            .contains("copy lb-techcorp-primary-20261130-0300", "PT6H59M26S old", "expected data loss PT20S"));
    workflow.decide(new Decision("bob", true, "go"));
    @SuppressWarnings("unchecked")
    Map<String, Object> result = WorkflowStub.fromTyped(workflow).getResult(Map.class);

    assertThat(steps.changes()).containsExactly("fence techcorp-primary",
        "restoreDr techcorp-primary dr-1 techcorp-primary-dr",
        "createReplica techcorp-analytics-dr techcorp-primary-dr", "switch techcorp techcorp-primary-dr");
    assertThat(result).containsEntry("newPrimary", "techcorp-primary-dr").containsEntry("dataLoss", "PT20S")
        .containsEntry("region", "dr-1").containsKeys("rtoSeconds", "restoredTo");
    assertThat(catalog.last().phase()).isEqualTo(RunPhase.SUCCEEDED);
    assertThat(catalog.last().steps()).extracting(StepState::name)
        .containsExactly("preflight", "approval", "fence", "restore", "replica", "switch", "report");
  }

  @Test
  void restoreInDr_copyTooFarBehind_isRefusedAtPreflight_withTheMeasuredLoss_andNothingChanges() {
    steps.drBehind = Duration.ofMinutes(10);

    assertThatThrownBy(() -> workflow.failover(drRequest(Duration.ofSeconds(60), false, false)))
        .isInstanceOf(WorkflowFailedException.class)
        .rootCause().isInstanceOf(ApplicationFailure.class)
        .satisfies(e -> {
          assertThat(((ApplicationFailure) e).getType()).isEqualTo("DATA_LOSS_TOO_HIGH");
          assertThat(e.getMessage()).contains("dr-1", "PT10M", "maxDataLoss PT1M");
        });
    assertThat(steps.changes()).isEmpty();
  }

  @Test
  void restoreInDr_forcedEmergency_withoutAnalyticsReplica_restoresAndSwitches() {
    steps.drBehind = Duration.ofMinutes(10);
    FailoverRequest r = drRequest(Duration.ofSeconds(60), true, true);
    FailoverRequest noReplica = new FailoverRequest(r.instance(), r.mode(), null, r.database(), r.maxDataLoss(),
        true, true, r.approvalTimeout(), r.reason(), r.requester(), r.region(), r.newInstance(), null, null);

    Map<String, Object> result = workflow.failover(noReplica);

    assertThat(steps.changes()).containsExactly("fence techcorp-primary",
        "restoreDr techcorp-primary dr-1 techcorp-primary-dr", "switch techcorp techcorp-primary-dr");
    assertThat(result).containsEntry("dataLoss", "PT10M");
    assertThat(catalog.last().result()).containsKey("forced");
  }
}
