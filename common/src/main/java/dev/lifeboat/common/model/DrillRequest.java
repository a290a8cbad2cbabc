package dev.lifeboat.common.model;

/**
 * Input of {@link dev.lifeboat.common.workflow.DrDrillWorkflow}.
 *
 * @param region the DR region to restore in
 * @param source {@code latest-copy} when null
 * @param verification the name of the verification suite; the configured default when null
 * @param targets RTO and RPO targets; the configured defaults for those that are null
 */
public record DrillRequest(
    String instance,
    String region,
    DrillSource source,
    String verification,
    DrillTargets targets,
    String reason,
    String requester) {}
