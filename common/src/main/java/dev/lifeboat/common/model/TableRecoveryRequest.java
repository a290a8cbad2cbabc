package dev.lifeboat.common.model;

import java.time.Instant;
import java.util.List;

/**
 * Input of {@link dev.lifeboat.common.workflow.TableRecoveryWorkflow}.
 *
 * @param tables resolved names, checked by the API against {@code pg_catalog}
 * @param compareOn the replica the current rows are read from (the analytics replica)
 */
public record TableRecoveryRequest(
    String instance,
    Instant targetTime,
    List<TableRef> tables,
    ImportMode mode,
    boolean requireApproval,
    SchemaDriftPolicy allowSchemaDrift,
    String compareOn,
    String reason,
    String requester) {}
