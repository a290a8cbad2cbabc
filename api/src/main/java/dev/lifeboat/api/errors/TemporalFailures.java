package dev.lifeboat.api.errors;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import dev.lifeboat.common.ErrorType;
import io.temporal.failure.ApplicationFailure;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Tells a Temporal outage from other client failures, down the cause chain. */
public final class TemporalFailures {
  private static final Set<Status.Code> OUTAGE = Set.of(
      Status.Code.UNAVAILABLE, Status.Code.DEADLINE_EXCEEDED, Status.Code.RESOURCE_EXHAUSTED);

  private static final Pattern TYPE_PREFIX = Pattern.compile("([A-Z][A-Z_]+): ");

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

  /**
   * The type of an update validator's refusal. SDK 1.38 loses it on the way (sdk-java#2875), so
   * the workflows also lead the message with it ("SELF_APPROVAL: ..."); read from there when the
   * type is not ours.
   */
  public static ErrorType rejectionType(ApplicationFailure refused) {
    ErrorType type = ErrorType.fromName(refused.getType());
    if (type != ErrorType.INTERNAL) {
      return type;
    }
    Matcher m = TYPE_PREFIX.matcher(String.valueOf(refused.getOriginalMessage()));
    return m.lookingAt() ? ErrorType.fromName(m.group(1)) : ErrorType.INTERNAL;
  }

  /** The refusal's words without the type prefix. */
  public static String rejectionMessage(ApplicationFailure refused) {
    String message = String.valueOf(refused.getOriginalMessage());
    Matcher m = TYPE_PREFIX.matcher(message);
    return m.lookingAt() && ErrorType.fromName(m.group(1)) != ErrorType.INTERNAL ? message.substring(m.end()) : message;
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
