package dev.lifeboat.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lifeboat.api.testing.ApiFixture;
import dev.lifeboat.api.testing.Http.Reply;
import dev.lifeboat.catalog.AuditEntry;
import dev.lifeboat.common.model.Endpoint;
import dev.lifeboat.common.model.RestoreResult;
import dev.lifeboat.common.model.RunError;
import dev.lifeboat.common.model.RunKind;
import dev.lifeboat.common.model.RunPhase;
import dev.lifeboat.common.model.RunState;
import dev.lifeboat.common.model.StepState;
import io.temporal.client.WorkflowFailedException;
import io.temporal.failure.CanceledFailure;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The runs resource: get, list with filters and cursor, release and cancel through Temporal. */
class RunsApiIT {
  private static final Instant T0 = Instant.parse("2026-11-24T10:00:00Z");

  private static ApiFixture api;

  @BeforeAll
  static void start() {
    api = ApiFixture.start("runs-api");
  }

  @AfterAll
  static void stop() {
    if (api != null) {
      api.close();
    }
  }

  /** Each test its own instance name, so filters keep the tests apart in one catalog. */
  private static String instance() {
    return "inst-" + UUID.randomUUID().toString().substring(0, 8);
  }

  private static RunState run(String runId, RunKind kind, String instance, RunPhase phase, Instant startedAt) {
    return new RunState(runId, kind, instance, "bob", "drill", phase, null, null, null, null, List.of(), Map.of(),
        null, null, null, startedAt, phase.terminal() ? startedAt.plusSeconds(60) : null, null);
  }

  private static String startRestore() {
    String targetTime = Instant.now().minus(Duration.ofHours(1)).toString();
    Reply reply = api.http().postJson("/v1/restores", "{\"instance\": \"techcorp-primary\", \"targetTime\": \""
        + targetTime + "\", \"reason\": \"runs test\"}");
    assertThat(reply.status()).as(reply.body()).isEqualTo(202);
    return reply.json().get("runId").asText();
  }

  @Test
  void get_showsEveryPartOfTheRun() {
    String instance = instance();
    String runId = "restore-" + instance + "-0000abcd";
    api.catalog().runs().save(new RunState(runId, RunKind.RESTORE, instance, "bob", "check", RunPhase.FAILED,
        "verify", 80, 1024L, "counting rows",
        List.of(new StepState("plan", "succeeded", T0, T0.plusMillis(1500), null),
            new StepState("verify", "failed", T0.plusSeconds(2), null, "boom")),
        Map.of("instance", instance), new Endpoint("127.0.0.1", 55433, "techcorp", "postgres"), Map.of("rows", 42),
        new RunError("WAL_MISSING", "segment 0000000100000000000000A1 is missing"), T0, T0.plusSeconds(5),
        T0.plusSeconds(3600)));

    Reply reply = api.http().get("/v1/runs/" + runId);

    assertThat(reply.status()).isEqualTo(200);
    JsonNode run = reply.json();
    assertThat(run.get("phase").asText()).isEqualTo("failed");
    assertThat(run.get("progress").get("percent").asInt()).isEqualTo(80);
    assertThat(run.get("progress").get("bytes").asLong()).isEqualTo(1024L);
    assertThat(run.get("steps").get(0).get("durationMs").asLong()).isEqualTo(1500);
    assertThat(run.get("steps").get(1).get("durationMs").isNull()).isTrue();
    assertThat(run.get("endpoint").get("uri").asText()).isEqualTo("postgresql://postgres@127.0.0.1:55433/techcorp");
    assertThat(run.get("result").get("rows").asInt()).isEqualTo(42);
    assertThat(run.get("error").get("type").asText()).isEqualTo("WAL_MISSING");
    assertThat(run.get("startedAt").asText()).isEqualTo("2026-11-24T10:00:00Z");
    assertThat(run.get("expiresAt").asText()).isEqualTo("2026-11-24T11:00:00Z");
    assertThat(run.get("links").has("cancel")).as("no actions on a finished run").isFalse();
  }

  @Test
  void get_whenUnknown_is404() {
    Reply reply = api.http().get("/v1/runs/restore-nothing-12345678");

    assertThat(reply.status()).isEqualTo(404);
    assertThat(reply.json().get("error").asText()).isEqualTo("RUN_NOT_FOUND");
  }

