package dev.lifeboat.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lifeboat.api.testing.ApiFixture;
import dev.lifeboat.api.testing.FakePlatform;
import dev.lifeboat.api.testing.Http.Reply;
import dev.lifeboat.api.testing.RecordingRetentionWorkflow;
import dev.lifeboat.api.testing.StartAssertions;
import dev.lifeboat.api.testing.TestClock;
import dev.lifeboat.catalog.RunFilter;
import dev.lifeboat.common.model.RetentionRequest;
import dev.lifeboat.common.model.RunKind;
import dev.lifeboat.common.model.RunPhase;
import dev.lifeboat.common.model.RunState;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** POST /v1/retention end to end: defaults, one run per second, and nothing started on a refusal. */
class RetentionApiIT {
  private static final TestClock CLOCK = new TestClock(Instant.parse("2026-11-24T10:31:17Z"));
  private static ApiFixture api;

  @BeforeAll
  static void start() {
    api = ApiFixture.start("retention-api", CLOCK, List.of(), List.of());
  }

  @AfterAll
  static void stop() {
    if (api != null) {
      api.close();
    }
  }

  /** Every test starts in a second of its own, so no two tests name the same retention run. */
  @BeforeEach
  void nextSecond() {
    CLOCK.advance(Duration.ofSeconds(1));
  }

  private static String uniqueReason() {
    return StartAssertions.uniqueReason();
  }

