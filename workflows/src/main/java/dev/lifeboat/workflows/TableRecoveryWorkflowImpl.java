package dev.lifeboat.workflows;

import static dev.lifeboat.common.workflow.TableRecoverySteps.APPROVAL;
import static dev.lifeboat.common.workflow.TableRecoverySteps.APPROVAL_AT;
import static dev.lifeboat.common.workflow.TableRecoverySteps.COMPARE;
import static dev.lifeboat.common.workflow.TableRecoverySteps.COMPARE_FROM;
import static dev.lifeboat.common.workflow.TableRecoverySteps.EXPORT;
import static dev.lifeboat.common.workflow.TableRecoverySteps.EXPORT_FROM;
import static dev.lifeboat.common.workflow.TableRecoverySteps.IMPORT;
import static dev.lifeboat.common.workflow.TableRecoverySteps.IMPORT_FROM;
import static dev.lifeboat.common.workflow.TableRecoverySteps.RESTORE;
import static dev.lifeboat.common.workflow.TableRecoverySteps.RESTORE_FROM;
import static dev.lifeboat.common.workflow.TableRecoverySteps.TEARDOWN;
import static dev.lifeboat.common.workflow.TableRecoverySteps.TEARDOWN_AT;
import static dev.lifeboat.common.workflow.TableRecoverySteps.VALIDATE;

import dev.lifeboat.common.ErrorType;
import dev.lifeboat.common.Ids;
import dev.lifeboat.common.activity.CatalogActivities;
import dev.lifeboat.common.activity.PlatformActivities;
import dev.lifeboat.common.activity.TableActivities;
import dev.lifeboat.common.model.CompareSpec;
import dev.lifeboat.common.model.Decision;
import dev.lifeboat.common.model.ExportManifest;
import dev.lifeboat.common.model.ExportSpec;
import dev.lifeboat.common.model.ImportMode;
import dev.lifeboat.common.model.ImportOutcome;
import dev.lifeboat.common.model.ImportSpec;
import dev.lifeboat.common.model.RestorePlan;
import dev.lifeboat.common.model.RestoreSpec;
import dev.lifeboat.common.model.RunKind;
import dev.lifeboat.common.model.RunState;
import dev.lifeboat.common.model.SchemaDriftPolicy;
import dev.lifeboat.common.model.TableComparison;
import dev.lifeboat.common.model.TableManifest;
import dev.lifeboat.common.model.TableRecoveryRequest;
import dev.lifeboat.common.model.TableRef;
import dev.lifeboat.common.workflow.TableRecoveryWorkflow;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.TemporalFailure;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Table-level recovery. The temporary instance lives only as long as the export and the
 * comparison need it: it is torn down before the run waits for approval, so a decision that takes
 * a night holds an export in the store, not a database server. Production is written only after
 * an approval by someone other than the requester (when the request asks for one), one table per
 * transaction.
 */
public class TableRecoveryWorkflowImpl implements TableRecoveryWorkflow {
  static final Duration DEFAULT_APPROVAL_TIMEOUT = Duration.ofHours(24);
  static final Duration DEFAULT_EXPORT_RETENTION = Duration.ofDays(7);
  /** Guard for the reaper: the instance is normally deleted right after the comparison. */
  static final Duration INSTANCE_TTL = Duration.ofHours(12);
  /** Keys of each kind of difference shown to the approver. */
  static final int SAMPLE_LIMIT = 20;

  private static final DateTimeFormatter SUFFIX = DateTimeFormatter.ofPattern("yyyyMMddHHmm").withZone(ZoneOffset.UTC);

  private final PlatformActivities platform =
      Workflow.newActivityStub(PlatformActivities.class, ActivityStubs.quick());

  /** As in the point-in-time restore: the heartbeat notices a dead worker, cancel waits for the activity. */
  private final PlatformActivities restorer = Workflow.newActivityStub(PlatformActivities.class,
      ActivityStubs.longRunningUntilStopped(Duration.ofHours(12), 5));

  /** Export, compare and import stream whole tables: hours on big ones, heartbeating throughout. */
  private final TableActivities tables = Workflow.newActivityStub(TableActivities.class,
      ActivityStubs.longRunningUntilStopped(Duration.ofHours(12), 5));

  private final TableActivities lookups = Workflow.newActivityStub(TableActivities.class, ActivityStubs.quick());

  private final CatalogActivities catalog = ActivityStubs.catalog();

  private RunTracker run;
  private final Approval approval = new Approval();

