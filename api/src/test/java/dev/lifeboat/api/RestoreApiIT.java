package dev.lifeboat.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lifeboat.api.testing.ApiFixture;
import dev.lifeboat.api.testing.FakePlatform;
import dev.lifeboat.api.testing.HoldingRestoreWorkflow;
import dev.lifeboat.api.testing.Http.Reply;
import dev.lifeboat.api.testing.Http;
import dev.lifeboat.catalog.AuditEntry;
import dev.lifeboat.catalog.RunFilter;
import dev.lifeboat.common.model.RunKind;
import dev.lifeboat.common.model.RunPhase;
import dev.lifeboat.common.model.RunState;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** POST /v1/restores end to end: validation before anything exists, then run, workflow and audit. */
class RestoreApiIT {
  private static ApiFixture api;

  @BeforeAll
  static void start() {
    api = ApiFixture.start("restore-api");
  }

  @AfterAll
  static void stop() {
    if (api != null) {
      api.close();
    }
  }

  private static String validTime() {
    return Instant.now().minus(Duration.ofHours(1)).truncatedTo(ChronoUnit.SECONDS).toString();
  }

  private static String body(String instance, String targetTime, String ttl, String reason) {
    return "{\"instance\": \"" + instance + "\", \"targetTime\": \"" + targetTime + "\""
        + (ttl == null ? "" : ", \"ttl\": \"" + ttl + "\"") + ", \"reason\": \"" + reason + "\"}";
  }

  private static String uniqueReason() {
    return "test " + UUID.randomUUID();
  }

  @Test
  void restore_whenValid_isAcceptedWithRunWorkflowAndAudit() {
    String reason = uniqueReason();
    Reply reply = api.http().postJson("/v1/restores",
        "{\"instance\": \"techcorp-primary\", \"targetTime\": \"" + validTime() + "\", \"ttl\": \"90m\","
            + " \"reason\": \"" + reason + "\", \"schema\": \"orders\"}");

    assertThat(reply.status()).as(reply.body()).isEqualTo(202);
    JsonNode run = reply.json();
    String runId = run.get("runId").asText();
    assertThat(runId).matches("restore-techcorp-primary-[0-9a-f]{8}");
    assertThat(reply.header("Location")).endsWith("/v1/runs/" + runId);
    assertThat(run.get("kind").asText()).isEqualTo("restore");
    assertThat(run.get("phase").asText()).isEqualTo("pending");
    assertThat(run.get("requester").asText()).isEqualTo("alice");
    assertThat(run.get("startedAt").asText()).as("ISO-8601 text, not a number").endsWith("Z");
    assertThat(run.get("links").get("release").asText()).isEqualTo("/v1/runs/" + runId + "/release");

    RunState stored = api.catalog().runs().find(runId).orElseThrow();
    assertThat(stored.phase()).isEqualTo(RunPhase.PENDING);
    assertThat(stored.request()).containsEntry("ttl", "PT1H30M").containsEntry("schema", "orders");

    WorkflowExecutionStatus status = api.workflowClient().newUntypedWorkflowStub(runId).describe().getStatus();
    assertThat(status).isEqualTo(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING);

    List<AuditEntry> audit = api.catalog().audit().list(null, runId, null, 10).items();
    assertThat(audit).singleElement().satisfies(entry -> {
      assertThat(entry.action()).isEqualTo("POST /v1/restores");
      assertThat(entry.principal()).isEqualTo("alice");
      assertThat(entry.status()).isEqualTo(202);
      assertThat(entry.request()).contains(reason);
      assertThat(entry.sourceAddress()).isEqualTo("127.0.0.1");
    });
  }

  @Test
  void restore_withoutTtl_getsTheDefault() {
    Reply reply = api.http().postJson("/v1/restores", body("techcorp-replica-1", validTime(), null, uniqueReason()));

    assertThat(reply.status()).as(reply.body()).isEqualTo(202);
    RunState stored = api.catalog().runs().find(reply.json().get("runId").asText()).orElseThrow();
    assertThat(stored.request()).containsEntry("ttl", "PT4H");
  }

  @Test
  void restore_whenTargetTimeMalformed_isRejectedNamingTheFormat() {
    assertRefused(body("techcorp-primary", "yesterday 10:31", null, "%s"), 400, "INVALID_REQUEST", "targetTime",
        "ISO-8601");
  }

  @Test
  void restore_whenTargetTimeHasNoOffset_isRejectedWithAdvice() {
    assertRefused(body("techcorp-primary", "2026-11-24T10:31:00", null, "%s"), 400, "INVALID_REQUEST", "targetTime",
        "no UTC offset");
  }

  @Test
  void restore_whenTargetTimeInFuture_isRejected() {
    String future = Instant.now().plus(Duration.ofHours(2)).toString();
    assertRefused(body("techcorp-primary", future, null, "%s"), 400, "RESTORE_TIME_IN_FUTURE", null, "future");
  }

  @Test
  void restore_whenTargetTimeBeforeWindow_isRejected() {
    String old = Instant.now().minus(Duration.ofDays(30)).toString();
    JsonNode error = assertRefused(body("techcorp-primary", old, null, "%s"), 400, "RESTORE_TIME_OUTSIDE_WINDOW",
        null, "outside");
    assertThat(error.get("details").has("earliest")).isTrue();
  }

  @Test
  void restore_whenInstanceUnknown_is404() {
    assertRefused(body("techcorp-nowhere", validTime(), null, "%s"), 404, "INSTANCE_NOT_FOUND", null, "/v1/instances");
  }

  @Test
  void restore_whenInstanceIdMalformed_isRejected() {
    assertRefused(body("Robert'); DROP TABLE runs;--", validTime(), null, "%s"), 400, "INVALID_REQUEST", "instance",
        "not an instance id");
  }

