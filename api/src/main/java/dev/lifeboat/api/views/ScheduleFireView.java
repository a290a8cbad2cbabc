package dev.lifeboat.api.views;

import dev.lifeboat.common.model.ScheduleFire;
import java.time.Instant;

/**
 * One fire of a schedule.
 *
 * @param trigger {@code schedule}, {@code catch-up} or {@code trigger}
 * @param outcome {@code started}, {@code skipped}, {@code succeeded} or {@code failed}
 */
public record ScheduleFireView(Instant scheduledFor, Instant firedAt, String runId, String trigger, String outcome,
    String detail) {
  public static ScheduleFireView of(ScheduleFire fire) {
    return new ScheduleFireView(fire.scheduledFor(), fire.firedAt(), fire.runId(), fire.trigger(), fire.outcome(),
        fire.detail());
  }
}