  private static String expectedRunId() {
    return "retention-now-" + DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC)
        .format(CLOCK.instant());
  }

  @Test
  void retention_whenValid_isAcceptedWithRunWorkflowAndAudit() {
    String reason = uniqueReason();
    Reply reply = api.http().postJson("/v1/retention", "{\"instances\": [\"techcorp-primary\"],"
        + " \"retentionPolicy\": \"36h\", \"minimumKept\": 2, \"maxArchiveLag\": \"PT5M\", \"dryRun\": true,"
        + " \"reason\": \"" + reason + "\"}", "carol");

    assertThat(reply.status()).as(reply.body()).isEqualTo(202);
    String runId = reply.json().get("runId").asText();
    assertThat(runId).isEqualTo(expectedRunId());
    assertThat(reply.header("Location")).endsWith("/v1/runs/" + runId);
    assertThat(reply.json().get("kind").asText()).isEqualTo("retention");
    assertThat(reply.json().get("phase").asText()).isEqualTo("pending");
    assertThat(reply.json().get("requester").asText()).isEqualTo("carol");

    RunState stored = api.catalog().runs().find(runId).orElseThrow();
    assertThat(stored.kind()).isEqualTo(RunKind.RETENTION);
    assertThat(stored.phase()).isEqualTo(RunPhase.PENDING);
    assertThat(stored.reason()).isEqualTo(reason);
    assertThat(stored.request()).containsEntry("dryRun", true).containsEntry("retention", "PT36H");

    assertThat(startedWith(reason)).isEqualTo(new RetentionRequest("on-demand", List.of(FakePlatform.PRIMARY),
        Duration.ofHours(36), 2, Duration.ofMinutes(5), true, "carol", reason));
    assertThat(api.workflowClient().newUntypedWorkflowStub(runId).describe().getStatus())
        .isEqualTo(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING);

    assertThat(api.catalog().audit().list(null, runId, null, 10).items()).singleElement().satisfies(entry -> {
      assertThat(entry.action()).isEqualTo("POST /v1/retention");
      assertThat(entry.status()).isEqualTo(202);
      assertThat(entry.request()).contains(reason);
    });
  }

  @Test
  void retention_withOnlyAReason_appliesTheDefaultsToEveryPrimary() {
    String reason = uniqueReason();
    Reply reply = api.http().postJson("/v1/retention", "{\"reason\": \"" + reason + "\"}", "carol");

    assertThat(reply.status()).as(reply.body()).isEqualTo(202);
    assertThat(startedWith(reason)).isEqualTo(new RetentionRequest("on-demand", List.of(FakePlatform.PRIMARY),
        Duration.ofDays(7), 3, Duration.ofMinutes(10), false, "carol", reason));
  }

  @Test
  void retention_reSentInTheSameSecond_answersTheSameRunWithoutASecondWorkflow() {
    String first = uniqueReason();
    Reply started = api.http().postJson("/v1/retention", "{\"dryRun\": true, \"reason\": \"" + first + "\"}",
        "carol");
    assertThat(started.status()).as(started.body()).isEqualTo(202);
    String runId = started.json().get("runId").asText();
    startedWith(first);

    String second = uniqueReason();
    Reply again = api.http().postJson("/v1/retention", "{\"dryRun\": true, \"reason\": \"" + second + "\"}",
        "carol");

    assertThat(again.status()).as(again.body()).isEqualTo(200);
    assertThat(again.json().get("runId").asText()).isEqualTo(runId);
    assertThat(again.json().get("reason").asText()).as("the first request's run").isEqualTo(first);
    StartAssertions.pause(Duration.ofMillis(500));
    assertThat(RecordingRetentionWorkflow.STARTED.stream().filter(r -> r.reason().equals(second))).isEmpty();
  }

  @Test
  void retention_withMalformedRetentionPolicy_isRejected() {
    assertRefused("{\"retentionPolicy\": \"a week\", \"reason\": \"%s\"}", 400, "INVALID_REQUEST", "retentionPolicy",
        "PT2H");
  }

  @Test
  void retention_withZeroRetentionPolicy_isRejected() {
    assertRefused("{\"retentionPolicy\": \"0d\", \"reason\": \"%s\"}", 400, "INVALID_REQUEST", "retentionPolicy",
        "greater than zero");
  }

  @Test
  void retention_withMalformedMaxArchiveLag_isRejected() {
    assertRefused("{\"maxArchiveLag\": \"-PT10M\", \"reason\": \"%s\"}", 400, "INVALID_REQUEST", "maxArchiveLag",
        "PT2H");
  }

  @Test
  void retention_keepingNoSnapshot_isRejected() {
    assertRefused("{\"minimumKept\": 0, \"reason\": \"%s\"}", 400, "INVALID_REQUEST", "minimumKept", "at least 1");
  }

  @Test
  void retention_ofUnknownInstance_is404() {
    assertRefused("{\"instances\": [\"techcorp-primary\", \"techcorp-nowhere\"], \"reason\": \"%s\"}", 404,
        "INSTANCE_NOT_FOUND", null, "/v1/instances");
  }

  @Test
  void retention_ofReplica_isRejectedNamingItsPrimary() {
    JsonNode error = assertRefused("{\"instances\": [\"" + FakePlatform.REPLICA + "\"], \"reason\": \"%s\"}", 400,
        "INVALID_REQUEST", "instances", "techcorp-primary instead");
    assertThat(error.get("details").get("role").asText()).isEqualTo("replica");
  }

  @Test
  void retention_withoutInstancesInTheList_isRejected() {
    assertRefused("{\"instances\": [], \"reason\": \"%s\"}", 400, "INVALID_REQUEST", "instances", "at least one");
  }

  @Test
  void retention_whenReasonMissing_isRejected() {
    // the unique marker rides in retentionPolicy, checked after reason, so the audit entry can be found
    assertRefused("{\"retentionPolicy\": \"%s\"}", 400, "INVALID_REQUEST", "reason", "required");
  }

  @Test
  void retention_withUnknownField_isRejected() {
    assertRefused("{\"retention\": \"7d\", \"reason\": \"%s\"}", 400, "INVALID_REQUEST", "retention",
        "Unknown field 'retention'");
  }

  private static RetentionRequest startedWith(String reason) {
    return StartAssertions.startedWith(RecordingRetentionWorkflow.STARTED, RetentionRequest::reason, reason);
  }

  /** Sends the body (its {@code %s} replaced by a unique reason); nothing is created but the audit entry. */
  private static JsonNode assertRefused(String template, int status, String error, String field, String message) {
    return StartAssertions.assertRefused(api, "/v1/retention", RunKind.RETENTION, expectedRunId(), RecordingRetentionWorkflow.STARTED,
        RetentionRequest::reason, template, status, error, field, message);
  }

  private static List<RunState> retentionRuns() {
    return api.catalog().runs().list(new RunFilter(RunKind.RETENTION, null, null), null, 200).items();
  }
}
