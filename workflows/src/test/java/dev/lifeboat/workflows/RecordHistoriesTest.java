package dev.lifeboat.workflows;

import dev.lifeboat.common.failover.RebuildRequest;
import dev.lifeboat.common.model.ReapRequest;
import dev.lifeboat.common.model.ReleaseRequest;
import dev.lifeboat.common.model.RestoreRequest;
import dev.lifeboat.common.model.RetentionRequest;
import dev.lifeboat.common.model.ScheduleState;
import dev.lifeboat.common.model.SnapshotRequest;
import dev.lifeboat.common.workflow.PointInTimeRestoreWorkflow;
import dev.lifeboat.common.workflow.ReaperWorkflow;
import dev.lifeboat.common.workflow.RebuildWorkflow;
import dev.lifeboat.common.workflow.RetentionWorkflow;
import dev.lifeboat.common.workflow.ScheduleWorkflow;
import dev.lifeboat.common.workflow.SnapshotWorkflow;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.TestWorkflowExtension;
import io.temporal.worker.Worker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Records the histories {@link ReplayTest} replays. Run it only when a workflow change is meant
 * to be incompatible (and then version the change instead, if runs may be in flight):
 * {@code mvn -pl workflows test -Dtest=RecordHistoriesTest -Dlifeboat.recordHistories=true}.
 */
@EnabledIfSystemProperty(named = "lifeboat.recordHistories", matches = "true")
class RecordHistoriesTest {
  static final Path DIR = Path.of("src", "test", "resources", "histories");

  @RegisterExtension
  static final TestWorkflowExtension env = TestWorkflowExtension.newBuilder()
      .registerWorkflowImplementationTypes(PointInTimeRestoreWorkflowImpl.class, SnapshotWorkflowImpl.class,
          CrossRegionCopyWorkflowImpl.class, ScheduleWorkflowImpl.class, RetentionWorkflowImpl.class,
          ReaperWorkflowImpl.class, DrDrillWorkflowImpl.class, TableRecoveryWorkflowImpl.class,
          FailoverWorkflowImpl.class, RebuildWorkflowImpl.class)
      .setDoNotStart(true)
      .build();

  @Test
  void record(TestWorkflowEnvironment testEnv, Worker worker, WorkflowClient client) throws Exception {
    FakeSnapshotActivities snapshots = new FakeSnapshotActivities();
    snapshots.window = new dev.lifeboat.common.model.RestoreWindow("techcorp-primary", "local-1",
        Instant.parse("2026-11-20T00:00:00Z"), Instant.now(), List.of(), List.of());
    worker.registerActivitiesImplementations(new FakePlatformActivities(), snapshots, new RecordingCatalogActivities());
    testEnv.start();
    String queue = worker.getTaskQueue();

    PointInTimeRestoreWorkflow restore = client.newWorkflowStub(PointInTimeRestoreWorkflow.class,
        WorkflowOptions.newBuilder().setWorkflowId("restore-techcorp-primary-replay01").setTaskQueue(queue).build());
    WorkflowClient.start(restore::restore, new RestoreRequest("techcorp-primary",
        Instant.parse("2026-11-24T10:31:00Z"), Duration.ofHours(2), "replay", "alice", null));
    org.awaitility.Awaitility.await().until(() -> restore.state() != null && "hold".equals(restore.state().step()));
    restore.release(new ReleaseRequest("bob", "done"));
    WorkflowStub.fromTyped(restore).getResult(Object.class);
    save(client, "restore-techcorp-primary-replay01", "restore-released.json");

    SnapshotWorkflow snapshot = client.newWorkflowStub(SnapshotWorkflow.class,
        WorkflowOptions.newBuilder().setWorkflowId("snapshot-techcorp-primary-replay").setTaskQueue(queue).build());
    snapshot.snapshot(new SnapshotRequest("daily", List.of("techcorp-primary"), List.of("dr-1"), "alice", "replay",
        Instant.parse("2026-11-24T03:00:00Z"), 2));
    save(client, "snapshot-techcorp-primary-replay", "snapshot-with-copy.json");
    save(client, "copy-lb-techcorp-primary-20261124-0300-dr-1", "copy.json");

    ScheduleWorkflow schedule = client.newWorkflowStub(ScheduleWorkflow.class,
        WorkflowOptions.newBuilder().setWorkflowId("schedule-replay").setTaskQueue(queue).build());
    WorkflowClient.start(schedule::run, ScheduleState.initial(ScheduleWorkflowTest.spec("0 3 * * *")));
    testEnv.sleep(Duration.ofDays(2));
    schedule.pause("replay");
    testEnv.sleep(Duration.ofDays(1));
    schedule.describe(); // the pause is handled: the history ends with a completed workflow task
    save(client, "schedule-replay", "schedule-two-days-then-paused.json");
    WorkflowStub.fromTyped(schedule).terminate("recorded");

    RetentionWorkflow retention = client.newWorkflowStub(RetentionWorkflow.class,
        WorkflowOptions.newBuilder().setWorkflowId("retention-replay").setTaskQueue(queue).build());
    retention.expire(new RetentionRequest("daily", List.of("techcorp-primary"), Duration.ofDays(7), 3,
        Duration.ofDays(3650), false, "schedule:retention", null));
    save(client, "retention-replay", "retention.json");
  }

