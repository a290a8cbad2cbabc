package dev.lifeboat.api.views;

import dev.lifeboat.common.model.StepState;
import java.time.Duration;
import java.time.Instant;

/** One step of a run, with its duration once it stopped. */
public record StepView(
    String name, String status, Instant startedAt, Instant stoppedAt, Long durationMs, String detail) {
  public static StepView of(StepState step) {
    Long duration = step.startedAt() != null && step.stoppedAt() != null
        ? Duration.between(step.startedAt(), step.stoppedAt()).toMillis()
        : null;
    return new StepView(step.name(), step.status(), step.startedAt(), step.stoppedAt(), duration, step.detail());
  }
}