  @Override
  public Map<String, Object> recover(TableRecoveryRequest request) {
    approval.requester(request.requester());
    ImportMode mode = request.mode() == null ? ImportMode.NEW_TABLE : request.mode();
    SchemaDriftPolicy drift = request.allowSchemaDrift() == null ? SchemaDriftPolicy.REFUSE : request.allowSchemaDrift();
    run = new RunTracker(RunKind.TABLE_RECOVERY, request.instance(), request.requester(), request.reason(),
        RunTracker.map("instance", request.instance(), "targetTime", String.valueOf(request.targetTime()),
            "tables", request.tables().stream().map(TableRef::display).toList(), "mode", mode.wireName(),
            "requireApproval", request.requireApproval(), "allowSchemaDrift", drift.wireName(),
            "compareOn", request.compareOn(), "reason", request.reason()));
    String tempId = Ids.TABLE_INSTANCE_PREFIX + Workflow.randomUUID().toString().substring(0, 8);
    boolean instanceGone = false;

    run.begin(VALIDATE, 0, "checking " + request.targetTime() + " against the restorable window");
    record();
    try {
      RestorePlan plan = platform.planRestore(request.instance(), request.targetTime());
      String suffix = SUFFIX.format(plan.targetTime());

      run.begin(RESTORE, RESTORE_FROM, "restoring snapshot " + plan.snapshotId() + " into " + tempId
          + " and replaying WAL to " + plan.targetTime());
      record();
      restorer.restoreToPointInTime(new RestoreSpec(tempId, request.instance(), plan.targetTime(), plan.snapshotId(),
          run.runId(), request.requester(), run.startedAt().plus(INSTANCE_TTL), plan.region(), RESTORE_FROM,
          EXPORT_FROM));

      run.begin(EXPORT, EXPORT_FROM, "checking " + names(request.tables()) + " in the restored catalog");
      record();
      List<TableRef> resolved = lookups.resolveTables(tempId, request.tables());
      run.detail("exporting " + names(resolved) + " with binary COPY");
      record();
      Duration retention = request.exportRetention() == null ? DEFAULT_EXPORT_RETENTION : request.exportRetention();
      ExportManifest export = tables.exportTables(new ExportSpec(run.runId(), tempId, request.instance(),
          plan.targetTime(), resolved, run.startedAt().plus(retention)));
      run.publish("export", export);

      run.begin(COMPARE, COMPARE_FROM, "comparing with the current rows on " + request.compareOn());
      record();
      List<TableComparison> comparisons = new ArrayList<>();
      for (TableManifest table : export.tables()) {
        comparisons.add(tables.compareTable(
            new CompareSpec(run.runId(), table, tempId, request.compareOn(), SAMPLE_LIMIT)));
        run.publish("comparison", List.copyOf(comparisons));
        record();
      }

      run.begin(TEARDOWN, TEARDOWN_AT, "deleting " + tempId + "; the export stays until " + export.expiresAt());
      record();
      platform.deleteTemporaryInstance(tempId);
      instanceGone = true;

      refuseWhatCannotImport(mode, drift, export, comparisons);

      if (request.requireApproval()) {
        awaitApproval(request, comparisons);
      }

      run.begin(IMPORT, IMPORT_FROM, "importing into " + request.instance() + " (" + mode.wireName() + ")");
      record();
      List<ImportOutcome> imports = new ArrayList<>();
      for (TableManifest table : export.tables()) {
        run.detail("importing " + table.table().display() + " (" + table.rows() + " rows, " + mode.wireName() + ")");
        record();
        imports.add(tables.importTable(new ImportSpec(run.runId(), export.store(), table, request.instance(), mode,
            drift, suffix)));
        run.publish("imports", List.copyOf(imports));
      }

      run.succeeded(RunTracker.map("restoredTo", plan.targetTime().toString(), "snapshotId", plan.snapshotId(),
          "temporaryInstance", tempId));
      record();
      return run.snapshot().result();
    } catch (TemporalFailure e) {
      if (!instanceGone) {
        TemporaryInstances.teardownAfterFailure(run, platform, TEARDOWN, tempId);
      }
      if (!run.phase().terminal()) {
        Failures.recordEnd(run, e, catalog);
      }
      throw e;
    }
  }

  /**
   * Failures the approver should not have to find out about at import time: a mode the table
   * cannot take, or columns that changed since the point in time.
   */
  private void refuseWhatCannotImport(ImportMode mode, SchemaDriftPolicy drift, ExportManifest export,
      List<TableComparison> comparisons) {
    if (mode == ImportMode.NEW_TABLE) {
      return;
    }
    for (TableManifest table : export.tables()) {
      if (mode == ImportMode.INSERT_MISSING && table.primaryKey().isEmpty()) {
        throw ApplicationFailure.newNonRetryableFailure(table.table().display() + " has no primary key, which "
            + "insert-missing matches rows by; use mode new-table (nothing existing is touched) or replace. "
            + "The export is kept.", ErrorType.NO_PRIMARY_KEY.name());
      }
    }
    for (TableComparison comparison : comparisons) {
      if (!comparison.currentExists()) {
        throw ApplicationFailure.newNonRetryableFailure(comparison.table().display() + " no longer exists on "
            + comparison.comparedOn() + "; " + mode.wireName() + " needs it. Use mode new-table to bring it back "
            + "as a new table. The export is kept.", ErrorType.TABLE_NOT_FOUND.name());
      }
      if (comparison.drift() != null && comparison.drift().drifted() && drift == SchemaDriftPolicy.REFUSE) {
        throw ApplicationFailure.newNonRetryableFailure(comparison.table().display()
            + " changed columns since the point in time (only in the export: " + comparison.drift().onlyInExport()
            + ", only now: " + comparison.drift().onlyNow() + ", type changed: " + comparison.drift().typeChanged()
            + "); " + mode.wireName() + " was refused. Allow it with \"allowSchemaDrift\": \"matching-columns\" "
            + "or use mode new-table. The export is kept.", ErrorType.SCHEMA_DRIFT.name());
      }
    }
  }

  private void awaitApproval(TableRecoveryRequest request, List<TableComparison> comparisons) {
    Duration timeout = request.approvalTimeout() == null ? DEFAULT_APPROVAL_TIMEOUT : request.approvalTimeout();
    long missing = comparisons.stream().mapToLong(TableComparison::onlyInExport).sum();
    approval.await(run, APPROVAL, APPROVAL_AT, timeout, missing + " exported rows are missing now",
        "production is untouched and the export is kept", this::record);
  }

  @Override
  public RunState state() {
    return run == null ? null : run.snapshot();
  }

  @Override
  public RunState decide(Decision request) {
    return approval.decide(run, request);
  }

  @Override
  public void validateDecision(Decision request) {
    approval.validate(run, request);
  }

  private static String names(List<TableRef> refs) {
    return String.join(", ", refs.stream().map(TableRef::display).toList());
  }

  private void record() {
    catalog.recordRun(run.snapshot());
  }
}
