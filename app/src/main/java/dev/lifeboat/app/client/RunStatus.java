package dev.lifeboat.app.client;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The part of a run view ({@code GET /v1/runs/{id}}) the CLI follows. Read from the JSON itself,
 * field by field, so that fields the API adds later do not break an older CLI.
 */
record RunStatus(
    String runId,
    String kind,
    String phase,
    String step,
    Integer percent,
    Long bytes,
    String detail,
    String endpointUri,
    String expiresAt,
    String errorType,
    String errorMessage,
    String reportHtml) {

  static final String SUCCEEDED = "succeeded";
  static final String FAILED = "failed";
  static final String CANCELLED = "cancelled";
  static final String RUNNING = "running";
  static final String WAITING_APPROVAL = "waiting-approval";

  static RunStatus of(JsonNode run) {
    JsonNode progress = run.path("progress");
    return new RunStatus(
        text(run.path("runId")),
        text(run.path("kind")),
        text(run.path("phase")),
        text(run.path("step")),
        progress.path("percent").isNumber() ? progress.get("percent").intValue() : null,
        progress.path("bytes").isNumber() ? progress.get("bytes").longValue() : null,
        text(progress.path("detail")),
        text(run.path("endpoint").path("uri")),
        text(run.path("expiresAt")),
        text(run.path("error").path("type")),
        text(run.path("error").path("message")),
        text(run.path("links").path("reportHtml")));
  }

  boolean terminal() {
    return SUCCEEDED.equals(phase) || FAILED.equals(phase) || CANCELLED.equals(phase);
  }

  /** A restore whose instance is up, verified and held for the user: what they waited for. */
  boolean heldRestore() {
    return "restore".equals(kind) && RUNNING.equals(phase) && "hold".equals(step) && endpointUri != null;
  }

  boolean waitingApproval() {
    return WAITING_APPROVAL.equals(phase);
  }

  private static String text(JsonNode node) {
    return node.isValueNode() && !node.isNull() ? node.asText() : null;
  }
}
