package dev.lifeboat.activities.local;

import dev.lifeboat.common.model.InstanceRole;
import java.time.Instant;

/**
 * What the local platform created, as stored in {@code instances/<id>/instance.json}. A record is
 * written before any data is laid down, so that an instance left behind by a crash can be found.
 *
 * @param status {@code creating}, {@code available}, {@code stopped}, {@code deleting} or {@code fenced}; the
 *     platform reports available/stopped from the process, this field matters for the others
 * @param database the database clients connect to ({@code postgres} unless set)
 */
public record InstanceRecord(
    String id,
    String region,
    InstanceRole role,
    int port,
    String source,
    String runId,
    String requester,
    Instant createdAt,
    Instant expiresAt,
    String status,
    String database) {

  public static final String CREATING = "creating";
  public static final String AVAILABLE = "available";
  public static final String STOPPED = "stopped";
  public static final String DELETING = "deleting";
  /** Fenced by a failover: takes no writes, and the platform never starts it again. */
  public static final String FENCED = "fenced";
  public static final String DEFAULT_DATABASE = "postgres";

  public InstanceRecord {
    database = database == null || database.isBlank() ? DEFAULT_DATABASE : database;
  }

  public InstanceRecord withStatus(String newStatus) {
    return new InstanceRecord(id, region, role, port, source, runId, requester, createdAt, expiresAt, newStatus, database);
  }

  public InstanceRecord withPort(int newPort) {
    return new InstanceRecord(id, region, role, newPort, source, runId, requester, createdAt, expiresAt, status, database);
  }

  public InstanceRecord withRole(InstanceRole newRole) {
    return new InstanceRecord(id, region, newRole, port, source, runId, requester, createdAt, expiresAt, status, database);
  }

  public InstanceRecord withSource(String newSource) {
    return new InstanceRecord(id, region, role, port, newSource, runId, requester, createdAt, expiresAt, status, database);
  }

  public InstanceRecord withExpiresAt(Instant newExpiresAt) {
    return new InstanceRecord(id, region, role, port, source, runId, requester, createdAt, newExpiresAt, status,
        database);
  }

  public InstanceRecord withDatabase(String newDatabase) {
    return new InstanceRecord(id, region, role, port, source, runId, requester, createdAt, expiresAt, status, newDatabase);
  }
}
