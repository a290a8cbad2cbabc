package dev.lifeboat.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lifeboat.api.testing.ApiFixture;
import dev.lifeboat.api.testing.FakePlatform;
import dev.lifeboat.api.testing.Http.Reply;
import dev.lifeboat.catalog.AuditEntry;
import dev.lifeboat.common.model.RunKind;
import dev.lifeboat.common.model.RunPhase;
import dev.lifeboat.common.model.RunState;
import dev.lifeboat.common.model.SnapshotInfo;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** POST /v1/failovers: validated before anything starts; an emergency is an admin's, and audited. */
class FailoverApiIT {
  private static ApiFixture api;

  @BeforeAll
  static void start() {
    api = ApiFixture.start("failover-api");
    // a copy in the first DR region only: dr-2 holds none
    api.platform().addSnapshot(new SnapshotInfo("lb-techcorp-primary-20261129-0300", FakePlatform.PRIMARY,
        FakePlatform.DR_1, "available", Instant.parse("2026-11-29T03:00:00Z"), Instant.parse("2026-11-29T03:00:40Z"),
        1L << 20, Map.of()));
  }

  @AfterAll
  static void stop() {
    if (api != null) {
      api.close();
    }
  }

  @BeforeEach
  void noFailoverRuns() {
    api.endFailovers();
  }

  private static String body(String replica, String extra) {
    return "{\"instance\": \"" + FakePlatform.PRIMARY + "\", \"replica\": \"" + replica + "\", \"reason\": \"primary "
        + "down " + UUID.randomUUID() + "\"" + extra + "}";
  }

  @Test
  void failover_whenValid_isRecordedWithDefaults_andWaitsForItsWorkflow() {
    Reply reply = api.http().postJson("/v1/failovers", body(FakePlatform.REPLICA, ""), "alice");

    assertThat(reply.status()).as(reply.body()).isEqualTo(202);
    String runId = reply.json().get("runId").asText();
    assertThat(runId).matches("failover-techcorp-primary-[0-9a-f]{8}");
    RunState run = api.catalog().runs().find(runId).orElseThrow();
    assertThat(run.kind()).isEqualTo(RunKind.FAILOVER);
    assertThat(run.request()).containsEntry("mode", "promote-replica").containsEntry("replica", FakePlatform.REPLICA)
        .containsEntry("database", "techcorp").containsEntry("maxDataLoss", "PT1M")
        .containsEntry("emergency", false);
  }

  @Test
  void secondFailoverOfOnePrimary_isRefusedWhileTheFirstHasNotEnded() {
    Reply first = api.http().postJson("/v1/failovers", body(FakePlatform.REPLICA, ""), "alice");
    assertThat(first.status()).as(first.body()).isEqualTo(202);

    Reply second = api.http().postJson("/v1/failovers", body(FakePlatform.REPLICA, ""), "olga");

    assertThat(second.status()).as(second.body()).isEqualTo(409);
    assertThat(second.json().get("error").asText()).isEqualTo("RUN_ALREADY_RUNNING");
    assertThat(second.json().get("details").get("runId").asText()).isEqualTo(first.json().get("runId").asText());
  }

  @Test
  void failoverPastItsApproval_cannotBeCancelled() {
    Reply started = api.http().postJson("/v1/failovers", body(FakePlatform.REPLICA, ""), "alice");
    String runId = started.json().get("runId").asText();
    RunState pending = api.catalog().runs().find(runId).orElseThrow();
    // as the workflow records it once it fences
    api.catalog().runs().save(new RunState(runId, pending.kind(), pending.instance(), pending.requester(),
        pending.reason(), RunPhase.RUNNING, "fence", 20, null, "stopping writes", pending.steps(), pending.request(),
        null, null, null, pending.startedAt(), null, null));

    Reply cancel = api.http().postJson("/v1/runs/" + runId + "/cancel", "{}", "carol");

    assertThat(cancel.status()).as(cancel.body()).isEqualTo(409);
    assertThat(cancel.json().get("error").asText()).isEqualTo("RUN_ALREADY_RUNNING");
    assertThat(cancel.json().get("message").asText()).contains("cannot be cancelled half-way");
  }

  @Test
  void candidateThatIsNotAReplicaOfThePrimary_isRefusedNamingTheReplicas() {
    Reply reply = api.http().postJson("/v1/failovers", body(FakePlatform.TEMPORARY, ""), "alice");

    assertThat(reply.status()).as(reply.body()).isEqualTo(400);
    assertThat(reply.json().get("error").asText()).isEqualTo("NOT_A_REPLICA");
    assertThat(reply.json().get("message").asText()).contains(FakePlatform.REPLICA);
  }

