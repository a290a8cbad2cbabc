package dev.lifeboat.workflows;

import dev.lifeboat.common.ErrorType;
import dev.lifeboat.common.model.Decision;
import dev.lifeboat.common.model.RunPhase;
import dev.lifeboat.common.model.RunState;
import io.temporal.failure.ApplicationFailure;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.time.Instant;

/**
 * A run's wait for an approver other than its requester, shared by every kind that waits (table
 * recoveries, failovers): the {@code decide} update sets the decision, its validator keeps the
 * four-eyes rule and refuses a second decision.
 */
final class Approval {
  private String requester;
  private Decision decision;
  private Instant decidedAt;

  /** The run's requester, who may not decide; set when the workflow method starts. */
  void requester(String name) {
    this.requester = name;
  }

  /**
   * Marks the run waiting (its step {@code step} open) and waits for a decision.
   *
   * @param what what is waiting, for the step's detail ("the import", "the failover")
   * @param untouched what stays as it is when nobody approves, for the failure's message
   * @throws ApplicationFailure APPROVAL_TIMED_OUT; REJECTED (the run then ends cancelled)
   */
  void await(RunTracker run, String step, int percent, Duration timeout, String what, String untouched,
      Runnable record) {
    run.begin(step, percent, "waiting for an approver other than " + requester + " until "
        + RunTracker.now().plus(timeout) + ": " + what + "; POST /v1/runs/" + run.runId() + "/approve or /reject");
    run.waiting();
    record.run();
    boolean decided = Workflow.await(timeout, () -> decision != null);
    if (!decided) {
      throw ApplicationFailure.newNonRetryableFailure("Nobody approved or rejected within " + timeout + "; "
          + untouched + ".", ErrorType.APPROVAL_TIMED_OUT.name());
    }
    run.resumed();
    run.publish("approval", RunTracker.map("by", decision.by(), "approved", decision.approve(),
        "comment", decision.comment(), "at", decidedAt.toString()));
    if (!decision.approve()) {
      String message = "Rejected by " + decision.by() + (decision.comment() == null ? "" : ": " + decision.comment())
          + "; " + untouched + ".";
      Workflow.getLogger(Approval.class).info("{} rejected by {}", run.runId(), decision.by());
      run.failed(RunPhase.CANCELLED, ErrorType.REJECTED.name(), message);
      record.run();
      throw ApplicationFailure.newNonRetryableFailure(message, ErrorType.REJECTED.name());
    }
    Workflow.getLogger(Approval.class).info("{} approved by {}", run.runId(), decision.by());
  }

  /** The update's handler: records the decision the validator accepted. */
  RunState decide(RunTracker run, Decision request) {
    decision = request;
    decidedAt = RunTracker.now();
    run.detail((request.approve() ? "approved" : "rejected") + " by " + request.by());
    return run.snapshot();
  }

  /** The update's validator: only a run waiting for approval, only once, never by its requester. */
  void validate(RunTracker run, Decision request) {
    if (run == null) {
      throw Failures.rejection(ErrorType.RUN_NOT_WAITING_APPROVAL, "the run has not started yet");
    }
    if (run.phase().terminal()) {
      throw Failures.rejection(ErrorType.RUN_ALREADY_FINISHED, "the run has already finished");
    }
    if (decision != null) {
      throw Failures.rejection(ErrorType.RUN_NOT_WAITING_APPROVAL,
          "already " + (decision.approve() ? "approved" : "rejected") + " by " + decision.by());
    }
    if (run.phase() != RunPhase.WAITING_APPROVAL) {
      throw Failures.rejection(ErrorType.RUN_NOT_WAITING_APPROVAL,
          "it is not waiting for approval (step " + run.snapshot().step() + ")");
    }
    if (request.by() == null || request.by().equals(requester)) {
      throw Failures.rejection(ErrorType.SELF_APPROVAL, request.by() + " requested it; another approver must decide");
    }
  }
}
