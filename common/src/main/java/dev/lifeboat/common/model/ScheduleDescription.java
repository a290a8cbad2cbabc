package dev.lifeboat.common.model;

import java.time.Instant;
import java.util.List;

/** A schedule as its {@code describe} query answers. */
public record ScheduleDescription(
    String id,
    String cron,
    String timeZone,
    RunKind kind,
    boolean paused,
    String pausedReason,
    List<Instant> nextFireTimes,
    List<ScheduleFire> recent,
    long fires,
    long skips) {}