  @Test
  void recordReaper(TestWorkflowEnvironment testEnv, Worker worker, WorkflowClient client) throws Exception {
    FakePlatformActivities platform = new FakePlatformActivities();
    Instant now = Instant.ofEpochMilli(testEnv.currentTimeMillis());
    platform.instances.add("lb-pitr-leaked01");
    platform.leftovers.add(new dev.lifeboat.common.model.InstanceInfo("lb-pitr-leaked01", "fake", "local-1",
        dev.lifeboat.common.model.InstanceRole.TEMPORARY, "available", null, "techcorp-primary", "restore-gone",
        now, now.minus(Duration.ofHours(3))));
    worker.registerActivitiesImplementations(platform, new RecordingCatalogActivities());
    testEnv.start();
    ReaperWorkflow reaper = client.newWorkflowStub(ReaperWorkflow.class,
        WorkflowOptions.newBuilder().setWorkflowId("reaper-replay").setTaskQueue(worker.getTaskQueue()).build());
    reaper.reap(new ReapRequest(Duration.ofHours(1), "schedule:reaper", null));
    save(client, "reaper-replay", "reaper.json");
  }

  /** Run alone with {@code -Dtest=RecordHistoriesTest#recordDrill}: the other histories stay as recorded. */
  @Test
  void recordDrill(TestWorkflowEnvironment testEnv, Worker worker, WorkflowClient client) throws Exception {
    worker.registerActivitiesImplementations(new FakePlatformActivities(), new FakeDrillActivities(),
        new RecordingCatalogActivities());
    testEnv.start();
    dev.lifeboat.common.workflow.DrDrillWorkflow drill = client.newWorkflowStub(
        dev.lifeboat.common.workflow.DrDrillWorkflow.class,
        WorkflowOptions.newBuilder().setWorkflowId("drill-techcorp-primary-replay").setTaskQueue(worker.getTaskQueue())
            .build());
    drill.drill(new dev.lifeboat.common.model.DrillRequest("techcorp-primary", "dr-1",
        dev.lifeboat.common.model.DrillSource.LATEST_COPY, "techcorp", null, "replay", "schedule:weekly-dr-drill"));
    save(client, "drill-techcorp-primary-replay", "drill-passed.json");
  }

