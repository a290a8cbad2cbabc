package dev.lifeboat.common.model;

/**
 * A schedule from the configuration: what to start, and when.
 *
 * @param id e.g. {@code daily-snapshots}; the workflow id is {@code schedule-<id>}
 * @param cron five-field Unix cron, e.g. {@code 0 3 * * *}
 * @param timeZone e.g. {@code UTC}
 * @param kind what each fire starts: {@code snapshot} (needs {@code snapshot}), {@code retention}
 *     (needs {@code retention}) or {@code reaper} (needs {@code reaper})
 * @param snapshot the snapshot run a fire starts (its {@code scheduledFor} is set per fire)
 * @param retention the retention run a fire starts
 * @param reaper the reaper run a fire starts
 */
public record ScheduleSpec(String id, String cron, String timeZone, RunKind kind, SnapshotRequest snapshot,
    RetentionRequest retention, ReapRequest reaper) {

  /** A snapshot schedule. */
  public ScheduleSpec(String id, String cron, String timeZone, RunKind kind, SnapshotRequest snapshot) {
    this(id, cron, timeZone, kind, snapshot, null, null);
  }

  /** A snapshot or retention schedule. */
  public ScheduleSpec(String id, String cron, String timeZone, RunKind kind, SnapshotRequest snapshot,
      RetentionRequest retention) {
    this(id, cron, timeZone, kind, snapshot, retention, null);
  }

  public String workflowId() {
    return "schedule-" + id;
  }
}
