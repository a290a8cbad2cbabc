package dev.lifeboat.workflows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.lifeboat.common.ErrorType;
import dev.lifeboat.common.model.DrillCheck;
import dev.lifeboat.common.model.DrillReport;
import dev.lifeboat.common.model.DrillRequest;
import dev.lifeboat.common.model.DrillSource;
import dev.lifeboat.common.model.DrillTargets;
import dev.lifeboat.common.model.RestoreSpec;
import dev.lifeboat.common.model.RunKind;
import dev.lifeboat.common.model.RunPhase;
import dev.lifeboat.common.model.StepState;
import dev.lifeboat.common.workflow.DrDrillWorkflow;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.TestWorkflowExtension;
import io.temporal.worker.Worker;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class DrDrillWorkflowTest {
  @RegisterExtension
  static final TestWorkflowExtension env = TestWorkflowExtension.newBuilder()
      .registerWorkflowImplementationTypes(DrDrillWorkflowImpl.class)
      .setDoNotStart(true)
      .build();

  private final FakePlatformActivities platform = new FakePlatformActivities();
  private final FakeDrillActivities drills = new FakeDrillActivities();
  private final RecordingCatalogActivities catalog = new RecordingCatalogActivities();
  private DrDrillWorkflow workflow;

  @BeforeEach
  void setUp(TestWorkflowEnvironment testEnv, Worker worker, WorkflowClient client) {
    worker.registerActivitiesImplementations(platform, drills, catalog);
    testEnv.start();
    workflow = client.newWorkflowStub(DrDrillWorkflow.class, WorkflowOptions.newBuilder()
        .setWorkflowId("drill-techcorp-primary-test0001")
        .setTaskQueue(worker.getTaskQueue())
        .build());
  }

  @AfterEach
  void release() {
    if (drills.holdChecks != null) {
      drills.holdChecks.countDown();
    }
  }

  private static DrillRequest request(DrillTargets targets) {
    return new DrillRequest("techcorp-primary", "dr-1", DrillSource.LATEST_COPY, "techcorp", targets,
        "weekly drill", "schedule:weekly-dr-drill");
  }

  @Test
  void drill_whenEveryCheckPasses_measuresRtoAndRpo_tearsDown_andStoresAPassedReport() {
    DrillReport report = workflow.drill(request(new DrillTargets(Duration.ofHours(1), Duration.ofHours(24))));

    assertThat(report.passed()).isTrue();
    assertThat(report.error()).isNull();
    RestoreSpec restore = platform.restores.get(0);
    assertThat(restore.instanceId()).startsWith(DrDrillWorkflow.INSTANCE_PREFIX).isEqualTo(report.drillInstance());
    assertThat(restore.region()).isEqualTo("dr-1");
    assertThat(restore.targetTime()).isEqualTo(FakeDrillActivities.COPY_POINT);
    assertThat(restore.expiresAt()).isEqualTo(report.startedAt().plus(Duration.ofHours(6)));
    assertThat(drills.checkedInstances).containsExactly(report.drillInstance());
    assertThat(platform.deleted).containsExactly(report.drillInstance());
    assertThat(platform.instances).isEmpty();
    assertThat(report.drillInstanceDeleted()).isTrue();

    assertThat(report.rto().measured()).isPositive()
        .isEqualTo(Duration.between(report.startedAt(), report.verifiedAt()));
    assertThat(report.rto().met()).isTrue();
    // the source's newest row at the start minus the newest row found on the drill instance
    assertThat(report.rpo().measured()).isEqualTo(Duration.ofMinutes(58));
    assertThat(report.rpo().met()).isTrue();
    assertThat(report.checks()).extracting(DrillCheck::label)
        .containsExactly("row-count:orders.orders", "sql:recent-orders", "extension:plpgsql", "target:rto",
            "target:rpo");
    assertThat(report.steps()).extracting(StepState::name).containsExactly("plan", "restore", "verify", "teardown");
    assertThat(drills.reports).containsExactly(report);

    assertThat(catalog.last().kind()).isEqualTo(RunKind.DRILL);
    assertThat(catalog.last().phase()).isEqualTo(RunPhase.SUCCEEDED);
    assertThat(catalog.last().steps()).extracting(StepState::name)
        .containsExactly("plan", "restore", "verify", "teardown", "report");
    assertThat(catalog.last().steps()).allSatisfy(step -> assertThat(step.status()).isEqualTo("succeeded"));
    assertThat(catalog.last().result()).containsEntry("passed", true).containsEntry("rpo", "PT58M");
  }

  @Test
  void drill_withoutFreshnessData_measuresRpoFromTheRestoredPoint() {
    drills.drillNewest = null;

    DrillReport report = workflow.drill(request(null));

    assertThat(report.rpo().measured())
        .isEqualTo(Duration.between(FakeDrillActivities.COPY_POINT, FakeDrillActivities.SOURCE_NEWEST));
    assertThat(report.rpo().basis()).contains("restored point in time");
    assertThat(report.rto().target()).isEqualTo(Duration.ofHours(1));
  }

  @Test
  void drill_whenACheckFails_endsFailedNamingIt_afterTeardownAndReport() {
    drills.failingSqlCheck = true;

    assertThatThrownBy(() -> workflow.drill(request(null)))
        .isInstanceOf(WorkflowFailedException.class)
        .cause().isInstanceOfSatisfying(ApplicationFailure.class, failure -> {
          assertThat(failure.getType()).isEqualTo(ErrorType.DRILL_CHECKS_FAILED.name());
          assertThat(failure.getOriginalMessage()).startsWith("1 of 5 checks failed: sql:recent-orders");
        });

    assertThat(platform.instances).isEmpty();
    assertThat(platform.deleted).hasSize(1);
    DrillReport report = drills.lastReport();
    assertThat(report.passed()).isFalse();
    assertThat(report.drillInstanceDeleted()).isTrue();
    assertThat(report.failedChecks()).extracting(DrillCheck::label).containsExactly("sql:recent-orders");
    assertThat(report.error().type()).isEqualTo("DRILL_CHECKS_FAILED");
    assertThat(report.rto().measured()).isPositive();
    assertThat(catalog.last().phase()).isEqualTo(RunPhase.FAILED);
    assertThat(catalog.last().error().message()).contains("sql:recent-orders");
    assertThat(catalog.last().steps()).extracting(s -> s.name() + "=" + s.status())
        .containsExactly("plan=succeeded", "restore=succeeded", "verify=failed", "teardown=succeeded",
            "report=succeeded");
    assertThat(catalog.last().result()).containsEntry("passed", false);
  }

  @Test
  void drill_whenTheRtoTargetIsExceeded_reportsAMissWithTheMeasuredValue_andFails() {
    drills.checkTime = Duration.ofMillis(50);

    assertThatThrownBy(() -> workflow.drill(request(new DrillTargets(Duration.ofMillis(1), Duration.ofHours(24)))))
        .isInstanceOf(WorkflowFailedException.class)
        .cause().isInstanceOfSatisfying(ApplicationFailure.class,
            failure -> assertThat(failure.getOriginalMessage()).contains("target:rto").contains("expected <= PT0.001S"));

    DrillReport report = drills.lastReport();
    assertThat(report.rto().met()).isFalse();
    assertThat(report.rto().measured()).isGreaterThanOrEqualTo(Duration.ofMillis(50));
    assertThat(report.rpo().met()).isTrue();
    assertThat(report.failedChecks()).singleElement().satisfies(check -> {
      assertThat(check.label()).isEqualTo("target:rto");
      assertThat(check.value()).isEqualTo(report.rto().measured().toString());
    });
    assertThat(platform.instances).isEmpty();
  }

  @Test
  void drill_whenTheRestoreFails_tearsDown_andStoresAFailedReportWithoutChecks() {
    platform.restoreFailure = ErrorType.RECOVERY_TARGET_NOT_REACHED;

    assertThatThrownBy(() -> workflow.drill(request(null))).isInstanceOf(WorkflowFailedException.class)
        .rootCause().isInstanceOfSatisfying(ApplicationFailure.class,
            failure -> assertThat(failure.getType()).isEqualTo("RECOVERY_TARGET_NOT_REACHED"));

    assertThat(platform.instances).isEmpty();
    assertThat(drills.checkedInstances).isEmpty();
    DrillReport report = drills.lastReport();
    assertThat(report.passed()).isFalse();
    assertThat(report.error().type()).isEqualTo("RECOVERY_TARGET_NOT_REACHED");
    assertThat(report.drillInstanceDeleted()).isTrue();
    assertThat(report.rto().measured()).isNull();
    assertThat(report.steps()).extracting(s -> s.name() + "=" + s.status())
        .containsExactly("plan=succeeded", "restore=failed", "teardown=succeeded");
    assertThat(catalog.last().phase()).isEqualTo(RunPhase.FAILED);
  }

  @Test
  void drill_whenNoCopyIsInTheRegion_createsNothing_andReportsWhy() {
    drills.planFailure = ErrorType.NO_COPY_IN_REGION;

    assertThatThrownBy(() -> workflow.drill(request(null))).isInstanceOf(WorkflowFailedException.class);

    assertThat(drills.plans).hasSize(1);
    assertThat(platform.restores).isEmpty();
    DrillReport report = drills.lastReport();
    assertThat(report.error().type()).isEqualTo("NO_COPY_IN_REGION");
    assertThat(report.snapshotId()).isNull();
    assertThat(catalog.last().phase()).isEqualTo(RunPhase.FAILED);
  }

  @Test
  void drill_whenCancelledDuringVerification_stillTearsDown_andEndsCancelled() {
    drills.holdChecks = new CountDownLatch(1);
    WorkflowClient.start(workflow::drill, request(null));
    await().atMost(Duration.ofSeconds(20)).until(() -> !drills.checkedInstances.isEmpty());

    WorkflowStub.fromTyped(workflow).cancel();

    await().atMost(Duration.ofSeconds(20)).until(() -> catalog.last().phase() == RunPhase.CANCELLED);
    assertThat(platform.instances).isEmpty();
    assertThat(platform.deleted).containsExactly(drills.checkedInstances.get(0));
    assertThat(drills.lastReport().error().type()).isEqualTo("CANCELLED");
    assertThat(drills.lastReport().drillInstanceDeleted()).isTrue();
    assertThat(catalog.last().stoppedAt()).isAfterOrEqualTo(Instant.EPOCH);
  }
}