  @Test
  void list_filtersByKindPhaseAndInstance() {
    String instance = instance();
    api.catalog().runs().save(run("a-" + instance, RunKind.SNAPSHOT, instance, RunPhase.SUCCEEDED, T0));
    api.catalog().runs().save(run("b-" + instance, RunKind.RESTORE, instance, RunPhase.FAILED, T0.plusSeconds(1)));
    api.catalog().runs().save(run("c-" + instance, RunKind.RESTORE, instance, RunPhase.SUCCEEDED, T0.plusSeconds(2)));
    api.catalog().runs().save(run("d-" + instance(), RunKind.RESTORE, "elsewhere", RunPhase.SUCCEEDED, T0));

    assertThat(runIds("/v1/runs?instance=" + instance)).containsExactly("c-" + instance, "b-" + instance,
        "a-" + instance);
    assertThat(runIds("/v1/runs?kind=restore&instance=" + instance)).containsExactly("c-" + instance,
        "b-" + instance);
    assertThat(runIds("/v1/runs?kind=restore&phase=failed&instance=" + instance)).containsExactly("b-" + instance);
    assertThat(runIds("/v1/runs?kind=snapshot&phase=failed&instance=" + instance)).isEmpty();
  }

  @Test
  void list_pagesNewestFirstWithCursor() {
    String instance = instance();
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      api.catalog().runs().save(run("run-" + i + "-" + instance, RunKind.DRILL, instance, RunPhase.SUCCEEDED,
          T0.plusSeconds(i)));
      expected.add(0, "run-" + i + "-" + instance);
    }
    // two runs with the same start: the run id breaks the tie, so paging neither skips nor repeats
    api.catalog().runs().save(run("run-4b-" + instance, RunKind.DRILL, instance, RunPhase.SUCCEEDED,
        T0.plusSeconds(4)));
    expected.add(0, "run-4b-" + instance);

