package dev.lifeboat.workflows;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeboat.common.model.RunState;
import dev.lifeboat.common.model.ScheduleFire;
import dev.lifeboat.common.model.ScheduleState;
import dev.lifeboat.common.model.SnapshotRequest;
import dev.lifeboat.common.model.SnapshotResult;
import dev.lifeboat.common.workflow.ScheduleWorkflow;
import dev.lifeboat.common.workflow.SnapshotWorkflow;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.TestWorkflowExtension;
import io.temporal.worker.Worker;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A run that outlasts the period: the next fire is skipped and recorded, the one after fires. */
class ScheduleOverlapTest {
  /** A snapshot run that takes 90 minutes. */
  public static class SlowSnapshotWorkflow implements SnapshotWorkflow {
    @Override
    public SnapshotResult snapshot(SnapshotRequest request) {
      Workflow.sleep(Duration.ofMinutes(90));
      return new SnapshotResult(List.of());
    }

    @Override
    public RunState state() {
      return null;
    }
  }

  @RegisterExtension
  static final TestWorkflowExtension env = TestWorkflowExtension.newBuilder()
      .registerWorkflowImplementationTypes(ScheduleWorkflowImpl.class, SlowSnapshotWorkflow.class)
      .setInitialTime(ScheduleWorkflowTest.START)
      .build();

  @Test
  void fire_whileThePreviousRunStillRuns_isSkippedAndRecorded(TestWorkflowEnvironment testEnv, Worker worker,
      WorkflowClient client) {
    ScheduleWorkflow schedule = client.newWorkflowStub(ScheduleWorkflow.class, WorkflowOptions.newBuilder()
        .setWorkflowId("schedule-hourly").setTaskQueue(worker.getTaskQueue()).build());
    WorkflowClient.start(schedule::run, ScheduleState.initial(ScheduleWorkflowTest.spec("0 * * * *")));

    testEnv.sleep(Duration.ofMinutes(60 * 3 + 1));

    List<ScheduleFire> recent = schedule.describe().recent();
    assertThat(recent).extracting(ScheduleFire::outcome).containsExactly("succeeded", "skipped", "started");
    assertThat(recent.get(1).detail()).contains("still runs").contains(recent.get(0).runId());
    assertThat(schedule.describe().skips()).isEqualTo(1);
  }
}
