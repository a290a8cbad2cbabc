package dev.lifeboat.workflows;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeboat.common.model.Endpoint;
import dev.lifeboat.common.model.InstanceInfo;
import dev.lifeboat.common.model.InstanceRole;
import dev.lifeboat.common.model.ReapRequest;
import dev.lifeboat.common.model.ReapResult;
import dev.lifeboat.common.model.RunKind;
import dev.lifeboat.common.model.RunPhase;
import dev.lifeboat.common.model.ScheduleSpec;
import dev.lifeboat.common.model.ScheduleState;
import dev.lifeboat.common.workflow.ReaperWorkflow;
import dev.lifeboat.common.workflow.ScheduleWorkflow;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.TestWorkflowExtension;
import io.temporal.worker.Worker;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ReaperWorkflowTest {
  @RegisterExtension
  static final TestWorkflowExtension env = TestWorkflowExtension.newBuilder()
      .registerWorkflowImplementationTypes(ReaperWorkflowImpl.class, ScheduleWorkflowImpl.class)
      .setDoNotStart(true)
      .setInitialTime(ScheduleWorkflowTest.START)
      .build();

  private final FakePlatformActivities platform = new FakePlatformActivities();
  private final FakeTableActivities tables = new FakeTableActivities();
  private final RecordingCatalogActivities catalog = new RecordingCatalogActivities();
  private Instant now;

  @BeforeEach
  void setUp(TestWorkflowEnvironment testEnv, Worker worker) {
    worker.registerActivitiesImplementations(platform, catalog, tables);
    testEnv.start();
    now = Instant.ofEpochMilli(testEnv.currentTimeMillis());
    leftover("lb-pitr-leaked01", now.minus(Duration.ofHours(2)));
    leftover("lb-pitr-tearing1", now.minus(Duration.ofMinutes(5)));
    leftover("lb-pitr-inuse001", now.plus(Duration.ofHours(3)));
  }

  private void leftover(String id, Instant expiresAt) {
    platform.instances.add(id);
    platform.leftovers.add(new InstanceInfo(id, "fake", "local-1", InstanceRole.TEMPORARY, "available",
        new Endpoint("127.0.0.1", 1, "postgres", "postgres"), "techcorp-primary", "restore-x-" + id, now, expiresAt));
  }

  @Test
  void reap_deletesOnlyInstancesPastTtlAndGrace_andAuditsEach(WorkflowClient client, Worker worker) {
    ReaperWorkflow reaper = client.newWorkflowStub(ReaperWorkflow.class, WorkflowOptions.newBuilder()
        .setWorkflowId("reaper-test").setTaskQueue(worker.getTaskQueue()).build());

    ReapResult result = reaper.reap(new ReapRequest(Duration.ofHours(1), "schedule:reaper", null));

    assertThat(result.deleted()).containsExactly("lb-pitr-leaked01");
    assertThat(platform.instances).containsExactlyInAnyOrder("lb-pitr-tearing1", "lb-pitr-inuse001");
    assertThat(catalog.audits).singleElement().asString().contains("lb-pitr-leaked01");
    assertThat(catalog.last().kind()).isEqualTo(RunKind.REAPER);
    assertThat(catalog.last().phase()).isEqualTo(RunPhase.SUCCEEDED);
    assertThat(tables.expiries).as("exports past their retention are expired too").hasSize(1);
    assertThat(catalog.last().result()).containsEntry("expiredExports", java.util.List.of("tables-techcorp-primary-old00001"));
  }

  @Test
  void hourlyReaperSchedule_reapsWhatExpiresLater(TestWorkflowEnvironment testEnv, WorkflowClient client,
      Worker worker) {
    ScheduleWorkflow schedule = client.newWorkflowStub(ScheduleWorkflow.class, WorkflowOptions.newBuilder()
        .setWorkflowId("schedule-reaper").setTaskQueue(worker.getTaskQueue()).build());
    WorkflowClient.start(schedule::run, ScheduleState.initial(new ScheduleSpec("reaper", "0 * * * *", "UTC",
        RunKind.REAPER, null, null, new ReapRequest(Duration.ofHours(1), null, null))));

    testEnv.sleep(Duration.ofHours(5));

    assertThat(schedule.describe().fires()).isEqualTo(5);
    assertThat(platform.instances).isEmpty();
  }
}
