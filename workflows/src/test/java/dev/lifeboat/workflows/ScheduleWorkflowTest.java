package dev.lifeboat.workflows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.lifeboat.common.model.RestoreWindow;
import dev.lifeboat.common.model.RetentionRequest;
import dev.lifeboat.common.model.RunKind;
import dev.lifeboat.common.model.ScheduleDescription;
import dev.lifeboat.common.model.ScheduleFire;
import dev.lifeboat.common.model.ScheduleSpec;
import dev.lifeboat.common.model.ScheduleState;
import dev.lifeboat.common.model.SnapshotRequest;
import dev.lifeboat.common.workflow.ScheduleWorkflow;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.TestWorkflowExtension;
import io.temporal.worker.Worker;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ScheduleWorkflowTest {
  /**
   * Every schedule test starts at this time, half past an hour: started at the wall clock, an
   * hourly cron run a second before the hour fires once more than the test counts.
   */
  static final Instant START = Instant.parse("2026-11-24T10:30:00Z");

  @RegisterExtension
  static final TestWorkflowExtension env = TestWorkflowExtension.newBuilder()
      .registerWorkflowImplementationTypes(ScheduleWorkflowImpl.class, SnapshotWorkflowImpl.class,
          CrossRegionCopyWorkflowImpl.class, RetentionWorkflowImpl.class)
      .setDoNotStart(true)
      .setInitialTime(ScheduleWorkflowTest.START)
      .build();

  private final FakeSnapshotActivities snapshots = new FakeSnapshotActivities();
  private final RecordingCatalogActivities catalog = new RecordingCatalogActivities();
  private TestWorkflowEnvironment testEnv;
  private WorkflowClient client;
  private Worker worker;

  @BeforeEach
  void setUp(TestWorkflowEnvironment testEnv, Worker worker, WorkflowClient client) {
    worker.registerActivitiesImplementations(snapshots, catalog);
    testEnv.start();
    this.testEnv = testEnv;
    this.client = client;
    this.worker = worker;
  }

  static ScheduleSpec spec(String cron) {
    return new ScheduleSpec("daily-snapshots", cron, "UTC", RunKind.SNAPSHOT,
        new SnapshotRequest("daily", List.of("techcorp-primary"), List.of("dr-1"), null, null, null, 2));
  }

  private ScheduleWorkflow start(ScheduleSpec spec) {
    ScheduleWorkflow schedule = client.newWorkflowStub(ScheduleWorkflow.class, WorkflowOptions.newBuilder()
        .setWorkflowId(spec.workflowId()).setTaskQueue(worker.getTaskQueue()).build());
    WorkflowClient.start(schedule::run, ScheduleState.initial(spec));
    return schedule;
  }

  @Test
  void daily0300_over10Days_makes10SnapshotRuns_eachWithACopyInTheDrRegion() {
    ScheduleWorkflow schedule = start(spec("0 3 * * *"));

    testEnv.sleep(Duration.ofDays(10));

    assertThat(snapshots.takeCalls).hasSize(10).doesNotHaveDuplicates()
        .allSatisfy(id -> assertThat(id).matches("lb-techcorp-primary-\\d{8}-0300"));
    assertThat(snapshots.copiesIn("dr-1")).isEqualTo(10);
    assertThat(catalog.inventory).hasSize(20).doesNotHaveDuplicates()
        .filteredOn(entry -> entry.startsWith("dr-1/")).hasSize(10);
    ScheduleDescription described = schedule.describe();
    assertThat(described.fires()).isEqualTo(10);
    assertThat(described.skips()).isZero();
    assertThat(described.recent()).extracting(ScheduleFire::outcome).containsOnly("succeeded");
    assertThat(described.nextFireTimes()).hasSize(3)
        .allSatisfy(t -> assertThat(t.toString()).endsWith("T03:00:00Z"));
  }

  @Test
  void pause_stopsFires_resumeRestartsThem_triggerFiresAtOnce() {
    ScheduleWorkflow schedule = start(spec("0 * * * *"));
    schedule.pause("maintenance window");

    testEnv.sleep(Duration.ofHours(5));
    assertThat(snapshots.takeCalls).isEmpty();
    assertThat(schedule.describe().pausedReason()).isEqualTo("maintenance window");

    schedule.resume();
    testEnv.sleep(Duration.ofMinutes(61));
    assertThat(snapshots.takeCalls).hasSize(1);

    schedule.trigger();
    await().atMost(Duration.ofSeconds(20)).until(() -> snapshots.takeCalls.size() == 2);
    assertThat(schedule.describe().recent()).extracting(ScheduleFire::trigger).contains("schedule", "trigger");
  }

  @Test
  void retentionSchedule_every6Hours_runsRetention() {
    snapshots.window = new RestoreWindow("techcorp-primary", "local-1", java.time.Instant.EPOCH,
        java.time.Instant.ofEpochMilli(testEnv.currentTimeMillis()).plus(Duration.ofDays(2)), List.of(), List.of());
    ScheduleWorkflow schedule = start(new ScheduleSpec("retention", "0 */6 * * *", "UTC", RunKind.RETENTION, null,
        new RetentionRequest("daily", List.of("techcorp-primary"), Duration.ofDays(7), 3, Duration.ofMinutes(10),
            true, null, null)));

    testEnv.sleep(Duration.ofHours(24));

    assertThat(schedule.describe().fires()).isEqualTo(4);
    assertThat(schedule.describe().recent()).extracting(ScheduleFire::outcome).containsOnly("succeeded");
    assertThat(catalog.recorded).anySatisfy(run -> assertThat(run.kind()).isEqualTo(RunKind.RETENTION));
  }

  @Test
  void update_changesTheCronForTheNextFires() {
    ScheduleWorkflow schedule = start(spec("0 3 * * *"));

    schedule.update(spec("30 4 * * *"));
    testEnv.sleep(Duration.ofDays(2));

    assertThat(snapshots.takeCalls).hasSize(2).allSatisfy(id -> assertThat(id).endsWith("-0430"));
    assertThat(schedule.describe().cron()).isEqualTo("30 4 * * *");
  }

  @Test
  void snapshot_whenOneInstanceFails_theOthersSucceedAndEachIsReported() {
    snapshots.failingInstances.add("techcorp-analytics");
    ScheduleWorkflow schedule = start(new ScheduleSpec("two", "0 3 * * *", "UTC", RunKind.SNAPSHOT,
        new SnapshotRequest("daily", List.of("techcorp-primary", "techcorp-analytics"), List.of("dr-1"), null, null,
            null, 2)));

    testEnv.sleep(Duration.ofDays(1));

    assertThat(snapshots.copiesIn("dr-1")).isEqualTo(1);
    assertThat(schedule.describe().recent()).extracting(ScheduleFire::outcome).containsExactly("failed");
    assertThat(catalog.recorded).anySatisfy(run -> {
      assertThat(run.kind()).isEqualTo(RunKind.SNAPSHOT);
      assertThat(run.error()).isNotNull();
      assertThat(run.error().type()).isEqualTo("PARTIAL_FAILURE");
      assertThat(run.error().message()).contains("techcorp-analytics").doesNotContain("techcorp-primary:");
    });
  }
}
