package dev.lifeboat.rds;

/**
 * An AWS failure a later attempt may not meet (throttling, a 5xx, no answer). Deliberately not a
 * {@link dev.lifeboat.common.LifeboatException}: Temporal retries it with the activity's backoff
 * after the SDK's own retries gave up.
 */
public class RdsTransientException extends RuntimeException {
  public RdsTransientException(String message, Throwable cause) {
    super(message, cause);
  }

  public RdsTransientException(String message) {
    super(message);
  }
}
