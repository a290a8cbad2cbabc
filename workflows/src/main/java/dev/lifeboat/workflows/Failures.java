package dev.lifeboat.workflows;

import dev.lifeboat.common.ErrorType;
import dev.lifeboat.common.model.RunError;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;

/** Reads the type and message an activity or child failure carries down its cause chain. */
final class Failures {
  private Failures() {}

  static boolean isCancellation(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof CanceledFailure) {
        return true;
      }
    }
    return false;
  }

  static String type(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof ApplicationFailure app) {
        return ErrorType.fromName(app.getType()).name();
      }
    }
    return ErrorType.INTERNAL.name();
  }

  static String message(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof ApplicationFailure app) {
        return app.getOriginalMessage();
      }
    }
    Throwable root = failure;
    while (root.getCause() != null) {
      root = root.getCause();
    }
    return root.getMessage();
  }

  static RunError error(Throwable failure) {
    return new RunError(type(failure), message(failure));
  }
}
