package dev.lifeboat.api.views;

import dev.lifeboat.common.model.ScheduleDescription;
import java.time.Instant;
import java.util.List;

/**
 * A schedule as its workflow describes it.
 *
 * @param kind what each fire starts, a run kind such as {@code snapshot}
 * @param nextFireTimes the next few cron times, whether paused or not
 * @param recent the newest fires, oldest first
 * @param fires runs started; {@code skips} fires that started nothing
 */
public record ScheduleView(
    String id,
    String cron,
    String timeZone,
    String kind,
    boolean paused,
    String pausedReason,
    List<Instant> nextFireTimes,
    List<ScheduleFireView> recent,
    long fires,
    long skips) {

  public static ScheduleView of(ScheduleDescription schedule) {
    return new ScheduleView(
        schedule.id(),
        schedule.cron(),
        schedule.timeZone(),
        schedule.kind() == null ? null : schedule.kind().wireName(),
        schedule.paused(),
        schedule.pausedReason(),
        schedule.nextFireTimes() == null ? List.of() : schedule.nextFireTimes(),
        schedule.recent() == null ? List.of() : schedule.recent().stream().map(ScheduleFireView::of).toList(),
        schedule.fires(),
        schedule.skips());
  }
}
