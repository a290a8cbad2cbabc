package dev.lifeboat.common;

import java.util.Map;

/**
 * A failure with a type the caller can act on. Platforms throw it; activities turn it into a
 * non-retryable {@code ApplicationFailure} of the same type; the API maps it to its HTTP status.
 */
public class LifeboatException extends RuntimeException {
  private final ErrorType type;
  private final Map<String, Object> details;

  public LifeboatException(ErrorType type, String message) {
    this(type, message, Map.of(), null);
  }

  public LifeboatException(ErrorType type, String message, Map<String, Object> details) {
    this(type, message, details, null);
  }

  public LifeboatException(ErrorType type, String message, Map<String, Object> details, Throwable cause) {
    super(message, cause);
    this.type = type;
    this.details = details == null ? Map.of() : Map.copyOf(details);
  }

  public ErrorType type() {
    return type;
  }

  public Map<String, Object> details() {
    return details;
  }
}