    List<String> seen = new ArrayList<>();
    String cursor = null;
    int pages = 0;
    do {
      Reply reply = api.http().get("/v1/runs?limit=2&instance=" + instance
          + (cursor == null ? "" : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8)));
      assertThat(reply.status()).as(reply.body()).isEqualTo(200);
      reply.json().get("items").forEach(item -> seen.add(item.get("runId").asText()));
      cursor = reply.json().get("nextCursor").isNull() ? null : reply.json().get("nextCursor").asText();
      pages++;
    } while (cursor != null);

    assertThat(seen).containsExactlyElementsOf(expected);
    assertThat(pages).isEqualTo(3);
  }

  @Test
  void list_whenKindUnknown_isRejectedListingAllowedValues() {
    Reply reply = api.http().get("/v1/runs?kind=backup");

    assertThat(reply.status()).isEqualTo(400);
    assertThat(reply.json().get("details").get("field").asText()).isEqualTo("kind");
    assertThat(reply.json().get("message").asText()).contains("restore", "table-recovery", "snapshot");
  }

  @Test
  void list_whenPhaseUnknown_isRejectedListingAllowedValues() {
    Reply reply = api.http().get("/v1/runs?phase=done");

    assertThat(reply.status()).isEqualTo(400);
    assertThat(reply.json().get("details").get("allowed").toString()).contains("waiting-approval");
  }

  @Test
  void list_whenLimitOrCursorMalformed_isRejected() {
    assertThat(api.http().get("/v1/runs?limit=ten").json().get("details").get("field").asText()).isEqualTo("limit");
    Reply badCursor = api.http().get("/v1/runs?cursor=not-a-cursor");
    assertThat(badCursor.status()).isEqualTo(400);
    assertThat(badCursor.json().get("details").get("field").asText()).isEqualTo("cursor");
  }

  @Test
  void list_whenLimitTooLarge_isClamped() {
    assertThat(api.http().get("/v1/runs?limit=100000").status()).isEqualTo(200);
  }

  @Test
  void release_ofRunningRestore_answersTheWorkflowsStateAndIsAudited() {
    String runId = startRestore();

    Reply reply = api.http().postJson("/v1/runs/" + runId + "/release", "{\"reason\": \"done looking\"}", "carol");

    assertThat(reply.status()).as(reply.body()).isEqualTo(200);
    assertThat(reply.json().get("runId").asText()).isEqualTo(runId);
    assertThat(reply.json().get("detail")).isNull();
    assertThat(reply.json().get("progress").get("detail").asText()).isEqualTo("released by carol: done looking");
    RestoreResult result = api.workflowClient().newUntypedWorkflowStub(runId).getResult(RestoreResult.class);
    assertThat(result.releasedBy()).isEqualTo("carol");
    List<AuditEntry> audit = api.catalog().audit().list("carol", runId, null, 10).items();
    assertThat(audit).singleElement().satisfies(entry -> {
      assertThat(entry.action()).isEqualTo("POST /v1/runs/{id}/release");
      assertThat(entry.status()).isEqualTo(200);
    });
  }

  @Test
  void release_withoutBody_isAccepted() {
    String runId = startRestore();

    Reply reply = api.http().postEmpty("/v1/runs/" + runId + "/release");

    assertThat(reply.status()).as(reply.body()).isEqualTo(200);
  }

  @Test
  void release_twice_isRefusedByTheWorkflowAsConflict() {
    String runId = startRestore();
    assertThat(api.http().postEmpty("/v1/runs/" + runId + "/release").status()).isEqualTo(200);

    // the catalog still says pending (the fake workflow records nothing): the workflow's validator answers
    Reply again = api.http().postEmpty("/v1/runs/" + runId + "/release");

    assertThat(again.status()).as(again.body()).isEqualTo(409);
    assertThat(again.json().get("error").asText()).isEqualTo("RUN_ALREADY_FINISHED");
    assertThat(again.json().get("message").asText()).contains("already released by alice");
  }

  @Test
  void release_ofRunWhoseWorkflowClosed_is409() {
    String runId = startRestore();
    assertThat(api.http().postEmpty("/v1/runs/" + runId + "/release").status()).isEqualTo(200);
    api.workflowClient().newUntypedWorkflowStub(runId).getResult(RestoreResult.class);

    Reply again = api.http().postEmpty("/v1/runs/" + runId + "/release");

    assertThat(again.status()).as(again.body()).isEqualTo(409);
    assertThat(again.json().get("error").asText()).isEqualTo("RUN_ALREADY_FINISHED");
  }

  @Test
  void release_ofFinishedRun_is409() {
    String instance = instance();
    api.catalog().runs().save(run("restore-" + instance + "-done", RunKind.RESTORE, instance, RunPhase.SUCCEEDED, T0));

    Reply reply = api.http().postEmpty("/v1/runs/restore-" + instance + "-done/release");

    assertThat(reply.status()).isEqualTo(409);
    assertThat(reply.json().get("error").asText()).isEqualTo("RUN_ALREADY_FINISHED");
    assertThat(reply.json().get("details").get("phase").asText()).isEqualTo("succeeded");
  }

  @Test
  void release_ofRunThatIsNotARestore_isRejected() {
    String instance = instance();
    api.catalog().runs().save(run("snapshot-" + instance, RunKind.SNAPSHOT, instance, RunPhase.RUNNING, T0));

    Reply reply = api.http().postEmpty("/v1/runs/snapshot-" + instance + "/release");

    assertThat(reply.status()).isEqualTo(400);
    assertThat(reply.json().get("message").asText()).contains("only restore runs");
  }

  @Test
  void release_ofUnknownRun_is404() {
    assertThat(api.http().postEmpty("/v1/runs/restore-nothing-00000000/release").json().get("error").asText())
        .isEqualTo("RUN_NOT_FOUND");
  }

  @Test
  void release_withUnknownField_isRejected() {
    Reply reply = api.http().postJson("/v1/runs/whatever/release", "{\"reasn\": \"typo\"}");

    assertThat(reply.status()).isEqualTo(400);
    assertThat(reply.json().get("details").get("field").asText()).isEqualTo("reasn");
  }

  @Test
  void cancel_ofRunningRestore_cancelsItsWorkflow() {
    String runId = startRestore();

    Reply reply = api.http().postEmpty("/v1/runs/" + runId + "/cancel");

    assertThat(reply.status()).as(reply.body()).isEqualTo(202);
    assertThat(reply.json().get("runId").asText()).isEqualTo(runId);
    assertThatThrownBy(() -> api.workflowClient().newUntypedWorkflowStub(runId).getResult(RestoreResult.class))
        .isInstanceOf(WorkflowFailedException.class)
        .hasCauseInstanceOf(CanceledFailure.class);
    assertThat(api.catalog().audit().list(null, runId, null, 10).items())
        .anySatisfy(entry -> assertThat(entry.action()).isEqualTo("POST /v1/runs/{id}/cancel"));
  }

  @Test
  void cancel_ofFinishedRun_is409() {
    String instance = instance();
    api.catalog().runs().save(run("restore-" + instance + "-gone", RunKind.RESTORE, instance, RunPhase.CANCELLED, T0));

    Reply reply = api.http().postEmpty("/v1/runs/restore-" + instance + "-gone/cancel");

    assertThat(reply.status()).isEqualTo(409);
    assertThat(reply.json().get("error").asText()).isEqualTo("RUN_ALREADY_FINISHED");
  }

  @Test
  void cancel_ofRunWhoseWorkflowClosed_is409() {
    String runId = startRestore();
    assertThat(api.http().postEmpty("/v1/runs/" + runId + "/release").status()).isEqualTo(200);
    api.workflowClient().newUntypedWorkflowStub(runId).getResult(RestoreResult.class);

    Reply reply = api.http().postEmpty("/v1/runs/" + runId + "/cancel");

    assertThat(reply.status()).as(reply.body()).isEqualTo(409);
  }

  private static List<String> runIds(String path) {
    Reply reply = api.http().get(path);
    assertThat(reply.status()).as(reply.body()).isEqualTo(200);
    List<String> ids = new ArrayList<>();
    reply.json().get("items").forEach(item -> ids.add(item.get("runId").asText()));
    return ids;
  }
}
