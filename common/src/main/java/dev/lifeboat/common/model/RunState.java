package dev.lifeboat.common.model;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The state of one run, as its workflow answers a query and records it in the catalog.
 *
 * @param request the run's request, as JSON-friendly values
 * @param percent 0..100 of the whole run, null when unknown
 * @param bytes bytes processed by the current step, null when not meaningful
 * @param detail what the current step is doing now, for people
 * @param endpoint where to connect, once a restored instance is ready
 * @param result what the run produced, as JSON-friendly values
 */
public record RunState(
    String runId,
    RunKind kind,
    String instance,
    String requester,
    String reason,
    RunPhase phase,
    String step,
    Integer percent,
    Long bytes,
    String detail,
    List<StepState> steps,
    Map<String, Object> request,
    Endpoint endpoint,
    Map<String, Object> result,
    RunError error,
    Instant startedAt,
    Instant stoppedAt,
    Instant expiresAt) {}
