package dev.lifeboat.common.model;

import java.time.Instant;

/**
 * One step of a run.
 *
 * @param status {@code running}, {@code succeeded}, {@code failed} or {@code skipped}
 */
public record StepState(String name, String status, Instant startedAt, Instant stoppedAt, String detail) {}
