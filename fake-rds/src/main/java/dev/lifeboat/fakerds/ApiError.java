package dev.lifeboat.fakerds;

import dev.lifeboat.common.LifeboatException;

/** An AWS error answer: its code, message and HTTP status ({@code Sender} faults unless 5xx). */
final class ApiError extends RuntimeException {
  private final String code;
  private final int status;

  ApiError(int status, String code, String message) {
    super(message);
    this.code = code;
    this.status = status;
  }

  String code() {
    return code;
  }

  int status() {
    return status;
  }

  /** {@code Sender} for client errors, {@code Receiver} for server errors, as the Query API says. */
  String type() {
    return status >= 500 ? "Receiver" : "Sender";
  }

  /** A typed failure of the local platform, as the RDS error closest to it. */
  static ApiError from(LifeboatException e) {
    return switch (e.type()) {
      case INSTANCE_NOT_FOUND -> new ApiError(404, "DBInstanceNotFound", e.getMessage());
      case SNAPSHOT_NOT_FOUND -> new ApiError(404, "DBSnapshotNotFound", e.getMessage());
      case SNAPSHOT_QUOTA_EXCEEDED -> new ApiError(400, "SnapshotQuotaExceeded", e.getMessage());
      case INVALID_INSTANCE_STATE -> instanceState(e.getMessage());
      default -> e.type().httpStatus() >= 500 ? new ApiError(500, "InternalFailure", e.getMessage())
          : invalidParameter(e.getMessage());
    };
  }

  static ApiError invalidParameter(String message) {
    return new ApiError(400, "InvalidParameterValue", message);
  }

  static ApiError invalidCombination(String message) {
    return new ApiError(400, "InvalidParameterCombination", message);
  }

  static ApiError missing(String parameter) {
    return new ApiError(400, "MissingParameter", "The request must contain the parameter " + parameter);
  }

  static ApiError instanceNotFound(String id) {
    return new ApiError(404, "DBInstanceNotFound", "DBInstance " + id + " not found.");
  }

  static ApiError snapshotNotFound(String id) {
    return new ApiError(404, "DBSnapshotNotFound", "DBSnapshot " + id + " not found.");
  }

  static ApiError instanceState(String message) {
    return new ApiError(400, "InvalidDBInstanceState", message);
  }

  static ApiError snapshotState(String message) {
    return new ApiError(400, "InvalidDBSnapshotState", message);
  }
}
