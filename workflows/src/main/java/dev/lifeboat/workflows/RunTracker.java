package dev.lifeboat.workflows;

import dev.lifeboat.common.model.Endpoint;
import dev.lifeboat.common.model.RunError;
import dev.lifeboat.common.model.RunKind;
import dev.lifeboat.common.model.RunPhase;
import dev.lifeboat.common.model.RunState;
import dev.lifeboat.common.model.StepState;
import io.temporal.workflow.Workflow;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The mutable state of a run inside its workflow: phase, steps with timings, progress. Answers
 * the workflow's query and is what the workflow records in the catalog. Time comes from
 * {@link Workflow#currentTimeMillis()} so replays see the same values.
 */
final class RunTracker {
  private final String runId;
  private final RunKind kind;
  private final String instance;
  private final String requester;
  private final String reason;
  private final Map<String, Object> request;
  private final Instant startedAt;
  private final List<StepState> steps = new ArrayList<>();
  private RunPhase phase = RunPhase.RUNNING;
  private Integer percent = 0;
  private Long bytes;
  private String detail;
  private Endpoint endpoint;
  private Map<String, Object> result;
  private RunError error;
  private Instant stoppedAt;
  private Instant expiresAt;

  RunTracker(RunKind kind, String instance, String requester, String reason, Map<String, Object> request) {
    this.runId = Workflow.getInfo().getWorkflowId();
    this.kind = kind;
    this.instance = instance;
    this.requester = requester;
    this.reason = reason;
    this.request = request;
    this.startedAt = now();
  }

  static Instant now() {
    return Instant.ofEpochMilli(Workflow.currentTimeMillis());
  }

  String runId() {
    return runId;
  }

  Instant startedAt() {
    return startedAt;
  }

  /** Ends the running step (if any) as succeeded and starts {@code name}. */
  void begin(String name, int percentAtStart, String stepDetail) {
    finishCurrent("succeeded", null);
    steps.add(new StepState(name, "running", now(), null, stepDetail));
    this.percent = percentAtStart;
    this.bytes = null;
    this.detail = stepDetail;
  }

  void detail(String stepDetail) {
    this.detail = stepDetail;
    StepState current = current();
    if (current != null && current.stoppedAt() == null) {
      steps.set(steps.size() - 1,
          new StepState(current.name(), current.status(), current.startedAt(), null, stepDetail));
    }
  }

  void ready(Endpoint endpoint, Instant expiresAt) {
    this.endpoint = endpoint;
    this.expiresAt = expiresAt;
  }

  void endpointGone() {
    this.endpoint = null;
  }

  /**
   * Adds one entry to the run's result before the run ends (an export's manifest, a comparison),
   * so people see it while the run waits; {@link #succeeded} keeps what was published.
   */
  void publish(String key, Object value) {
    Map<String, Object> grown = result == null ? new LinkedHashMap<>() : new LinkedHashMap<>(result);
    grown.put(key, value);
    this.result = grown;
  }

  /** Marks the run waiting for someone's decision; the running step stays open. */
  void waiting() {
    this.phase = RunPhase.WAITING_APPROVAL;
  }

  /** Back to running after a decision. */
  void resumed() {
    this.phase = RunPhase.RUNNING;
  }

  void succeeded(Map<String, Object> result) {
    finishCurrent("succeeded", null);
    if (this.result != null && result != null) {
      Map<String, Object> merged = new LinkedHashMap<>(this.result);
      merged.putAll(result);
      result = merged;
    }
    this.result = result;
    this.phase = RunPhase.SUCCEEDED;
    this.percent = 100;
    this.detail = null;
    this.stoppedAt = now();
  }

  /** Marks the step that was running as failed and the run as failed or cancelled. */
  void failed(RunPhase terminalPhase, String type, String message) {
    finishCurrent(terminalPhase == RunPhase.CANCELLED ? "cancelled" : "failed", message);
    this.error = new RunError(type, message);
    this.phase = terminalPhase;
    this.stoppedAt = now();
  }

  /**
   * Ends the running step with {@code status} without starting another or ending the run, e.g. a
   * verification whose checks failed ends {@code failed} while the run still tears down.
   */
  void endStep(String status, String stepDetail) {
    finishCurrent(status, stepDetail);
  }

  /** Records a step that runs after a failure or cancel (cleanup), without touching the phase. */
  void cleanupStep(String name, String status, Instant begun, String stepDetail) {
    steps.add(new StepState(name, status, begun, now(), stepDetail));
  }

  RunPhase phase() {
    return phase;
  }

  RunState snapshot() {
    return new RunState(runId, kind, instance, requester, reason, phase, currentName(), percent, bytes,
        detail, List.copyOf(steps), request, endpoint, result, error, startedAt, stoppedAt, expiresAt);
  }

  private String currentName() {
    StepState current = current();
    return current == null ? null : current.name();
  }

  private StepState current() {
    return steps.isEmpty() ? null : steps.get(steps.size() - 1);
  }

  /** Ends the step still running (cleanup steps may have been added after it). */
  private void finishCurrent(String status, String stepDetail) {
    for (int i = steps.size() - 1; i >= 0; i--) {
      StepState step = steps.get(i);
      if (step.stoppedAt() == null) {
        steps.set(i, new StepState(step.name(), status, step.startedAt(), now(),
            stepDetail == null ? step.detail() : stepDetail));
        return;
      }
    }
  }

  /** A JSON-friendly map of the non-null pairs, in order. */
  static Map<String, Object> map(Object... keyValues) {
    Map<String, Object> map = new LinkedHashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      if (keyValues[i + 1] != null) {
        map.put((String) keyValues[i], keyValues[i + 1]);
      }
    }
    return map;
  }
}
