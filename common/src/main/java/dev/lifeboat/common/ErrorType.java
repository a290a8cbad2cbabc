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
  INVALID_TABLE_NAME(400, "A table name is not a valid schema.table identifier."),
  TABLE_NOT_FOUND(400, "No table of that name exists in the source."),
  /** Views, materialized views, partitioned parents, foreign tables: only ordinary tables hold rows to recover. */
  NOT_A_PLAIN_TABLE(400, "Only ordinary tables can be recovered."),
  /** insert-missing matches rows by primary key. */
  NO_PRIMARY_KEY(400, "The table has no primary key, which this import mode needs."),
  NO_COMPARE_REPLICA(400, "The instance has no replica to read current data from."),
  /** A failover names as its candidate an instance that is not a replica of the failed primary. */
  NOT_A_REPLICA(400, "The candidate is not a replica of that primary."),
  /** A drill names a verification suite the configuration does not define. */
  SUITE_NOT_FOUND(400, "No verification suite has that name."),
  /** No bearer token, or one that is unknown, expired or does not verify. */
  UNAUTHENTICATED(401, "The request carries no valid bearer token."),
  /** The caller's roles do not include the one the endpoint needs. */
  FORBIDDEN(403, "The caller's role does not allow this."),
  /** Operators release and cancel their own runs only; admins anyone's. */
  NOT_RUN_OWNER(403, "Only the requester of a run or an admin may do this."),
  /** The requester of a run may not approve or reject it (four-eyes rule). */
  SELF_APPROVAL(403, "The requester of a run cannot approve it."),
  INSTANCE_NOT_FOUND(404, "No managed instance has that id."),
  RUN_NOT_FOUND(404, "No run has that id."),
  SNAPSHOT_NOT_FOUND(404, "No snapshot has that id in that region."),
  REGION_NOT_FOUND(404, "The platform serves no region of that name."),
  SCHEDULE_NOT_FOUND(404, "No schedule has that id."),
  EXPORT_NOT_FOUND(404, "The run has no export (yet)."),
  DRILL_NOT_FOUND(404, "No drill has that id."),
  NOT_FOUND(404, "Nothing is served at that path."),
  METHOD_NOT_ALLOWED(405, "That method is not allowed on this path."),
  RUN_ALREADY_FINISHED(409, "The run has already finished."),
  /** A run that must not run twice at once (a failover of one primary) or be stopped half-way already runs. */
  RUN_ALREADY_RUNNING(409, "A run of this kind is already running for that instance, or cannot be stopped now."),
  RUN_NOT_WAITING_APPROVAL(409, "The run is not waiting for approval."),
  /** Exported and current columns differ and the request did not allow it. */
  SCHEMA_DRIFT(409, "The table's columns changed since the export; the import was refused."),
  /** The import broke a constraint of the production table; its transaction was rolled back. */
  IMPORT_CONFLICT(409, "The import violates a constraint of the production table; nothing was written."),
  /** An approver rejected the run; what it produced (an export) is kept. */
  /** An import waited longer than its lock timeout behind an application's lock; retried. */
  TABLE_LOCKED(409, "The table is locked by another session; the import will retry."),
  REJECTED(409, "An approver rejected the run."),
  APPROVAL_TIMED_OUT(409, "Nobody approved the run in time."),
  /** An Idempotency-Key was sent again with a different request. */
  IDEMPOTENCY_KEY_REUSED(409, "The Idempotency-Key was used before with a different request."),
  NOT_A_TEMPORARY_INSTANCE(409, "Only temporary instances created by Lifeboat may be deleted."),
  /** A snapshot Lifeboat did not take (no lifeboat:managed tag): never deleted by Lifeboat. */
  NOT_A_LIFEBOAT_SNAPSHOT(409, "Only snapshots Lifeboat took may be deleted by it."),
  /** The platform refused because an instance or snapshot is in the wrong state (e.g. RDS InvalidDBInstanceState). */
  INVALID_INSTANCE_STATE(409, "The instance or snapshot is not in a state that allows this."),
  REQUEST_TOO_LARGE(413, "The request body is larger than the API accepts."),
  UNSUPPORTED_MEDIA_TYPE(415, "The request body must be JSON."),
  /** Recovery stopped before the target: the WAL needed to reach it is not in the archive. */
  RECOVERY_TARGET_NOT_REACHED(422, "Recovery ended before the target time was reached."),
  /** Archived WAL between the snapshot and the target is missing. */
  WAL_MISSING(422, "WAL segments needed for the restore are missing from the archive."),
  /** The failover candidate lags more than the request's maxDataLoss and the request did not force it. */
  DATA_LOSS_TOO_HIGH(422, "Promoting the candidate would lose more data than allowed."),
  /** The region's manual snapshot quota (RDS: 100 by default) is used up: expire snapshots or raise the quota. */
  SNAPSHOT_QUOTA_EXCEEDED(422, "The manual snapshot quota of the region is used up."),
  /** The account's DB instance quota is used up: no temporary instance can be created. */
  INSTANCE_QUOTA_EXCEEDED(422, "The DB instance quota of the region is used up."),
  /** The account's allocated storage quota is used up. */
  STORAGE_QUOTA_EXCEEDED(422, "The storage quota of the region is used up."),
  /** A snapshot's files do not match its backup manifest (found while it is laid down): restore from another. */
  SNAPSHOT_DAMAGED(422, "The snapshot's files do not match its manifest; restore from another snapshot."),
  /** A DR drill or restore found no snapshot copy of the instance in the region. */
  NO_COPY_IN_REGION(422, "The region holds no snapshot copy of the instance."),
  /** The run's workflow is gone (an embedded Temporal server restarted); its resources were cleaned up. */
  RUN_LOST(500, "The run's workflow no longer exists."),
  /** An instance's point-in-time window is broken: its archive lags or has a gap. */
  PITR_WINDOW_BROKEN(500, "A point-in-time window is broken; the run's findings say where."),
  /** Some parts of a run failed (e.g. one instance of a policy); the result names each. */
  PARTIAL_FAILURE(500, "Some parts of the run failed; its result says which."),
  /** A drill's verification found a failing check; its report names each. */
  DRILL_CHECKS_FAILED(500, "Checks of the drill failed; its report names them."),
  INSTANCE_START_FAILED(500, "The instance did not start."),
  PLATFORM_ERROR(502, "The platform reported an error."),
  /** The platform's credentials may not do this (IAM AccessDenied, a KMS key that cannot be used). */
  PLATFORM_ACCESS_DENIED(502, "The platform refused the credentials or key Lifeboat used."),
  /** Lifeboat's configuration misses something the operation needs (e.g. the DR region's KMS key). */
  CONFIGURATION_ERROR(500, "Lifeboat's configuration misses something this needs."),
  /** A preflight check concerning the run's instances or regions failed; the run was not started. */
  PREFLIGHT_FAILED(503, "A preflight check failed; nothing was started."),
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