  /** Run alone with {@code -Dtest=RecordHistoriesTest#recordTableRecovery}. */
  @Test
  void recordTableRecovery(TestWorkflowEnvironment testEnv, Worker worker, WorkflowClient client) throws Exception {
    worker.registerActivitiesImplementations(new FakePlatformActivities(), new FakeTableActivities(),
        new RecordingCatalogActivities());
    testEnv.start();
    dev.lifeboat.common.workflow.TableRecoveryWorkflow recovery = client.newWorkflowStub(
        dev.lifeboat.common.workflow.TableRecoveryWorkflow.class,
        WorkflowOptions.newBuilder().setWorkflowId("tables-techcorp-primary-replay1").setTaskQueue(worker.getTaskQueue())
            .build());
    WorkflowClient.start(recovery::recover, new dev.lifeboat.common.model.TableRecoveryRequest("techcorp-primary",
        Instant.parse("2026-11-24T14:01:00Z"), List.of(new dev.lifeboat.common.model.TableRef("payments", "refunds")),
        dev.lifeboat.common.model.ImportMode.INSERT_MISSING, true, null, "techcorp-analytics", Duration.ofHours(2),
        Duration.ofDays(7), "replay", "alice"));
    org.awaitility.Awaitility.await().until(() -> recovery.state() != null
        && recovery.state().phase() == dev.lifeboat.common.model.RunPhase.WAITING_APPROVAL);
    recovery.decide(new dev.lifeboat.common.model.Decision("bob", true, "checked"));
    WorkflowStub.fromTyped(recovery).getResult(Object.class);
    save(client, "tables-techcorp-primary-replay1", "table-recovery-approved.json");
  }

  /** Run alone with {@code -Dtest=RecordHistoriesTest#recordFailover}. */
  @Test
  void recordFailover(TestWorkflowEnvironment testEnv, Worker worker, WorkflowClient client) throws Exception {
    worker.registerActivitiesImplementations(new FakeFailoverActivities(), new RecordingCatalogActivities());
    testEnv.start();
    dev.lifeboat.common.workflow.FailoverWorkflow failover = client.newWorkflowStub(
        dev.lifeboat.common.workflow.FailoverWorkflow.class,
        WorkflowOptions.newBuilder().setWorkflowId("failover-techcorp-primary-replay1")
            .setTaskQueue(worker.getTaskQueue()).build());
    WorkflowClient.start(failover::failover, new dev.lifeboat.common.failover.FailoverRequest("techcorp-primary",
        dev.lifeboat.common.failover.FailoverMode.PROMOTE_REPLICA, "techcorp-replica-1", "techcorp",
        Duration.ofSeconds(60), false, false, Duration.ofMinutes(30), "replay", "alice"));
    org.awaitility.Awaitility.await().until(() -> failover.state() != null
        && failover.state().phase() == dev.lifeboat.common.model.RunPhase.WAITING_APPROVAL);
    failover.decide(new dev.lifeboat.common.model.Decision("bob", true, "go"));
    WorkflowStub.fromTyped(failover).getResult(Object.class);
    save(client, "failover-techcorp-primary-replay1", "failover-approved.json");
  }

  /** Run alone with {@code -Dtest=RecordHistoriesTest#recordRebuild}. */
  @Test
  void recordRebuild(TestWorkflowEnvironment testEnv, Worker worker, WorkflowClient client) throws Exception {
    worker.registerActivitiesImplementations(new FakeFailoverActivities(), new RecordingCatalogActivities());
    testEnv.start();
    RebuildWorkflow rebuild = client.newWorkflowStub(RebuildWorkflow.class,
        WorkflowOptions.newBuilder().setWorkflowId("rebuild-techcorp-primary-replay1")
            .setTaskQueue(worker.getTaskQueue()).build());
    rebuild.rebuild(new RebuildRequest("techcorp-primary", null, "replay", "alice"));
    save(client, "rebuild-techcorp-primary-replay1", "rebuild-rewound.json");
  }

  private static void save(WorkflowClient client, String workflowId, String file) throws Exception {
    Files.createDirectories(DIR);
    Files.writeString(DIR.resolve(file), client.fetchHistory(workflowId).toJson(true));
  }
}
