package dev.lifeboat.workflows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.lifeboat.common.ErrorType;
import dev.lifeboat.common.model.ReleaseRequest;
import dev.lifeboat.common.model.RestoreRequest;
import dev.lifeboat.common.model.RestoreResult;
import dev.lifeboat.common.model.RunPhase;
import dev.lifeboat.common.model.StepState;
import dev.lifeboat.common.workflow.PointInTimeRestoreWorkflow;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.failure.ActivityFailure;
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

class PointInTimeRestoreWorkflowTest {
  @RegisterExtension
  static final TestWorkflowExtension env = TestWorkflowExtension.newBuilder()
      .registerWorkflowImplementationTypes(PointInTimeRestoreWorkflowImpl.class)
      .setDoNotStart(true)
      .build();

  private final FakePlatformActivities platform = new FakePlatformActivities();
  private final RecordingCatalogActivities catalog = new RecordingCatalogActivities();
  private PointInTimeRestoreWorkflow workflow;

  @BeforeEach
  void setUp(TestWorkflowEnvironment testEnv, Worker worker, WorkflowClient client) {
    worker.registerActivitiesImplementations(platform, catalog);
    testEnv.start();
    workflow = client.newWorkflowStub(PointInTimeRestoreWorkflow.class, WorkflowOptions.newBuilder()
        .setWorkflowId("restore-techcorp-primary-test0001")
        .setTaskQueue(worker.getTaskQueue())
        .build());
  }

  private static RestoreRequest request(Duration ttl) {
    return new RestoreRequest("techcorp-primary", Instant.parse("2026-11-24T10:31:00Z"), ttl, "incident 42",
        "alice", null);
  }

  @Test
  void restore_whenNobodyReleases_deletesTheInstanceWhenTtlEnds(TestWorkflowEnvironment testEnv) {
    Instant start = Instant.ofEpochMilli(testEnv.currentTimeMillis());

    RestoreResult result = workflow.restore(request(Duration.ofHours(2)));

    assertThat(result.endedBy()).isEqualTo("ttl");
    assertThat(platform.deleted).containsExactly(result.temporaryInstance());
    assertThat(platform.instances).isEmpty();
    assertThat(Duration.between(start, Instant.ofEpochMilli(testEnv.currentTimeMillis())))
        .isGreaterThanOrEqualTo(Duration.ofHours(2));
    assertThat(result.temporaryInstance()).startsWith("lb-pitr-");
    assertThat(catalog.last().phase()).isEqualTo(RunPhase.SUCCEEDED);
    assertThat(catalog.last().steps()).extracting(StepState::name)
        .containsExactly("validate", "restore", "verify", "hold", "teardown");
    assertThat(catalog.last().steps()).allSatisfy(step -> assertThat(step.stoppedAt()).isNotNull());
  }

  @Test
  void restore_whenReleased_publishesEndpointThenTearsDown() {
    WorkflowClient.start(workflow::restore, request(Duration.ofHours(4)));
    await().atMost(Duration.ofSeconds(20)).until(() -> "hold".equals(workflow.state().step()));
    assertThat(workflow.state().endpoint().port()).isEqualTo(15999);
    assertThat(workflow.state().phase()).isEqualTo(RunPhase.RUNNING);
    assertThat(workflow.state().result()).containsEntry("rowCounts", Map.of("orders.orders", 42))
        .containsEntry("estimatedRowCounts", Map.of("orders.order_lines", 1_000_000));
    assertThat(platform.instances).hasSize(1);

    workflow.release(new ReleaseRequest("bob", "done with it"));
    RestoreResult result = WorkflowStub.fromTyped(workflow).getResult(RestoreResult.class);

    assertThat(result.endedBy()).isEqualTo("released");
    assertThat(result.releasedBy()).isEqualTo("bob");
    assertThat(result.verification().rowCounts()).containsEntry("orders.orders", 42L);
    assertThat(platform.instances).isEmpty();
    assertThat(catalog.last().endpoint()).isNull();
    assertThat(catalog.last().phase()).isEqualTo(RunPhase.SUCCEEDED);
  }

  @Test
  void restore_whenTargetOutsideWindow_failsTypedAndCreatesNothing() {
    platform.planFailure = ErrorType.RESTORE_TIME_OUTSIDE_WINDOW;

    assertThatThrownBy(() -> workflow.restore(request(null)))
        .isInstanceOf(WorkflowFailedException.class)
        .cause().isInstanceOf(ActivityFailure.class)
        .cause().isInstanceOfSatisfying(ApplicationFailure.class,
            failure -> assertThat(failure.getType()).isEqualTo("RESTORE_TIME_OUTSIDE_WINDOW"));
    assertThat(platform.restores).isEmpty();
    assertThat(catalog.last().phase()).isEqualTo(RunPhase.FAILED);
    assertThat(catalog.last().error().type()).isEqualTo("RESTORE_TIME_OUTSIDE_WINDOW");
  }

  @Test
  void restore_whenRecoveryCannotReachTarget_failsTypedAndRemovesTheInstance() {
    platform.restoreFailure = ErrorType.RECOVERY_TARGET_NOT_REACHED;

    assertThatThrownBy(() -> workflow.restore(request(null)))
        .isInstanceOf(WorkflowFailedException.class)
        .rootCause().isInstanceOfSatisfying(ApplicationFailure.class,
            failure -> assertThat(failure.getType()).isEqualTo("RECOVERY_TARGET_NOT_REACHED"));
    assertThat(platform.instances).isEmpty();
    assertThat(platform.deleted).hasSize(1);
    assertThat(catalog.last().phase()).isEqualTo(RunPhase.FAILED);
    assertThat(catalog.last().error().type()).isEqualTo("RECOVERY_TARGET_NOT_REACHED");
    assertThat(catalog.last().steps()).extracting(StepState::name).contains("teardown");
  }

  @Test
  void restore_whenCancelledWhileHeld_deletesTheInstanceAndEndsCancelled() {
    WorkflowClient.start(workflow::restore, request(Duration.ofHours(4)));
    await().atMost(Duration.ofSeconds(20)).until(() -> "hold".equals(workflow.state().step()));

    WorkflowStub.fromTyped(workflow).cancel();

    await().atMost(Duration.ofSeconds(20)).until(() -> catalog.last().phase() == RunPhase.CANCELLED
        && catalog.last().steps().stream().anyMatch(s -> s.name().equals("teardown")));
    assertThat(platform.instances).isEmpty();
    assertThat(platform.deleted).hasSize(1);
  }
}
