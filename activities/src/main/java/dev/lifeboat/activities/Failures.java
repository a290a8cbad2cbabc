package dev.lifeboat.activities;

import dev.lifeboat.common.LifeboatException;
import io.temporal.failure.ApplicationFailure;
import java.util.function.Supplier;

/** Turns platform failures into Temporal failures of the same type, so workflows and the API see the type. */
final class Failures {
  private Failures() {}

  /** Runs {@code call}; a {@link LifeboatException} becomes a non-retryable failure of its type. */
  static <T> T typed(Supplier<T> call) {
    try {
      return call.get();
    } catch (LifeboatException e) {
      throw ApplicationFailure.newNonRetryableFailureWithCause(e.getMessage(), e.type().name(), null, e.details());
    }
  }
}
