package dev.lifeboat.workflows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lifeboat.common.failover.RebuildRequest;
import dev.lifeboat.common.model.RunKind;
import dev.lifeboat.common.model.RunPhase;
import dev.lifeboat.common.model.StepState;
import dev.lifeboat.common.workflow.RebuildWorkflow;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.TestWorkflowExtension;
import io.temporal.worker.Worker;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class RebuildWorkflowTest {
  @RegisterExtension
  static final TestWorkflowExtension env = TestWorkflowExtension.newBuilder()
      .registerWorkflowImplementationTypes(RebuildWorkflowImpl.class)
      .setDoNotStart(true)
      .build();

  private final FakeFailoverActivities steps = new FakeFailoverActivities();
  private final RecordingCatalogActivities catalog = new RecordingCatalogActivities();
  private WorkflowClient client;
  private Worker worker;

  @BeforeEach
  void setUp(TestWorkflowEnvironment testEnv, Worker worker, WorkflowClient client) {
    worker.registerActivitiesImplementations(steps, catalog);
    testEnv.start();
    this.client = client;
    this.worker = worker;
  }

  private RebuildWorkflow workflow(String id) {
    return client.newWorkflowStub(RebuildWorkflow.class, WorkflowOptions.newBuilder()
        .setWorkflowId(id)
        .setTaskQueue(worker.getTaskQueue())
        .build());
  }

  private static RebuildRequest request(String newPrimary) {
    return new RebuildRequest("techcorp-primary", newPrimary, "old primary is back", "alice");
  }

  @Test
  void rebuild_validatesPreservesRebuildsAndChecksStreaming_inThatOrder() {
    Map<String, Object> result = workflow("rebuild-techcorp-primary-test0001").rebuild(request(null));

    assertThat(steps.calls).containsExactly("rebuildTarget techcorp-primary", "preserve techcorp-primary",
        "rebuild techcorp-primary techcorp-replica-1", "measure techcorp-primary");
    assertThat(result).containsEntry("newPrimary", "techcorp-replica-1").containsEntry("how", "rewound")
        .containsEntry("preserved", "/data/preserved/techcorp-primary-20261130T100010Z")
        .containsEntry("lagBytes", 0);
    assertThat(catalog.last().kind()).isEqualTo(RunKind.REBUILD);
    assertThat(catalog.last().phase()).isEqualTo(RunPhase.SUCCEEDED);
    assertThat(catalog.last().steps()).extracting(StepState::name)
        .containsExactly("validate", "preserve", "rewind-or-base-backup", "streaming-check");
  }

  @Test
  void secondRebuild_answersAlreadyReplica() {
    workflow("rebuild-techcorp-primary-test0002").rebuild(request("techcorp-replica-1"));

    Map<String, Object> again = workflow("rebuild-techcorp-primary-test0003").rebuild(request("techcorp-replica-1"));

    assertThat(again).containsEntry("how", "already-replica");
  }

  @Test
  void notAFormerPrimary_failsAtValidation_andChangesNothing() {
    steps.replacedBy = null;

    assertThatThrownBy(() -> workflow("rebuild-techcorp-primary-test0004").rebuild(request(null)))
        .isInstanceOf(WorkflowFailedException.class)
        .cause().isInstanceOf(ActivityFailure.class)
        .cause().isInstanceOfSatisfying(ApplicationFailure.class,
            failure -> assertThat(failure.getType()).isEqualTo("INVALID_REQUEST"));
    assertThat(steps.changes()).isEmpty();
    assertThat(catalog.last().phase()).isEqualTo(RunPhase.FAILED);
    assertThat(catalog.last().error().type()).isEqualTo("INVALID_REQUEST");
    assertThat(catalog.last().steps()).extracting(StepState::name).containsExactly("validate");
  }
}
