package dev.lifeboat.api.schedules;

import dev.lifeboat.api.RequestText;
import dev.lifeboat.api.errors.TemporalFailures;
import dev.lifeboat.common.ErrorType;
import dev.lifeboat.common.LifeboatException;
import dev.lifeboat.common.model.ScheduleDescription;
import dev.lifeboat.common.model.ScheduleSpec;
import dev.lifeboat.common.workflow.ScheduleWorkflow;
import io.grpc.Context;
import io.grpc.Deadline;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowNotFoundException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The configured schedules, through their workflows: {@code describe} queries and the
 * pause/resume/trigger signals. Every call to Temporal runs under a short deadline: a query needs a
 * worker to answer it, and without one the caller must hear 503 soon, not after the client's
 * own retries run out.
 */
public final class ScheduleControl {
  /** Long enough for a worker to answer a query, short enough for a person waiting on it. */
  public static final Duration DEFAULT_DEADLINE = Duration.ofSeconds(3);

  /** Fires gRPC deadlines; one daemon thread for all instances, as gRPC would use for its own. */
  private static final ScheduledExecutorService DEADLINES = Executors.newSingleThreadScheduledExecutor(runnable -> {
    Thread thread = new Thread(runnable, "lifeboat-api-schedule-deadlines");
    thread.setDaemon(true);
    return thread;
  });

  private static final Logger LOG = LoggerFactory.getLogger(ScheduleControl.class);

  private final WorkflowClient client;
  private final Map<String, ScheduleSpec> schedules = new LinkedHashMap<>();
  private final Duration deadline;

  public ScheduleControl(WorkflowClient client, List<ScheduleSpec> schedules, Duration deadline) {
    this.client = client;
    schedules.forEach(spec -> this.schedules.put(spec.id(), spec));
    this.deadline = deadline;
  }

  /** Every configured schedule, described; one that cannot be described fails the list. */
  public List<ScheduleDescription> list() {
    return schedules.keySet().stream().map(this::describe).toList();
  }

  public ScheduleDescription describe(String id) {
    ScheduleSpec spec = known(id);
    return call(spec, "describe", () -> stub(spec).describe());
  }

  /** The reason is required; the schedule shows it with who paused, until resumed. */
  public ScheduleDescription pause(String id, String reason, String requester) {
    known(id);
    String shown = RequestText.reason(reason) + " (paused by " + requester + ")";
    return signal(id, "pause", requester, schedule -> schedule.pause(shown));
  }

  public ScheduleDescription resume(String id, String requester) {
    return signal(id, "resume", requester, ScheduleWorkflow::resume);
  }

  public ScheduleDescription trigger(String id, String requester) {
    return signal(id, "trigger", requester, ScheduleWorkflow::trigger);
  }

  /**
   * Signals, then describes. The description is the workflow's answer right after the signal was
   * delivered; the workflow may not have handled the signal yet.
   */
  private ScheduleDescription signal(String id, String signal, String requester, Consumer<ScheduleWorkflow> send) {
    ScheduleSpec spec = known(id);
    call(spec, signal, () -> {
      send.accept(stub(spec));
      return null;
    });
    LOG.info("Schedule {}: {} signalled by {}", id, signal, requester);
    try {
      return call(spec, "describe", () -> stub(spec).describe());
    } catch (LifeboatException e) {
      if (e.type() != ErrorType.TEMPORAL_UNAVAILABLE) {
        throw e;
      }
      throw new LifeboatException(ErrorType.TEMPORAL_UNAVAILABLE, "The " + signal + " of schedule " + id
          + " was delivered, but the schedule could not be described afterwards: " + e.getMessage(),
          e.details(), e);
    }
  }

  private ScheduleWorkflow stub(ScheduleSpec spec) {
    return client.newWorkflowStub(ScheduleWorkflow.class, spec.workflowId());
  }

  private ScheduleSpec known(String id) {
    ScheduleSpec spec = schedules.get(id);
    if (spec == null) {
      throw new LifeboatException(ErrorType.SCHEDULE_NOT_FOUND, "No schedule is called '" + id
          + "'; GET /v1/schedules lists them. Schedules are defined in the configuration.",
          Map.of("schedule", id, "schedules", List.copyOf(schedules.keySet())));
    }
    return spec;
  }

  /** Runs one Temporal call under the deadline and says what failed in our terms. */
  private <T> T call(ScheduleSpec spec, String action, Callable<T> temporalCall) {
    Context.CancellableContext context = Context.current()
        .withDeadline(Deadline.after(deadline.toMillis(), TimeUnit.MILLISECONDS), DEADLINES);
    try {
      return context.call(temporalCall);
    } catch (WorkflowNotFoundException e) {
      throw new LifeboatException(ErrorType.SCHEDULE_NOT_FOUND, "Schedule " + spec.id()
          + " is configured, but its workflow " + spec.workflowId() + " does not exist: it is created when"
          + " Lifeboat starts. Restart it, or check its log for why the schedule was not created.",
          Map.of("schedule", spec.id(), "workflowId", spec.workflowId()), e);
    } catch (Exception e) {
      if (TemporalFailures.unavailable(e) || context.isCancelled()) {
        throw new LifeboatException(ErrorType.TEMPORAL_UNAVAILABLE, "Schedule " + spec.id() + " did not answer "
            + action + " within " + deadline.toMillis() + " ms (" + TemporalFailures.summary(e) + "): Temporal is"
            + " down or no worker polls its task queue. Retry in a moment.",
            Map.of("schedule", spec.id()), e);
      }
      throw e instanceof RuntimeException re ? re : new IllegalStateException(e);
    } finally {
      context.cancel(null);
    }
  }
}
