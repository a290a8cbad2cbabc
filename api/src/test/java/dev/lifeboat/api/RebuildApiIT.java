package dev.lifeboat.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeboat.api.runs.Idempotency;
import dev.lifeboat.api.testing.ApiFixture;
import dev.lifeboat.api.testing.FakePlatform;
import dev.lifeboat.api.testing.Http.Reply;
import dev.lifeboat.common.model.Endpoint;
import dev.lifeboat.common.model.InstanceInfo;
import dev.lifeboat.common.model.InstanceRole;
import dev.lifeboat.common.model.RunKind;
import dev.lifeboat.common.model.RunState;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * POST /v1/instances/{id}/rebuild: only a former primary, from the primary that replaced it, one
 * rebuild at a time, by an operator.
 */
class RebuildApiIT {
  private static final String FORMER = "techcorp-old-primary";
  private static final String PROMOTED = "techcorp-new-primary";
  private static final String PATH = "/v1/instances/" + FORMER + "/rebuild";
  private static ApiFixture api;

  @BeforeAll
  static void start() {
    api = ApiFixture.start("rebuild-api");
    Endpoint endpoint = new Endpoint("127.0.0.1", 55434, "techcorp", "postgres");
    Instant created = Instant.parse("2026-01-01T00:00:00Z");
    api.platform().addInstance(new InstanceInfo(FORMER, "fake", FakePlatform.HOME_REGION, InstanceRole.FORMER_PRIMARY,
        "stopped", endpoint, null, null, created, null));
    api.platform().addInstance(new InstanceInfo(PROMOTED, "fake", FakePlatform.HOME_REGION, InstanceRole.PRIMARY,
        "available", endpoint, FORMER, null, created, null));
  }

  @AfterAll
  static void stop() {
    if (api != null) {
      api.close();
    }
  }

  @BeforeEach
  void noRebuildRuns() {
    api.endRuns(RunKind.REBUILD);
  }

  private static String body(String newPrimary) {
    return "{" + (newPrimary == null ? "" : "\"newPrimary\": \"" + newPrimary + "\", ") + "\"reason\": \"old primary"
        + " is back " + UUID.randomUUID() + "\"}";
  }

  @Test
  void rebuild_withoutNewPrimary_isFromTheInstanceThatReplacedIt_andAnswers202WithTheRun() {
    Reply reply = api.http().postJson(PATH, body(null), "alice");

    assertThat(reply.status()).as(reply.body()).isEqualTo(202);
    String runId = reply.json().get("runId").asText();
    assertThat(runId).matches("rebuild-" + FORMER + "-[0-9a-f]{8}");
    assertThat(reply.header("Location")).endsWith("/v1/runs/" + runId);
    RunState run = api.catalog().runs().find(runId).orElseThrow();
    assertThat(run.kind()).isEqualTo(RunKind.REBUILD);
    assertThat(run.instance()).isEqualTo(FORMER);
    assertThat(run.requester()).isEqualTo("alice");
    assertThat(run.request()).containsEntry("newPrimary", PROMOTED);
  }

  @Test
  void secondRebuildOfOneInstance_isRefusedWhileTheFirstHasNotEnded() {
    Reply first = api.http().postJson(PATH, body(PROMOTED), "alice");
    assertThat(first.status()).as(first.body()).isEqualTo(202);

    Reply second = api.http().postJson(PATH, body(PROMOTED), "olga");

    assertThat(second.status()).as(second.body()).isEqualTo(409);
    assertThat(second.json().get("error").asText()).isEqualTo("RUN_ALREADY_RUNNING");
    assertThat(second.json().get("details").get("runId").asText()).isEqualTo(first.json().get("runId").asText());
  }

  @Test
  void sameIdempotencyKey_whileTheFirstRuns_answersTheFirstRun() {
    String body = body(null);
    Map<String, String> key = Map.of(Idempotency.HEADER, UUID.randomUUID().toString());
    Reply first = api.http().postJson(PATH, body, "alice", key);

    Reply again = api.http().postJson(PATH, body, "alice", key);

    assertThat(first.status()).as(first.body()).isEqualTo(202);
    assertThat(again.status()).as(again.body()).isEqualTo(202);
    assertThat(again.header(Idempotency.REPLAYED_HEADER)).isEqualTo("true");
    assertThat(again.json().get("runId").asText()).isEqualTo(first.json().get("runId").asText());
  }

  @Test
  void unknownInstance_is404() {
    Reply reply = api.http().postJson("/v1/instances/no-such-db/rebuild", body(null), "alice");

    assertThat(reply.status()).as(reply.body()).isEqualTo(404);
    assertThat(reply.json().get("error").asText()).isEqualTo("INSTANCE_NOT_FOUND");
  }

  @Test
  void notAFormerPrimary_orNotItsReplacement_orNoReason_isRefusedNamingTheField() {
    String[][] cases = {
        {"/v1/instances/" + FakePlatform.PRIMARY + "/rebuild", body(null), "instance"},
        {"/v1/instances/" + FakePlatform.REPLICA + "/rebuild", body(PROMOTED), "instance"},
        {PATH, body("no-such-db"), "newPrimary"},
        {PATH, body(FakePlatform.REPLICA), "newPrimary"},
        {PATH, body(FakePlatform.PRIMARY), "newPrimary"},
        {PATH, body("bad id!"), "newPrimary"},
        {PATH, "{\"newPrimary\": \"" + PROMOTED + "\"}", "reason"},
        {"/v1/instances/Bad_Id/rebuild", body(null), "instance"}};
    for (String[] bad : cases) {
      Reply reply = api.http().postJson(bad[0], bad[1], "alice");
      assertThat(reply.status()).as(bad[0] + " " + bad[1] + ": " + reply.body()).isEqualTo(400);
      assertThat(reply.json().get("error").asText()).isEqualTo("INVALID_REQUEST");
      assertThat(reply.json().get("details").get("field").asText()).as(reply.body()).isEqualTo(bad[2]);
    }
    assertThat(api.http().postJson("/v1/instances/" + FakePlatform.PRIMARY + "/rebuild", body(null), "alice").json()
        .get("message").asText()).contains("not a former primary");
  }

  @Test
  void viewer_isForbidden_operatorAndAdmin_mayRebuild() {
    Reply viewer = api.http().postJson(PATH, body(null), "victor");
    assertThat(viewer.status()).as(viewer.body()).isEqualTo(403);
    assertThat(viewer.json().get("error").asText()).isEqualTo("FORBIDDEN");
    assertThat(api.catalog().runs().list(new dev.lifeboat.catalog.RunFilter(RunKind.REBUILD, null, FORMER), null, 200)
        .items()).noneMatch(run -> "victor".equals(run.requester()));

    Reply admin = api.http().postJson(PATH, body(null), "carol");
    assertThat(admin.status()).as(admin.body()).isEqualTo(202);
  }
}
