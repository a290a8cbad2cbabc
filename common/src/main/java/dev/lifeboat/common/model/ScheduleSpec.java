package dev.lifeboat.common.model;

/**
 * A schedule from the configuration: what to start, and when.
 *
 * @param id e.g. {@code daily-snapshots}; the workflow id is {@code schedule-<id>}
 * @param cron five-field Unix cron, e.g. {@code 0 3 * * *}
 * @param timeZone e.g. {@code UTC}
 * @param kind what each fire starts: {@code snapshot} (needs {@code snapshot}) or {@code retention}
 *     (needs {@code retention})
 * @param snapshot the snapshot run a fire starts (its {@code scheduledFor} is set per fire)
 * @param retention the retention run a fire starts
 */
public record ScheduleSpec(String id, String cron, String timeZone, RunKind kind, SnapshotRequest snapshot,
    RetentionRequest retention) {

  /** A snapshot schedule. */
  public ScheduleSpec(String id, String cron, String timeZone, RunKind kind, SnapshotRequest snapshot) {
    this(id, cron, timeZone, kind, snapshot, null);
  }

  public String workflowId() {
    return "schedule-" + id;
  }
}
