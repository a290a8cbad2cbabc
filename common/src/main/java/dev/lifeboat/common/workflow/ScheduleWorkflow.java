package dev.lifeboat.common.workflow;

import dev.lifeboat.common.model.ScheduleDescription;
import dev.lifeboat.common.model.ScheduleSpec;
import dev.lifeboat.common.model.ScheduleState;
import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * A durable cron schedule of our own (the embedded Temporal server has no Schedules API, so this
 * runs the same on both): sleeps to the next fire time, starts the run with a deterministic id,
 * skips a fire while the previous run still runs, catches up once after downtime, and
 * continues-as-new so its history stays small.
 */
@WorkflowInterface
public interface ScheduleWorkflow {
  @WorkflowMethod
  void run(ScheduleState state);

  @SignalMethod
  void pause(String reason);

  @SignalMethod
  void resume();

  /** Fires now, once, whatever the cron says (still skipped while the previous run runs). */
  @SignalMethod
  void trigger();

  /** Replaces the spec, e.g. when the configuration's cron changed; takes effect for the next fire. */
  @SignalMethod
  void update(ScheduleSpec spec);

  @QueryMethod
  ScheduleDescription describe();
}
