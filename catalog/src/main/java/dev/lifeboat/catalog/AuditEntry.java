package dev.lifeboat.catalog;

import java.time.Instant;

/**
 * One mutating request or decision, append-only.
 *
 * @param id assigned by the catalog; null when appending
 * @param principal the authenticated caller, {@code anonymous} for a request refused before authentication
 * @param role the caller's roles when it was made (e.g. {@code operator}); null when unauthenticated
 * @param action e.g. {@code POST /v1/restores}, {@code approve}
 * @param request the request body as JSON, secrets redacted by the caller
 * @param status the HTTP status answered
 */
public record AuditEntry(
    Long id,
    Instant at,
    String principal,
    String role,
    String action,
    String runId,
    String request,
    int status,
    String sourceAddress) {}
