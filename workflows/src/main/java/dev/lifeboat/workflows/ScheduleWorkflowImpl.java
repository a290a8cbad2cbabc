package dev.lifeboat.workflows;

import dev.lifeboat.common.Cron;
import dev.lifeboat.common.LifeboatException;
import dev.lifeboat.common.model.DrillReport;
import dev.lifeboat.common.model.DrillRequest;
import dev.lifeboat.common.model.PitrFinding;
import dev.lifeboat.common.model.ReapRequest;
import dev.lifeboat.common.model.ReapResult;
import dev.lifeboat.common.model.RetentionRequest;
import dev.lifeboat.common.model.RetentionResult;
import dev.lifeboat.common.model.RunKind;
import dev.lifeboat.common.model.ScheduleDescription;
import dev.lifeboat.common.model.ScheduleFire;
import dev.lifeboat.common.model.ScheduleSpec;
import dev.lifeboat.common.model.ScheduleState;
import dev.lifeboat.common.model.SnapshotRequest;
import dev.lifeboat.common.model.SnapshotResult;
import dev.lifeboat.common.workflow.DrDrillWorkflow;
import dev.lifeboat.common.workflow.ReaperWorkflow;
import dev.lifeboat.common.workflow.RetentionWorkflow;
import dev.lifeboat.common.workflow.ScheduleWorkflow;
import dev.lifeboat.common.workflow.SnapshotWorkflow;
import io.temporal.api.enums.v1.ParentClosePolicy;
import io.temporal.failure.TemporalFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.ChildWorkflowOptions;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;

public class ScheduleWorkflowImpl implements ScheduleWorkflow {
  /** Fires kept for {@code describe}. */
  static final int RECENT = 20;
  /** Fire times handled before the history is restarted with continue-as-new. */
  static final int HANDLED_PER_RUN = 100;

  /** Change id of the {@code drill} kind: a drill schedule's fire starts a DR drill from version 1 on. */
  static final String DRILL_SCHEDULES = "schedule-drill-kind";

  private static final Logger log = Workflow.getLogger(ScheduleWorkflowImpl.class);
  private static final DateTimeFormatter TRIGGER_STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

  private ScheduleSpec spec;
  private Cron cron;
  private boolean paused;
  private String pausedReason;
  private Instant lastScheduledFor;
  private final List<ScheduleFire> recent = new ArrayList<>();
  private long fires;
  private long skips;
  private boolean wake;
  private boolean triggerRequested;
  private ScheduleSpec pendingSpec;
  private Promise<Boolean> running;
  private String runningId;
  private int handled;

  @Override
  public void run(ScheduleState state) {
    spec = state.spec();
    cron = Cron.parse(spec.cron(), spec.timeZone());
    paused = state.paused();
    pausedReason = state.pausedReason();
    recent.addAll(state.recent());
    fires = state.fires();
    skips = state.skips();
    // A new schedule starts with the next fire time; it does not replay the past.
    lastScheduledFor = state.lastScheduledFor() != null ? state.lastScheduledFor() : now();

    while (true) {
      if (pendingSpec != null) {
        applySpec(pendingSpec);
        pendingSpec = null;
      }
      if (triggerRequested) {
        triggerRequested = false;
        Instant at = now();
        fire(at, "trigger", runIdFor(TRIGGER_STAMP.format(at)));
        continue;
      }
      Instant now = now();
      Instant next = cron.next(lastScheduledFor);
      if (!next.isAfter(now)) {
        // Due: on time, or late after downtime. Only the newest missed time fires (catch up once).
        Instant latest = cron.latestAtOrBefore(now);
        Instant due = latest == null || latest.isBefore(next) ? next : latest;
        if (!paused) {
          fire(due, due.equals(next) ? "schedule" : "catch-up", runIdFor(SnapshotIds.stamp(due)));
        }
        lastScheduledFor = due;
        handled++;
        // Signals that arrived while a run was starting are handled before the history restarts.
        if (handled >= HANDLED_PER_RUN && idle() && pendingSpec == null && !triggerRequested) {
          log.info("schedule {} continues as new after {} fire times", spec.id(), handled);
          Workflow.newContinueAsNewStub(ScheduleWorkflow.class).run(state());
          return;
        }
        continue;
      }
      wake = false;
      Workflow.await(Duration.between(now, next), () -> wake);
    }
  }

  @Override
  public void pause(String reason) {
    paused = true;
    pausedReason = reason;
    wake = true;
  }

  @Override
  public void resume() {
    paused = false;
    pausedReason = null;
    wake = true;
  }

  @Override
  public void trigger() {
    triggerRequested = true;
    wake = true;
  }

  @Override
  public void update(ScheduleSpec newSpec) {
    pendingSpec = newSpec;
    wake = true;
  }

  @Override
  public ScheduleDescription describe() {
    List<Instant> nextTimes = new ArrayList<>();
    Instant from = lastScheduledFor == null ? now() : lastScheduledFor;
    for (int i = 0; i < 3 && cron != null; i++) {
      from = cron.next(from);
      nextTimes.add(from);
    }
    return new ScheduleDescription(spec.id(), spec.cron(), spec.timeZone(), spec.kind(), paused, pausedReason,
        nextTimes, List.copyOf(recent), fires, skips);
  }

  private void applySpec(ScheduleSpec newSpec) {
    try {
      cron = Cron.parse(newSpec.cron(), newSpec.timeZone());
      spec = newSpec;
      log.info("schedule {} now runs on '{}' ({})", spec.id(), spec.cron(), spec.timeZone());
    } catch (LifeboatException e) {
      // Start-up validates the configuration; a bad spec that still arrives keeps the old one.
      log.error("schedule {} keeps '{}': the update does not parse: {}", spec.id(), spec.cron(), e.getMessage());
    }
  }