  @Test
  void restore_ofTemporaryInstance_isRejected() {
    assertRefused(body(FakePlatform.TEMPORARY, validTime(), null, "%s"), 400, "INVALID_REQUEST", "instance",
        "temporary");
  }

  @Test
  void restore_ofInternalInstance_isRejected() {
    assertRefused(body(FakePlatform.INTERNAL, validTime(), null, "%s"), 400, "INVALID_REQUEST", "instance",
        "internal");
  }

  @Test
  void restore_whenTtlMalformed_isRejected() {
    assertRefused(body("techcorp-primary", validTime(), "two hours", "%s"), 400, "INVALID_REQUEST", "ttl", "PT2H");
  }

  @Test
  void restore_whenTtlAboveMaximum_isRejected() {
    assertRefused(body("techcorp-primary", validTime(), "25h", "%s"), 400, "TTL_OUT_OF_RANGE", "ttl", "PT24H");
  }

  @Test
  void restore_whenTtlZero_isRejected() {
    assertRefused(body("techcorp-primary", validTime(), "PT0S", "%s"), 400, "TTL_OUT_OF_RANGE", "ttl",
        "more than zero");
  }

  @Test
  void restore_whenReasonMissing_isRejected() {
    // the unique marker rides in schema, checked after reason, so the audit entry can be found
    assertRefused("{\"instance\": \"techcorp-primary\", \"targetTime\": \"" + validTime() + "\", \"schema\": \"%s\"}",
        400, "INVALID_REQUEST", "reason", "required");
  }

  @Test
  void restore_withUnknownField_isRejectedNamingIt() {
    JsonNode error = assertRefused("{\"instance\": \"techcorp-primary\", \"targetTime\": \"" + validTime()
        + "\", \"tll\": \"2h\", \"reason\": \"%s\"}", 400, "INVALID_REQUEST", "tll", "Unknown field 'tll'");
    assertThat(error.get("details").get("allowed").toString()).contains("ttl");
  }

  @Test
  void restore_withMalformedJson_isRejectedNamingTheLine() {
    JsonNode error = assertRefused("{\"instance\": \"techcorp-primary\",\n \"reason\": \"%s\",, }", 400,
        "INVALID_REQUEST", null, "not valid JSON");
    assertThat(error.get("details").get("line").asInt()).isEqualTo(2);
  }

  @Test
  void restore_withFieldOfWrongType_isRejectedNamingIt() {
    assertRefused("{\"instance\": {\"id\": \"techcorp-primary\"}, \"reason\": \"%s\"}", 400, "INVALID_REQUEST",
        "instance", "must be a string");
  }

  @Test
  void restore_withoutBody_isRejected() {
    Reply reply = api.http().send(Http.as("alice", HttpRequest.newBuilder(api.http().uri("/v1/restores"))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.noBody())));

    assertThat(reply.status()).isEqualTo(400);
    assertThat(reply.json().get("error").asText()).isEqualTo("INVALID_REQUEST");
    assertThat(reply.json().get("message").asText()).contains("needs a JSON body");
  }

  @Test
  void restore_sentAsForm_is415() {
    Reply reply = api.http().send(HttpRequest.newBuilder(api.http().uri("/v1/restores"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString("instance=techcorp-primary")));

    assertThat(reply.status()).isEqualTo(415);
    assertThat(reply.json().get("error").asText()).isEqualTo("UNSUPPORTED_MEDIA_TYPE");
    assertThat(reply.json().get("code").asInt()).isEqualTo(415);
  }

  @Test
  void restore_whenPlatformFailsUnexpectedly_is500WithErrorIdAndNoInternals() {
    JsonNode error = assertRefused(body(FakePlatform.BROKEN, validTime(), null, "%s"), 500, "INTERNAL", null,
        "error id");
    assertThat(error.get("details").get("errorId").asText()).isNotBlank();
    assertThat(error.toString()).doesNotContain("secret", "IllegalStateException", "at dev.lifeboat");
  }

  /**
   * Sends the body (its {@code %s} replaced by a unique reason), checks the error shape, and that
   * nothing was created: no run, no workflow; only the audit entry of the refusal.
   */
  private static JsonNode assertRefused(String template, int status, String error, String field, String message) {
    String reason = uniqueReason();
    int runsBefore = restoreRunCount();
    Reply reply = api.http().postJson("/v1/restores", template.replace("%s", reason));

    assertThat(reply.status()).as(reply.body()).isEqualTo(status);
    assertThat(reply.header("Content-Type")).startsWith("application/json");
    JsonNode json = reply.json();
    assertThat(json.get("code").asInt()).isEqualTo(status);
    assertThat(json.get("error").asText()).isEqualTo(error);
    assertThat(json.get("message").asText()).contains(message);
    assertThat(json.get("details").isObject()).isTrue();
    if (field != null) {
      assertThat(json.get("details").get("field").asText()).isEqualTo(field);
    }

    assertThat(restoreRunCount()).as("runs in the catalog").isEqualTo(runsBefore);
    assertThat(HoldingRestoreWorkflow.STARTED_REASONS).as("workflows started").doesNotContain(reason);
    AuditEntry audit = auditOf(reason);
    assertThat(audit.status()).isEqualTo(status);
    assertThat(audit.runId()).isNull();
    return json;
  }

  private static int restoreRunCount() {
    return api.catalog().runs().list(new RunFilter(RunKind.RESTORE, null, null), null, 200).items().size();
  }

  private static AuditEntry auditOf(String reason) {
    return api.catalog().audit().list(null, null, null, 200).items().stream()
        .filter(entry -> entry.request() != null && entry.request().contains(reason))
        .findFirst().orElseThrow(() -> new AssertionError("no audit entry for " + reason));
  }
}
