package dev.lifeboat.common.model;

/**
 * A schedule from the configuration: what to start, and when.
 *
 * @param id e.g. {@code daily-snapshots}; the workflow id is {@code schedule-<id>}
 * @param cron five-field Unix cron, e.g. {@code 0 3 * * *}
 * @param timeZone e.g. {@code UTC}
 * @param kind what each fire starts: {@code snapshot} (needs {@code snapshot}), {@code retention}
 *     (needs {@code retention}), {@code reaper} (needs {@code reaper}) or {@code drill} (needs {@code drill})
 * @param snapshot the snapshot run a fire starts (its {@code scheduledFor} is set per fire)
 * @param retention the retention run a fire starts
 * @param reaper the reaper run a fire starts
 * @param drill the DR drill a fire starts ({@code kind} {@code drill}); null for every other kind
 */
public record ScheduleSpec(String id, String cron, String timeZone, RunKind kind, SnapshotRequest snapshot,
    RetentionRequest retention, ReapRequest reaper, DrillRequest drill) {

  /** A snapshot, retention or reaper schedule. */
  public ScheduleSpec(String id, String cron, String timeZone, RunKind kind, SnapshotRequest snapshot,
      RetentionRequest retention, ReapRequest reaper) {
    this(id, cron, timeZone, kind, snapshot, retention, reaper, null);
  }

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
