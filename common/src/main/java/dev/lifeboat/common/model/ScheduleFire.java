package dev.lifeboat.common.model;

import java.time.Instant;

/**
 * One fire of a schedule.
 *
 * @param trigger {@code schedule}, {@code catch-up} (a fire missed while nothing ran) or {@code trigger}
 * @param outcome {@code started}, {@code skipped}, {@code succeeded} or {@code failed}
 */
public record ScheduleFire(Instant scheduledFor, Instant firedAt, String runId, String trigger, String outcome,
    String detail) {}
