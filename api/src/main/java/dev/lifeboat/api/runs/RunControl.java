package dev.lifeboat.api.runs;

import dev.lifeboat.api.auth.Caller;
import dev.lifeboat.api.errors.InvalidRequest;
import dev.lifeboat.api.errors.TemporalFailures;
import dev.lifeboat.catalog.RunStore;
import dev.lifeboat.common.ErrorType;
import dev.lifeboat.common.LifeboatException;
import dev.lifeboat.common.model.Decision;
import dev.lifeboat.common.model.ReleaseRequest;
import dev.lifeboat.common.model.RunKind;
import dev.lifeboat.common.model.RunPhase;
import dev.lifeboat.common.model.RunState;
import dev.lifeboat.common.workflow.FailoverSteps;
import dev.lifeboat.common.workflow.PointInTimeRestoreWorkflow;
import dev.lifeboat.common.workflow.TableRecoveryWorkflow;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.client.WorkflowStub;
import io.temporal.client.WorkflowUpdateException;
import io.temporal.failure.ApplicationFailure;
import java.util.Map;

/** Acts on a running run through its workflow: release a restored instance, approve or reject, cancel. */
public final class RunControl {
  private final WorkflowClient client;
  private final RunStore runs;

  public RunControl(WorkflowClient client, RunStore runs) {
    this.client = client;
    this.runs = runs;
  }

  public RunState find(String runId) {
    return runs.find(runId).orElseThrow(() -> new LifeboatException(ErrorType.RUN_NOT_FOUND,
        "No run has id '" + runId + "'; GET /v1/runs lists them.", Map.of("runId", runId)));
  }

  /** Ends the hold of a restore now; answers the workflow's new state. Its requester or an admin only. */
  public RunState release(String runId, ReleaseRequest request, Caller caller) {
    RunState run = active(runId);
    if (run.kind() != RunKind.RESTORE) {
      throw InvalidRequest.field("runId", "Run " + runId + " is a " + run.kind().wireName()
          + " run; only restore runs hold an instance to release. Cancel it instead.");
    }
    requireOwner(run, caller, "release");
    try {
      return client.newWorkflowStub(PointInTimeRestoreWorkflow.class, runId).release(request);
    } catch (RuntimeException e) {
      throw translate(run, e, "released");
    }
  }

  /**
   * Approves or rejects a run waiting for approval. The four-eyes rule is checked here against
   * the recorded requester (403) and again by the workflow's validator.
   */
  public RunState decide(String runId, Decision decision) {
    RunState run = active(runId);
    if (run.kind() != RunKind.TABLE_RECOVERY && run.kind() != RunKind.FAILOVER) {
      throw InvalidRequest.field("runId", "Run " + runId + " is a " + run.kind().wireName()
          + " run; only table recoveries and failovers wait for approval.");
    }
    if (decision.by().equals(run.requester())) {
      throw new LifeboatException(ErrorType.SELF_APPROVAL, decision.by() + " requested run " + runId
          + " and cannot " + (decision.approve() ? "approve" : "reject") + " it: another approver must decide.",
          Map.of("runId", runId, "requester", run.requester()));
    }
    if (run.phase() != RunPhase.WAITING_APPROVAL) {
      throw new LifeboatException(ErrorType.RUN_NOT_WAITING_APPROVAL, "Run " + runId + " is not waiting for "
          + "approval (phase " + run.phase().wireName() + (run.step() == null ? "" : ", step " + run.step())
          + "); approve it once its phase is waiting-approval.",
          Map.of("runId", runId, "phase", run.phase().wireName()));
    }
    try {
      return client.newUntypedWorkflowStub(runId).update(TableRecoveryWorkflow.DECIDE, RunState.class, decision);
    } catch (RuntimeException e) {
      throw translate(run, e, decision.approve() ? "approved" : "rejected");
    }
  }

