package dev.lifeboat.api.errors;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.Set;

/** Tells a Temporal outage from other client failures, down the cause chain. */
public final class TemporalFailures {
  private static final Set<Status.Code> OUTAGE = Set.of(
      Status.Code.UNAVAILABLE, Status.Code.DEADLINE_EXCEEDED, Status.Code.RESOURCE_EXHAUSTED);

  private TemporalFailures() {}

  public static boolean unavailable(Throwable failure) {
    StatusRuntimeException status = status(failure);
    return status != null && OUTAGE.contains(status.getStatus().getCode());
  }

  /** The gRPC status when there is one (e.g. "UNAVAILABLE: io exception"), else the exception's class. */
  public static String summary(Throwable failure) {
    StatusRuntimeException status = status(failure);
    if (status != null) {
      Status s = status.getStatus();
      return s.getCode() + (s.getDescription() == null ? "" : ": " + s.getDescription());
    }
    return failure.getClass().getSimpleName();
  }

  private static StatusRuntimeException status(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof StatusRuntimeException sre) {
        return sre;
      }
    }
    return null;
  }
}
