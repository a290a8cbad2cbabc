package dev.lifeboat.common.failover;

/**
 * Input of {@link dev.lifeboat.common.workflow.RebuildWorkflow}, validated by the API.
 *
 * @param instance the former primary to turn into a replica
 * @param newPrimary the primary that replaced it; null: the one the platform records as its replacement
 */
public record RebuildRequest(String instance, String newPrimary, String reason, String requester) {}
