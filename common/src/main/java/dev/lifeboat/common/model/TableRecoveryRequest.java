package dev.lifeboat.common.model;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Input of {@link dev.lifeboat.common.workflow.TableRecoveryWorkflow}.
 *
 * @param tables resolved names, checked by the API against {@code pg_catalog}
 * @param compareOn the replica the current rows are read from (the analytics replica)
 * @param approvalTimeout how long the run waits for a decision before it fails (the export is kept)
 * @param exportRetention how long the export is kept after the run
 */
public record TableRecoveryRequest(
    String instance,
    Instant targetTime,
    List<TableRef> tables,
    ImportMode mode,
    boolean requireApproval,
    SchemaDriftPolicy allowSchemaDrift,
    String compareOn,
    Duration approvalTimeout,
    Duration exportRetention,
    String reason,
    String requester) {}
