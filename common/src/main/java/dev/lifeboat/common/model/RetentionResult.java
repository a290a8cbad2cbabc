package dev.lifeboat.common.model;

import java.util.List;

/** Output of {@link dev.lifeboat.common.workflow.RetentionWorkflow}. */
public record RetentionResult(boolean dryRun, List<RetentionDecision> decisions, List<PitrFinding> findings) {}
