package dev.lifeboat.api.runs;

import dev.lifeboat.api.errors.TemporalFailures;
import dev.lifeboat.catalog.RunStore;
import dev.lifeboat.common.ErrorType;
import dev.lifeboat.common.LifeboatException;
import dev.lifeboat.common.model.RunError;
import dev.lifeboat.common.model.RunKind;
import dev.lifeboat.common.model.RunPhase;
import dev.lifeboat.common.model.RunState;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowOptions;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records a validated run as pending, then starts its workflow with the run id as workflow id.
 * The run is recorded first so that it can be listed (and explained) even when Temporal refuses
 * the start. A run id names one workflow, ever: a second start with the same id is refused by
 * Temporal, even after the first has closed.
 */
public final class RunStarter {
  private static final Logger LOG = LoggerFactory.getLogger(RunStarter.class);
  private static final String NOT_STARTED = "the workflow did not start: ";

  /** The run, and whether this request started it (false: an earlier request with the same run id did). */
  public record Started(RunState run, boolean created) {}

  private final WorkflowClient client;
  private final String taskQueue;
  private final RunStore runs;
  private final Clock clock;

  public RunStarter(WorkflowClient client, String taskQueue, RunStore runs, Clock clock) {
    this.client = client;
    this.taskQueue = taskQueue;
    this.runs = runs;
    this.clock = clock;
  }

  /** A run about to start, stamped now. */
  public RunState pending(String runId, RunKind kind, String instance, String requester, String reason,
      Map<String, Object> request) {
    return new RunState(runId, kind, instance, requester, reason, RunPhase.PENDING, null, null, null, null, List.of(),
        request, null, null, null, now(), null, null);
  }

  /**
   * Saves the pending run and starts its workflow, e.g. {@code w -> WorkflowClient.start(w::restore, request)}.
   *
   * @return the pending run
   * @throws WorkflowExecutionAlreadyStarted when a workflow with the run's id exists already; the
   *     catalog's run is left as the caller saved it, for the caller to answer with
   * @throws LifeboatException TEMPORAL_UNAVAILABLE when the workflow did not start; the run is then recorded as failed
   */
  public <W> RunState start(RunState pending, Class<W> workflowType, Consumer<W> start) {
    String runId = pending.runId();
    runs.save(pending);
    W workflow = client.newWorkflowStub(workflowType, WorkflowOptions.newBuilder()
        .setWorkflowId(runId)
        .setTaskQueue(taskQueue)
        .setWorkflowIdReusePolicy(WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE)
        .build());
    try {
      start.accept(workflow);
    } catch (WorkflowExecutionAlreadyStarted e) {
      throw e;
    } catch (RuntimeException e) {
      String cause = TemporalFailures.summary(e);
      LOG.warn("Workflow of {} run {} did not start: {}", pending.kind().wireName(), runId, cause, e);
      markFailed(pending, cause);
      throw new LifeboatException(ErrorType.TEMPORAL_UNAVAILABLE,
          "The " + pending.kind().wireName() + " could not be started: Temporal did not accept the workflow ("
              + cause + "). Run " + runId + " is recorded as failed; send the request again in a moment.",
          Map.of("runId", runId), e);
    }
    return pending;
  }

  /**
   * Starts the run unless a run of the same id exists already, for run ids that are business keys
   * (one per minute, say): a repeated request then gets the first request's run back instead of a
   * second workflow. A run whose workflow never started (Temporal was down) ran nothing: it is
   * started again.
   *
   * @throws LifeboatException TEMPORAL_UNAVAILABLE as {@link #start} does
   */
  public <W> Started startOnce(RunState pending, Class<W> workflowType, Consumer<W> start) {
    String runId = pending.runId();
    Optional<RunState> existing = runs.find(runId).filter(run -> !neverStarted(run));
    if (existing.isPresent()) {
      LOG.info("{} run {} exists already; answering it instead of starting another", pending.kind().wireName(), runId);
      return new Started(existing.get(), false);
    }
    try {
      return new Started(start(pending, workflowType, start), true);
    } catch (WorkflowExecutionAlreadyStarted e) {
      // a concurrent request with the same run id started it between our look in the catalog and
      // our start; its run is in the catalog (ours, pending, was saved just before the refusal)
      LOG.info("{} run {} was started by a concurrent request", pending.kind().wireName(), runId);
      return new Started(runs.find(runId).orElseThrow(() -> e), false);
    }
  }

  /**
   * {@link #startOnce} when {@code once}, else {@link #start}: for run ids that are new, unless a
   * repeated {@code Idempotency-Key} named the run an earlier request reserved (see {@link Idempotency}).
   *
   * @throws WorkflowExecutionAlreadyStarted as {@link #start} does, when not {@code once}
   */
  public <W> Started start(RunState pending, Class<W> workflowType, Consumer<W> start, boolean once) {
    return once ? startOnce(pending, workflowType, start) : new Started(start(pending, workflowType, start), true);
  }

  /** A run recorded as failed because its workflow never started: nothing ran under its id. */
  public static boolean neverStarted(RunState run) {
    return run.phase() == RunPhase.FAILED && run.error() != null
        && ErrorType.TEMPORAL_UNAVAILABLE.name().equals(run.error().type())
        && run.error().message() != null && run.error().message().startsWith(NOT_STARTED);
  }

  private void markFailed(RunState pending, String cause) {
    try {
      runs.save(new RunState(pending.runId(), pending.kind(), pending.instance(), pending.requester(),
          pending.reason(), RunPhase.FAILED, null, null, null, null, List.of(), pending.request(), null, null,
          new RunError(ErrorType.TEMPORAL_UNAVAILABLE.name(), NOT_STARTED + cause),
          pending.startedAt(), now(), null));
    } catch (RuntimeException e) {
      // the caller already gets the start failure; a pending run without workflow is what remains
      LOG.error("Run {} could not be marked failed after its workflow did not start", pending.runId(), e);
    }
  }

  /** Milliseconds are what JSON clients read back; finer digits would only differ between copies. */
  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MILLIS);
  }
}
