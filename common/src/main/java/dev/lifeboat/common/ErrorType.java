package dev.lifeboat.common;

/**
 * Every failure Lifeboat reports by type. The name is the Temporal failure type and the
 * {@code error} field of the API's JSON error body; the HTTP status lives here and nowhere else.
 */
public enum ErrorType {
  INVALID_REQUEST(400, "The request is malformed or misses a required field."),
  RESTORE_TIME_OUTSIDE_WINDOW(400, "The target time is outside the restorable window."),
  RESTORE_TIME_IN_FUTURE(400, "The target time is in the future."),
  TTL_OUT_OF_RANGE(400, "The TTL is outside the allowed range."),
  INSTANCE_NOT_FOUND(404, "No managed instance has that id."),
  RUN_NOT_FOUND(404, "No run has that id."),
  SNAPSHOT_NOT_FOUND(404, "No snapshot has that id in that region."),
  REGION_NOT_FOUND(404, "The platform serves no region of that name."),
  SCHEDULE_NOT_FOUND(404, "No schedule has that id."),
  NOT_FOUND(404, "Nothing is served at that path."),
  METHOD_NOT_ALLOWED(405, "That method is not allowed on this path."),
  RUN_ALREADY_FINISHED(409, "The run has already finished."),
  NOT_A_TEMPORARY_INSTANCE(409, "Only temporary instances created by Lifeboat may be deleted."),
  UNSUPPORTED_MEDIA_TYPE(415, "The request body must be JSON."),
  /** Recovery stopped before the target: the WAL needed to reach it is not in the archive. */
  RECOVERY_TARGET_NOT_REACHED(422, "Recovery ended before the target time was reached."),
  /** Archived WAL between the snapshot and the target is missing. */
  WAL_MISSING(422, "WAL segments needed for the restore are missing from the archive."),
  /** The run's workflow is gone (an embedded Temporal server restarted); its resources were cleaned up. */
  RUN_LOST(500, "The run's workflow no longer exists."),
  /** An instance's point-in-time window is broken: its archive lags or has a gap. */
  PITR_WINDOW_BROKEN(500, "A point-in-time window is broken; the run's findings say where."),
  /** Some parts of a run failed (e.g. one instance of a policy); the result names each. */
  PARTIAL_FAILURE(500, "Some parts of the run failed; its result says which."),
  INSTANCE_START_FAILED(500, "The instance did not start."),
  PLATFORM_ERROR(502, "The platform reported an error."),
  TEMPORAL_UNAVAILABLE(503, "The Temporal service cannot be reached."),
  CATALOG_UNAVAILABLE(503, "The catalog database cannot be reached."),
  INTERNAL(500, "An unexpected error occurred.");

  private final int httpStatus;
  private final String summary;

  ErrorType(int httpStatus, String summary) {
    this.httpStatus = httpStatus;
    this.summary = summary;
  }

  public int httpStatus() {
    return httpStatus;
  }

  public String summary() {
    return summary;
  }

  /** The type of a failure name, or {@link #INTERNAL} for names that are not ours. */
  public static ErrorType fromName(String name) {
    if (name != null) {
      for (ErrorType type : values()) {
        if (type.name().equals(name)) {
          return type;
        }
      }
    }
    return INTERNAL;
  }
}
