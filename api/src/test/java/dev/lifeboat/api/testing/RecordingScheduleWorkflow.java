package dev.lifeboat.api.testing;

import dev.lifeboat.common.Cron;
import dev.lifeboat.common.model.ScheduleDescription;
import dev.lifeboat.common.model.ScheduleFire;
import dev.lifeboat.common.model.ScheduleSpec;
import dev.lifeboat.common.model.ScheduleState;
import dev.lifeboat.common.workflow.ScheduleWorkflow;
import io.temporal.workflow.Workflow;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Stands in for the real schedule: never fires on its own, keeps what the signals say, and
 * records a trigger as a started fire, so tests can drive the API's signals and query through
 * the real Temporal client.
 */
public class RecordingScheduleWorkflow implements ScheduleWorkflow {
  private ScheduleSpec spec;
  private boolean paused;
  private String pausedReason;
  private final List<ScheduleFire> recent = new ArrayList<>();
  private long fires;
  private long skips;

  @Override
  public void run(ScheduleState state) {
    spec = state.spec();
    paused = state.paused();
    pausedReason = state.pausedReason();
    recent.addAll(state.recent());
    fires = state.fires();
    skips = state.skips();
    Workflow.await(() -> false);
  }

  @Override
  public void pause(String reason) {
    paused = true;
    pausedReason = reason;
  }

  @Override
  public void resume() {
    paused = false;
    pausedReason = null;
  }

  @Override
  public void trigger() {
    Instant now = Instant.ofEpochMilli(Workflow.currentTimeMillis());
    fires++;
    recent.add(new ScheduleFire(now, now, "snapshot-" + spec.id() + "-trigger-" + fires, "trigger", "started", null));
  }

  @Override
  public void update(ScheduleSpec spec) {
    this.spec = spec;
  }

  @Override
  public ScheduleDescription describe() {
    Cron cron = Cron.parse(spec.cron(), spec.timeZone());
    Instant next = cron.next(Instant.ofEpochMilli(Workflow.currentTimeMillis()));
    return new ScheduleDescription(spec.id(), spec.cron(), spec.timeZone(), spec.kind(), paused, pausedReason,
        List.of(next, cron.next(next)), List.copyOf(recent), fires, skips);
  }
}
