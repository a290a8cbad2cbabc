package dev.lifeboat.common.model;

import java.time.Instant;
import java.util.List;

/**
 * What a schedule carries across continue-as-new.
 *
 * @param lastScheduledFor the newest cron time already handled (fired, skipped or caught up);
 *     null before the first
 * @param recent the newest fires, newest last, bounded
 */
public record ScheduleState(
    ScheduleSpec spec,
    boolean paused,
    String pausedReason,
    Instant lastScheduledFor,
    List<ScheduleFire> recent,
    long fires,
    long skips) {

  public static ScheduleState initial(ScheduleSpec spec) {
    return new ScheduleState(spec, false, null, null, List.of(), 0, 0);
  }
}
