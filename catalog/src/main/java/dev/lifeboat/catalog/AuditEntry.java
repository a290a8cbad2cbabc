package dev.lifeboat.catalog;

import java.time.Instant;

/**
 * One mutating request or decision, append-only.
 *
 * @param id assigned by the catalog; null when appending
 * @param action e.g. {@code POST /v1/restores}, {@code approve}
 * @param request the request body as JSON, secrets redacted by the caller
 * @param status the HTTP status answered
 */
public record AuditEntry(
    Long id,
    Instant at,
    String principal,
    String action,
    String runId,
    String request,
    int status,
    String sourceAddress) {}