  private void fire(Instant scheduledFor, String trigger, String runId) {
    Instant firedAt = now();
    if (!idle()) {
      skips++;
      remember(new ScheduleFire(scheduledFor, firedAt, runId, trigger, "skipped",
          "the previous run " + runningId + " still runs"));
      log.warn("schedule {} skips its {} fire for {}: the previous run {} still runs", spec.id(), trigger,
          scheduledFor, runningId);
      return;
    }
    Promise<Boolean> result;
    try {
      result = startRun(scheduledFor, trigger, runId);
    } catch (TemporalFailure e) {
      skips++;
      remember(new ScheduleFire(scheduledFor, firedAt, runId, trigger, "skipped",
          "could not start " + runId + ": " + Failures.message(e)));
      return;
    }
    if (result == null) {
      skips++;
      remember(new ScheduleFire(scheduledFor, firedAt, runId, trigger, "skipped",
          "the schedule has no " + spec.kind().wireName() + " settings"));
      return;
    }
    fires++;
    running = result;
    runningId = runId;
    remember(new ScheduleFire(scheduledFor, firedAt, runId, trigger, "started", null));
    result.handle((succeeded, failure) -> {
      String outcome = failure == null && succeeded ? "succeeded" : "failed";
      String detail = failure != null ? Failures.message(failure) : null;
      for (int i = 0; i < recent.size(); i++) {
        ScheduleFire fire = recent.get(i);
        if (runId.equals(fire.runId()) && "started".equals(fire.outcome())) {
          recent.set(i, new ScheduleFire(fire.scheduledFor(), fire.firedAt(), runId, fire.trigger(), outcome, detail));
        }
      }
      return null;
    });
  }

  /**
   * Starts the run a fire makes, as a child that outlives this schedule's history (continue-as-new
   * must not cancel it), and waits until it has started. Returns whether it succeeded, or null when
   * the spec has nothing to start.
   */
  private Promise<Boolean> startRun(Instant scheduledFor, String trigger, String runId) {
    ChildWorkflowOptions options = ChildWorkflowOptions.newBuilder()
        .setWorkflowId(runId)
        .setParentClosePolicy(ParentClosePolicy.PARENT_CLOSE_POLICY_ABANDON)
        .build();
    String requester = "schedule:" + spec.id();
    String reason = trigger + " fire of schedule " + spec.id();
    if (spec.kind() == RunKind.SNAPSHOT && spec.snapshot() != null) {
      SnapshotRequest t = spec.snapshot();
      SnapshotWorkflow child = Workflow.newChildWorkflowStub(SnapshotWorkflow.class, options);
      Promise<SnapshotResult> result = Async.function(child::snapshot, new SnapshotRequest(t.policy(), t.instances(),
          t.drRegions(), requester, reason, scheduledFor, t.maxParallel()));
      Workflow.getWorkflowExecution(child).get();
      return result.thenApply(SnapshotResult::allSucceeded);
    }
    if (spec.kind() == RunKind.RETENTION && spec.retention() != null) {
      RetentionRequest t = spec.retention();
      RetentionWorkflow child = Workflow.newChildWorkflowStub(RetentionWorkflow.class, options);
      Promise<RetentionResult> result = Async.function(child::expire, new RetentionRequest(t.policy(), t.instances(),
          t.retention(), t.minimumKept(), t.maxArchiveLag(), t.dryRun(), requester, reason));
      Workflow.getWorkflowExecution(child).get();
      return result.thenApply(r -> r.findings().stream().noneMatch(PitrFinding::broken));
    }
    // Drill schedules came after schedules shipped: the version marker keeps older histories replaying.
    if (spec.kind() == RunKind.DRILL && spec.drill() != null
        && Workflow.getVersion(DRILL_SCHEDULES, Workflow.DEFAULT_VERSION, 1) == 1) {
      DrillRequest t = spec.drill();
      DrDrillWorkflow child = Workflow.newChildWorkflowStub(DrDrillWorkflow.class, options);
      Promise<DrillReport> result = Async.function(child::drill, new DrillRequest(t.instance(), t.region(), t.source(),
          t.verification(), t.targets(), reason, requester, t.kind(), t.database(), t.analyticsReplica(),
          t.maxDataLoss()));
      Workflow.getWorkflowExecution(child).get();
      return result.thenApply(DrillReport::passed);
    }
    if (spec.kind() == RunKind.REAPER && spec.reaper() != null) {
      ReaperWorkflow child = Workflow.newChildWorkflowStub(ReaperWorkflow.class, options);
      Promise<ReapResult> result = Async.function(child::reap,
          new ReapRequest(spec.reaper().grace(), requester, reason));
      Workflow.getWorkflowExecution(child).get();
      return result.thenApply(r -> true);
    }
    return null;
  }

  private boolean idle() {
    return running == null || running.isCompleted();
  }

  private void remember(ScheduleFire fire) {
    recent.add(fire);
    while (recent.size() > RECENT) {
      recent.remove(0);
    }
  }

  private String runIdFor(String stamp) {
    return spec.kind().wireName() + "-" + spec.id() + "-" + stamp;
  }

  private ScheduleState state() {
    return new ScheduleState(spec, paused, pausedReason, lastScheduledFor, List.copyOf(recent), fires, skips);
  }

  private static Instant now() {
    return Instant.ofEpochMilli(Workflow.currentTimeMillis());
  }
}
