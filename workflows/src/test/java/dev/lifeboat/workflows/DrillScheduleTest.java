package dev.lifeboat.workflows;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeboat.common.model.DrillRequest;
import dev.lifeboat.common.model.DrillSource;
import dev.lifeboat.common.model.RunKind;
import dev.lifeboat.common.model.ScheduleDescription;
import dev.lifeboat.common.model.ScheduleFire;
import dev.lifeboat.common.model.ScheduleSpec;
import dev.lifeboat.common.model.ScheduleState;
import dev.lifeboat.common.workflow.ScheduleWorkflow;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.TestWorkflowExtension;
import io.temporal.worker.Worker;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The weekly drill schedule: one DR drill per Sunday 04:00 UTC, a failed drill shows as a failed fire. */
class DrillScheduleTest {
  @RegisterExtension
  static final TestWorkflowExtension env = TestWorkflowExtension.newBuilder()
      .registerWorkflowImplementationTypes(ScheduleWorkflowImpl.class, DrDrillWorkflowImpl.class)
      .setDoNotStart(true)
      .setInitialTime(ScheduleWorkflowTest.START)
      .build();

  static ScheduleSpec weekly() {
    return new ScheduleSpec("weekly-dr-drill", "0 4 * * 0", "UTC", RunKind.DRILL, null, null, null,
        new DrillRequest("techcorp-primary", "dr-1", DrillSource.LATEST_COPY, "techcorp", null, null, null));
  }

  @Test
  void weeklyDrill_overThreeWeeks_runsThreeDrillsOnSundays_andAFailedOneIsAFailedFire(
      TestWorkflowEnvironment testEnv, Worker worker, WorkflowClient client) {
    FakePlatformActivities platform = new FakePlatformActivities();
    FakeDrillActivities drills = new FakeDrillActivities();
    worker.registerActivitiesImplementations(platform, drills, new RecordingCatalogActivities());
    testEnv.start();
    ScheduleWorkflow schedule = client.newWorkflowStub(ScheduleWorkflow.class, WorkflowOptions.newBuilder()
        .setWorkflowId(weekly().workflowId()).setTaskQueue(worker.getTaskQueue()).build());
    WorkflowClient.start(schedule::run, ScheduleState.initial(weekly()));

    testEnv.sleep(Duration.ofDays(14));
    drills.failingSqlCheck = true;
    testEnv.sleep(Duration.ofDays(7));

    ScheduleDescription described = schedule.describe();
    assertThat(described.fires()).isEqualTo(3);
    assertThat(described.recent()).extracting(ScheduleFire::outcome).containsExactly("succeeded", "succeeded", "failed");
    assertThat(described.recent()).allSatisfy(fire -> {
      assertThat(fire.scheduledFor().atZone(ZoneOffset.UTC).getDayOfWeek()).isEqualTo(DayOfWeek.SUNDAY);
      assertThat(fire.scheduledFor().atZone(ZoneOffset.UTC).getHour()).isEqualTo(4);
      assertThat(fire.runId()).startsWith("drill-weekly-dr-drill-");
    });
    assertThat(described.recent().get(2).detail()).contains("sql:recent-orders");
    assertThat(drills.plans).hasSize(3).allSatisfy(request -> {
      assertThat(request.requester()).isEqualTo("schedule:weekly-dr-drill");
      assertThat(request.region()).isEqualTo("dr-1");
    });
    assertThat(drills.reports).hasSize(3);
    assertThat(platform.instances).isEmpty();
  }
}
