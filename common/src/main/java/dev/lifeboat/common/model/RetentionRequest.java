package dev.lifeboat.common.model;

import java.time.Duration;
import java.util.List;

/**
 * Input of {@link dev.lifeboat.common.workflow.RetentionWorkflow}.
 *
 * @param retention how far back point-in-time restore must reach (pgBackRest's time retention),
 *     e.g. 7 days
 * @param minimumKept the newest snapshots kept per instance and region whatever their age
 * @param maxArchiveLag how old the newest restorable time may be before the window counts as stale
 * @param dryRun list what would be expired, delete nothing
 */
public record RetentionRequest(
    String policy,
    List<String> instances,
    Duration retention,
    int minimumKept,
    Duration maxArchiveLag,
    boolean dryRun,
    String requester,
    String reason) {}
