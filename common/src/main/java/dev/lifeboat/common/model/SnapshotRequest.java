package dev.lifeboat.common.model;

import java.time.Instant;
import java.util.List;

/**
 * Input of {@link dev.lifeboat.common.workflow.SnapshotWorkflow}: snapshot every instance of a
 * backup policy and copy each snapshot to the policy's DR regions.
 *
 * @param scheduledFor the time the snapshot ids are derived from ({@code lb-<instance>-<yyyyMMdd-HHmm>}),
 *     so a retried or re-triggered run of the same fire never makes a second snapshot; null means now
 * @param maxParallel instances snapshotted at the same time
 */
public record SnapshotRequest(
    String policy,
    List<String> instances,
    List<String> drRegions,
    String requester,
    String reason,
    Instant scheduledFor,
    int maxParallel) {}
