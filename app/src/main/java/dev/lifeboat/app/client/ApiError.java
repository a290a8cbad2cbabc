package dev.lifeboat.app.client;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The API answered with an error: its one error shape {@code {"code","error","message","details"}},
 * or for an answer that is not in that shape (a proxy's page), the status and the start of the body.
 */
final class ApiError extends RuntimeException {
  private final int status;
  private final String error;
  private final JsonNode details;

  ApiError(int status, String error, String message, JsonNode details) {
    super(message, null, false, false);
    this.status = status;
    this.error = error;
    this.details = details;
  }

  int status() {
    return status;
  }

  /** The stable error name, e.g. {@code RESTORE_TIME_OUTSIDE_WINDOW}, or {@code HTTP 502}. */
  String error() {
    return error;
  }

  JsonNode details() {
    return details;
  }

  /** What the user sees: one line, no stack trace. */
  String line() {
    return "error: " + error + ": " + getMessage();
  }

  ApiError withHint(String hint) {
    return new ApiError(status, error, getMessage() + " " + hint, details);
  }
}