  /**
   * Asks the workflow to cancel; it cleans up and records the end itself, so this answers at once.
   * Its requester or an admin only.
   */
  public RunState cancel(String runId, Caller caller) {
    RunState run = active(runId);
    requireOwner(run, caller, "cancel");
    boolean rehearsal = run.request() != null && run.request().get("rehearsalOf") != null;
    if (run.kind() == RunKind.FAILOVER && run.phase() == RunPhase.RUNNING && !rehearsal
        && !FailoverSteps.PREFLIGHT.equals(run.step())) {
      // stopping between the fence and the switch would leave no primary taking writes (a drill's run touches
      // only the drill's instances and pooler entry: it may stop anywhere, its drill tears them down)
      throw new LifeboatException(ErrorType.RUN_ALREADY_RUNNING, "Failover " + runId + " is past its approval (step "
          + run.step() + "): it fences, promotes and switches as one, and cannot be cancelled half-way.",
          Map.of("runId", runId, "step", String.valueOf(run.step())));
    }
    String principal = caller.name();
    WorkflowStub workflow = client.newUntypedWorkflowStub(runId);
    try {
      // not every server refuses to cancel a closed workflow (the test server accepts it): ask first
      if (workflow.describe().getStatus() != WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING) {
        throw closed(run, null);
      }
      workflow.cancel("cancelled by " + principal + " through the API");
    } catch (RuntimeException e) {
      throw translate(run, e, "cancelled");
    }
    return run;
  }

  /** Operators act on their own runs; a run started by a schedule or someone else needs an admin. */
  private static void requireOwner(RunState run, Caller caller, String action) {
    if (caller.isAdmin() || caller.name().equals(run.requester())) {
      return;
    }
    throw new LifeboatException(ErrorType.NOT_RUN_OWNER, "Run " + run.runId() + " was requested by "
        + run.requester() + "; only they or an admin may " + action + " it.",
        Map.of("runId", run.runId(), "requester", run.requester(), "action", action));
  }

  private RunState active(String runId) {
    RunState run = find(runId);
    if (run.phase().terminal()) {
      throw finished(run);
    }
    return run;
  }

  private static LifeboatException finished(RunState run) {
    return new LifeboatException(ErrorType.RUN_ALREADY_FINISHED,
        "Run " + run.runId() + " has already finished (" + run.phase().wireName() + ").",
        Map.of("runId", run.runId(), "phase", run.phase().wireName()));
  }

  /** The workflow closed before the catalog recorded its end: the run has finished all the same. */
  private static LifeboatException closed(RunState run, Throwable cause) {
    return new LifeboatException(ErrorType.RUN_ALREADY_FINISHED,
        "Run " + run.runId() + " has already finished; its final state is being recorded.",
        Map.of("runId", run.runId()), cause);
  }

  private static RuntimeException translate(RunState run, RuntimeException e, String done) {
    if (e instanceof WorkflowNotFoundException) {
      return closed(run, e);
    }
    if (e instanceof WorkflowUpdateException && e.getCause() instanceof ApplicationFailure refused) {
      // the workflow's validator said no: its words are the answer; a type of ours decides the
      // status, anything else is a conflict with the run's state (already released, finishing)
      ErrorType type = TemporalFailures.rejectionType(refused);
      return new LifeboatException(type == ErrorType.INTERNAL ? ErrorType.RUN_ALREADY_FINISHED : type,
          "Run " + run.runId() + " cannot be " + done + ": " + TemporalFailures.rejectionMessage(refused) + ".",
          Map.of("runId", run.runId()), e);
    }
    if (TemporalFailures.unavailable(e)) {
      return new LifeboatException(ErrorType.TEMPORAL_UNAVAILABLE, "The Temporal service cannot be reached ("
          + TemporalFailures.summary(e) + "); run " + run.runId() + " is unchanged. Retry in a moment.",
          Map.of("runId", run.runId()), e);
    }
    return e;
  }
}
