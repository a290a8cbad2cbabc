package dev.lifeboat.common.model;

import java.time.Instant;

/**
 * A point-in-time restore into a new temporary instance.
 *
 * @param instanceId id of the temporary instance to create
 * @param sourceInstance the managed instance whose backups are restored
 * @param snapshotId the snapshot chosen by {@link RestorePlan}
 * @param region where the snapshot and WAL come from (and the instance runs); null means home
 * @param percentFrom the run's percent when the restore starts; with {@code percentTo} maps the
 *     restore's own progress into the run's (null: the point-in-time restore's range)
 */
public record RestoreSpec(
    String instanceId,
    String sourceInstance,
    Instant targetTime,
    String snapshotId,
    String runId,
    String requester,
    Instant expiresAt,
    String region,
    Integer percentFrom,
    Integer percentTo) {

  /** With the point-in-time restore's own percent range. */
  public RestoreSpec(String instanceId, String sourceInstance, Instant targetTime, String snapshotId, String runId,
      String requester, Instant expiresAt, String region) {
    this(instanceId, sourceInstance, targetTime, snapshotId, runId, requester, expiresAt, region, null, null);
  }

  /** The run's percent when the restore itself is {@code stepPercent} done. */
  public int runPercent(int stepPercent) {
    if (percentFrom == null || percentTo == null) {
      return dev.lifeboat.common.workflow.RestoreSteps.restorePercent(stepPercent);
    }
    int clamped = Math.max(0, Math.min(100, stepPercent));
    return percentFrom + (percentTo - percentFrom) * clamped / 100;
  }
}