  @Test
  void badFields_areRefusedNamingThem() {
    for (String[] bad : new String[][] {{", \"maxDataLoss\": \"soon\"", "maxDataLoss"},
        {", \"mode\": \"pray\"", "mode"}, {", \"mode\": \"restore-in-dr\"", "replica"},
        {", \"region\": \"dr-1\"", "region"},
        {", \"approvalTimeout\": \"PT48H\"", "approvalTimeout"}, {", \"database\": \"x; drop\"", "database"}}) {
      Reply reply = api.http().postJson("/v1/failovers", body(FakePlatform.REPLICA, bad[0]), "alice");
      assertThat(reply.status()).as(bad[0] + ": " + reply.body()).isEqualTo(400);
      assertThat(reply.json().get("details").get("field").asText()).isEqualTo(bad[1]);
    }
  }

  @Test
  void emergency_isAnAdminsOnly_andTheAuditLogSaysWhoDeclaredIt() {
    Reply refused = api.http().postJson("/v1/failovers", body(FakePlatform.REPLICA, ", \"emergency\": true"),
        "alice");
    assertThat(refused.status()).as(refused.body()).isEqualTo(403);
    assertThat(refused.json().get("error").asText()).isEqualTo("FORBIDDEN");

    String reason = "emergency " + UUID.randomUUID();
    Reply accepted = api.http().postJson("/v1/failovers", "{\"instance\": \"techcorp-primary\", \"replica\": "
        + "\"techcorp-replica-1\", \"emergency\": true, \"reason\": \"" + reason + "\"}", "carol");
    assertThat(accepted.status()).as(accepted.body()).isEqualTo(202);
    String runId = accepted.json().get("runId").asText();
    AuditEntry entry = api.catalog().audit().list("carol", runId, null, 10).items().get(0);
    assertThat(entry.role()).isEqualTo("admin");
    assertThat(entry.action()).isEqualTo("POST /v1/failovers");
    JsonNode request = api.http().getAs("carol", "/v1/audit?runId=" + runId).json().at("/items/0/request");
    assertThat(request.get("emergency").asBoolean()).isTrue();
    assertThat(request.get("reason").asText()).isEqualTo(reason);
  }

  private static String drBody(String extra) {
    return "{\"instance\": \"" + FakePlatform.PRIMARY + "\", \"mode\": \"restore-in-dr\", \"reason\": \"region "
        + "gone " + UUID.randomUUID() + "\"" + extra + "}";
  }

  @Test
  void restoreInDr_whenValid_isRecordedWithTheFirstDrRegion_andTheNewInstanceNamedAfterThePrimary() {
    Reply reply = api.http().postJson("/v1/failovers", drBody(""), "alice");

    assertThat(reply.status()).as(reply.body()).isEqualTo(202);
    RunState run = api.catalog().runs().find(reply.json().get("runId").asText()).orElseThrow();
    assertThat(run.request()).containsEntry("mode", "restore-in-dr").containsEntry("region", FakePlatform.DR_1)
        .containsEntry("newInstance", "techcorp-primary-dr").containsEntry("database", "techcorp")
        .containsEntry("maxDataLoss", "PT1M");
  }

  @Test
  void restoreInDr_outsideADrRegion_withoutACopyThere_orOntoAnExistingInstance_isRefused() {
    String[][] cases = {{", \"region\": \"local-a\"", "404", "REGION_NOT_FOUND"},
        {", \"region\": \"mars-1\"", "404", "REGION_NOT_FOUND"},
        {", \"region\": \"dr-2\"", "422", "NO_COPY_IN_REGION"},
        {", \"newInstance\": \"techcorp-replica-1\"", "400", "INVALID_REQUEST"},
        {", \"analyticsReplica\": \"lb-pitr-0badcafe\"", "400", "INVALID_REQUEST"}};
    for (String[] bad : cases) {
      Reply reply = api.http().postJson("/v1/failovers", drBody(bad[0]), "alice");
      assertThat(reply.status()).as(bad[0] + ": " + reply.body()).isEqualTo(Integer.parseInt(bad[1]));
      assertThat(reply.json().get("error").asText()).as(bad[0]).isEqualTo(bad[2]);
    }
  }
}
