package dev.lifeboat.workflows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.lifeboat.common.ErrorType;
import dev.lifeboat.common.model.ColumnDrift;
import dev.lifeboat.common.model.Decision;
import dev.lifeboat.common.model.ImportMode;
import dev.lifeboat.common.model.RunPhase;
import dev.lifeboat.common.model.SchemaDriftPolicy;
import dev.lifeboat.common.model.StepState;
import dev.lifeboat.common.model.TableRecoveryRequest;
import dev.lifeboat.common.model.TableRef;
import dev.lifeboat.common.workflow.TableRecoveryWorkflow;
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
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class TableRecoveryWorkflowTest {
  @RegisterExtension
  static final TestWorkflowExtension env = TestWorkflowExtension.newBuilder()
      .registerWorkflowImplementationTypes(TableRecoveryWorkflowImpl.class)
      .setDoNotStart(true)
      .build();

  private static final TableRef REFUNDS = new TableRef("payments", "refunds");

  private final FakePlatformActivities platform = new FakePlatformActivities();
  private final FakeTableActivities tables = new FakeTableActivities();
  private final RecordingCatalogActivities catalog = new RecordingCatalogActivities();
  private TableRecoveryWorkflow workflow;

  @BeforeEach
  void setUp(TestWorkflowEnvironment testEnv, Worker worker, WorkflowClient client) {
    worker.registerActivitiesImplementations(platform, tables, catalog);
    testEnv.start();
    workflow = client.newWorkflowStub(TableRecoveryWorkflow.class, WorkflowOptions.newBuilder()
        .setWorkflowId("tables-techcorp-primary-test0001")
        .setTaskQueue(worker.getTaskQueue())
        .build());
  }

  private static TableRecoveryRequest request(ImportMode mode, boolean requireApproval, SchemaDriftPolicy drift) {
    return new TableRecoveryRequest("techcorp-primary", Instant.parse("2026-11-24T14:01:30Z"), List.of(REFUNDS),
        mode, requireApproval, drift, "techcorp-analytics", Duration.ofHours(2), null, "refunds deleted", "alice");
  }

  @Test
  void recover_withoutApproval_exportsComparesTearsDownThenImports() {
    Map<String, Object> result = workflow.recover(request(ImportMode.INSERT_MISSING, false, null));

    assertThat(tables.imports).singleElement().satisfies(spec -> {
      assertThat(spec.targetInstance()).isEqualTo("techcorp-primary");
      assertThat(spec.mode()).isEqualTo(ImportMode.INSERT_MISSING);
      assertThat(spec.suffix()).isEqualTo("202611241401");
    });
    assertThat(tables.compares).singleElement().satisfies(spec -> {
      assertThat(spec.currentInstance()).isEqualTo("techcorp-analytics");
      assertThat(spec.exportedFrom()).startsWith("lb-tbl-");
    });
    assertThat(platform.deleted).containsExactly(tables.compares.get(0).exportedFrom());
    assertThat(platform.instances).isEmpty();
    assertThat(result).containsKeys("export", "comparison", "imports", "restoredTo");
    assertThat(catalog.last().phase()).isEqualTo(RunPhase.SUCCEEDED);
    assertThat(catalog.last().steps()).extracting(StepState::name)
        .containsExactly("validate", "restore", "export", "compare", "teardown", "import");
  }

  @Test
  void recover_waitsForApproval_andNeverImportsBeforeIt() {
    WorkflowClient.start(workflow::recover, request(ImportMode.INSERT_MISSING, true, null));
    await().atMost(Duration.ofSeconds(20)).until(() -> workflow.state().phase() == RunPhase.WAITING_APPROVAL);

    assertThat(tables.imports).isEmpty();
    assertThat(platform.instances).as("the temporary instance is gone before the wait").isEmpty();
    assertThat(catalog.last().phase()).isEqualTo(RunPhase.WAITING_APPROVAL);
    assertThat(catalog.last().result()).containsKeys("export", "comparison");

    assertThatThrownBy(() -> workflow.decide(new Decision("alice", true, "looks right")))
        .isInstanceOf(WorkflowUpdateException.class)
        .cause().isInstanceOfSatisfying(ApplicationFailure.class,
            failure -> assertThat(failure.getOriginalMessage()).startsWith(ErrorType.SELF_APPROVAL.name() + ": "));
    assertThat(tables.imports).isEmpty();

    workflow.decide(new Decision("bob", true, "checked the sample"));
    WorkflowStub.fromTyped(workflow).getResult(Map.class);

    assertThat(tables.imports).hasSize(1);
    assertThat(catalog.last().phase()).isEqualTo(RunPhase.SUCCEEDED);
    assertThat(catalog.last().result()).extractingByKey("approval").asInstanceOf(
        org.assertj.core.api.InstanceOfAssertFactories.MAP).containsEntry("by", "bob").containsEntry("approved", true);
  }

  @Test
  void recover_whenRejected_endsCancelledAndWritesNothing() {
    WorkflowClient.start(workflow::recover, request(ImportMode.REPLACE, true, null));
    await().atMost(Duration.ofSeconds(20)).until(() -> workflow.state().phase() == RunPhase.WAITING_APPROVAL);

    workflow.decide(new Decision("bob", false, "sample looks wrong"));

    assertThatThrownBy(() -> WorkflowStub.fromTyped(workflow).getResult(Map.class))
        .isInstanceOf(WorkflowFailedException.class)
        .cause().isInstanceOfSatisfying(ApplicationFailure.class,
            failure -> assertThat(failure.getType()).isEqualTo(ErrorType.REJECTED.name()));
    assertThat(tables.imports).isEmpty();
    assertThat(catalog.last().phase()).isEqualTo(RunPhase.CANCELLED);
    assertThat(catalog.last().error().type()).isEqualTo("REJECTED");
    assertThat(catalog.last().error().message()).contains("bob", "sample looks wrong", "export is kept");
  }

  @Test
  void recover_whenNobodyDecides_failsAfterTheTimeout(TestWorkflowEnvironment testEnv) {
    WorkflowClient.start(workflow::recover, request(ImportMode.NEW_TABLE, true, null));
    await().atMost(Duration.ofSeconds(20)).until(() -> workflow.state().phase() == RunPhase.WAITING_APPROVAL);

    testEnv.sleep(Duration.ofHours(3));

    assertThatThrownBy(() -> WorkflowStub.fromTyped(workflow).getResult(Map.class))
        .isInstanceOf(WorkflowFailedException.class);
    assertThat(tables.imports).isEmpty();
    assertThat(catalog.last().phase()).isEqualTo(RunPhase.FAILED);
    assertThat(catalog.last().error().type()).isEqualTo("APPROVAL_TIMED_OUT");
  }

  @Test
  void recover_whenColumnsDrifted_refusesBeforeApproval_unlessAllowed() {
    tables.drift = new ColumnDrift(List.of(), List.of("note"), List.of());

    assertThatThrownBy(() -> workflow.recover(request(ImportMode.INSERT_MISSING, true, SchemaDriftPolicy.REFUSE)))
        .isInstanceOf(WorkflowFailedException.class)
        .cause().isInstanceOfSatisfying(ApplicationFailure.class,
            failure -> assertThat(failure.getType()).isEqualTo(ErrorType.SCHEMA_DRIFT.name()));
    assertThat(tables.imports).isEmpty();
    assertThat(platform.instances).isEmpty();
    assertThat(catalog.last().error().message()).contains("note", "matching-columns");
  }

  @Test
  void recover_insertMissingWithoutPrimaryKey_isRefused() {
    tables.withoutPrimaryKey = true;

    assertThatThrownBy(() -> workflow.recover(request(ImportMode.INSERT_MISSING, false, null)))
        .isInstanceOf(WorkflowFailedException.class)
        .cause().isInstanceOfSatisfying(ApplicationFailure.class,
            failure -> assertThat(failure.getType()).isEqualTo(ErrorType.NO_PRIMARY_KEY.name()));
    assertThat(tables.imports).isEmpty();
  }

  @Test
  void recover_whenTableMissingAtTarget_failsTypedAndRemovesTheInstance() {
    tables.resolveFailure = ErrorType.TABLE_NOT_FOUND;

    assertThatThrownBy(() -> workflow.recover(request(ImportMode.NEW_TABLE, false, null)))
        .isInstanceOf(WorkflowFailedException.class)
        .rootCause().isInstanceOfSatisfying(ApplicationFailure.class,
            failure -> assertThat(failure.getType()).isEqualTo(ErrorType.TABLE_NOT_FOUND.name()));
    assertThat(tables.exports).isEmpty();
    assertThat(platform.instances).isEmpty();
    assertThat(platform.deleted).hasSize(1);
    assertThat(catalog.last().phase()).isEqualTo(RunPhase.FAILED);
  }

  @Test
  void recover_cancelledWhileWaiting_endsCancelledWithNothingImported() {
    WorkflowClient.start(workflow::recover, request(ImportMode.NEW_TABLE, true, null));
    await().atMost(Duration.ofSeconds(20)).until(() -> workflow.state().phase() == RunPhase.WAITING_APPROVAL);

    WorkflowStub.fromTyped(workflow).cancel();

    await().atMost(Duration.ofSeconds(20)).until(() -> catalog.last().phase() == RunPhase.CANCELLED);
    assertThat(tables.imports).isEmpty();
    assertThat(platform.instances).isEmpty();
  }
}
