package dev.lifeboat.common.model;

/** Input of {@link dev.lifeboat.common.workflow.CrossRegionCopyWorkflow}. */
public record CopyRequest(String instance, String snapshotId, String sourceRegion, String targetRegion,
    String requester) {}
