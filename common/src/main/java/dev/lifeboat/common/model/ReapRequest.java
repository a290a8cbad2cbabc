package dev.lifeboat.common.model;

import java.time.Duration;

/**
 * Input of {@link dev.lifeboat.common.workflow.ReaperWorkflow}.
 *
 * @param grace how long after its TTL a temporary instance may still exist (its run tearing it down)
 */
public record ReapRequest(Duration grace, String requester, String reason) {}
