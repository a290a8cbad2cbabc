package dev.lifeboat.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lifeboat.api.testing.ApiFixture;
import dev.lifeboat.api.testing.FakePlatform;
import dev.lifeboat.api.testing.Http.Reply;
import dev.lifeboat.catalog.AuditEntry;
import dev.lifeboat.common.model.RunError;
import dev.lifeboat.common.model.RunKind;
import dev.lifeboat.common.model.RunPhase;
import dev.lifeboat.common.model.RunState;
import dev.lifeboat.common.model.SnapshotInfo;
import dev.lifeboat.common.model.StepState;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
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
  void failoverDrillsRunningFailover_neverHoldsARealFailoverBack() {
    Instant now = Instant.now();
    // a failover drill's child run of the restore-in-dr failover, as the workflow records it
    api.catalog().runs().save(new RunState("drill-techcorp-primary-0d0d0d0d-failover", RunKind.FAILOVER,
        FakePlatform.PRIMARY, "alice", "failover drill", RunPhase.RUNNING, "restore", 30, null, "restoring", List.of(),
        Map.of("mode", "restore-in-dr", "rehearsalOf", "drill-techcorp-primary-0d0d0d0d"), null, null, null, now, null,
        null));

    Reply real = api.http().postJson("/v1/failovers", body(FakePlatform.REPLICA, ""), "olga");

    assertThat(real.status()).as(real.body()).isEqualTo(202);
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

  @Test
  void report_ofARecordedFailover_isAPageWithVerdictMeasuresStepsAndPeople_everyValueEscaped() {
    Instant t0 = Instant.parse("2026-11-30T02:00:00Z");
    String runId = "failover-techcorp-primary-0feedbac";
    List<StepState> steps = List.of(
        new StepState("preflight", "succeeded", t0, t0.plusSeconds(1), "measuring techcorp-replica-1"),
        new StepState("approval", "succeeded", t0.plusSeconds(1), t0.plusSeconds(61), "approved by bob"),
        new StepState("fence", "succeeded", t0.plusSeconds(61), t0.plusSeconds(63), "stopping writes"),
        new StepState("promote", "succeeded", t0.plusSeconds(63), t0.plusSeconds(66), "promoting"),
        new StepState("repoint", "succeeded", t0.plusSeconds(66), t0.plusSeconds(70), "pointing replica-2"),
        new StepState("switch", "succeeded", t0.plusSeconds(70), t0.plusSeconds(72), "switching techcorp"),
        new StepState("report", "succeeded", t0.plusSeconds(72), t0.plusSeconds(72), null));
    Map<String, Object> request = Map.of("instance", FakePlatform.PRIMARY, "mode", "promote-replica",
        "replica", FakePlatform.REPLICA, "database", "techcorp", "maxDataLoss", "PT1M", "force", false,
        "emergency", false, "reason", "<script>alert('x')</script> & \"quotes\"");
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("preflight", Map.of("expectedDataLoss", "PT0.5S", "routeBefore",
        Map.of("database", "techcorp", "host", "127.0.0.1", "port", 6432, "instance", FakePlatform.PRIMARY)));
    result.put("approval", Map.of("by", "bob", "approved", true, "comment", "go <now>", "at",
        t0.plusSeconds(61).toString()));
    result.put("fence", Map.of("instance", FakePlatform.PRIMARY, "how", "stopped", "lastCommit",
        t0.plusSeconds(60).toString(), "fencedAt", t0.plusSeconds(63).toString()));
    result.put("promote", Map.of("instance", FakePlatform.REPLICA, "alreadyPromoted", false, "timeline", 2,
        "systemIdentifier", "7301", "lastReplayedCommit", t0.plusSeconds(59).toString()));
    result.put("repoint", List.of(Map.of("replica", "techcorp-replica-2", "newPrimary", FakePlatform.REPLICA,
        "how", "repointed")));
    result.put("switch", Map.of("route", Map.of("database", "techcorp", "host", "127.0.0.1", "port", 55433,
        "instance", FakePlatform.REPLICA), "check", Map.of("database", "techcorp", "inRecovery", false,
        "systemIdentifier", "7301", "port", 55433)));
    result.put("newPrimary", FakePlatform.REPLICA);
    result.put("rtoSeconds", 72.0);
    result.put("approvalWaitSeconds", 61.0);
    result.put("switchSeconds", 11.0);
    result.put("dataLoss", "PT1S");
    result.put("dataLossSeconds", 1.0);
    result.put("dataLossBasis", "old primary's newest commit against the newest commit the new primary replayed");
    api.catalog().runs().save(new RunState(runId, RunKind.FAILOVER, FakePlatform.PRIMARY, "alice",
        (String) request.get("reason"), RunPhase.SUCCEEDED, "report", 100, null, null, steps, request, null, result,
        null, t0, t0.plusSeconds(72), null));

    Reply page = api.http().getAs("victor", "/v1/failovers/" + runId + "/report.html");

    assertThat(page.status()).as(page.body()).isEqualTo(200);
    assertThat(page.header("Content-Type")).startsWith("text/html");
    assertThat(page.header("Content-Security-Policy")).contains("default-src 'none'");
    String html = page.body();
    assertThat(html).startsWith("<!DOCTYPE html>").contains("<h1>Failover SUCCEEDED</h1>",
        "data-outcome=\"passed\"", "failed over to " + FakePlatform.REPLICA, "requested by alice",
        "Approved by bob at 2026-11-30 02:01:01 UTC: go &lt;now&gt;");
    // measured RTO (no target) and data loss against maxDataLoss
    assertThat(html).contains("<div class=\"measure measured\" id=\"rto\">", "<div class=\"value\">1 min 12 s</div>",
        "<div class=\"measure met\" id=\"data-loss\">", "<div class=\"value\">1.0 s</div>", "target 1 min");
    assertThat(html).contains("stopped · last commit 2026-11-30 02:01:00 UTC", "techcorp-replica-2 (repointed)",
        "techcorp → 127.0.0.1:55433 (" + FakePlatform.REPLICA + ")", "in recovery: false");
    for (StepState step : steps) {
      assertThat(html).contains("data-step=\"" + step.name() + "\"");
    }
    assertThat(html).doesNotContain("<script", "src=", "href=\"http")
        .contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;quotes&quot;");

    JsonNode run = api.http().getAs("victor", "/v1/runs/" + runId).json();
    assertThat(run.at("/links/reportHtml").asText()).isEqualTo("/v1/failovers/" + runId + "/report.html");
  }

  @Test
  void report_ofAnEmergencyFailoverThatFailed_saysWhoDeclaredIt_andWhatFailed() {
    Instant t0 = Instant.parse("2026-11-30T03:00:00Z");
    String runId = "failover-techcorp-primary-0badf00d";
    Map<String, Object> request = Map.of("instance", FakePlatform.PRIMARY, "mode", "restore-in-dr",
        "region", FakePlatform.DR_1, "newInstance", "techcorp-primary-dr", "database", "techcorp",
        "maxDataLoss", "PT15M", "emergency", true, "reason", "region gone");
    Map<String, Object> result = Map.of("approval", Map.of("emergency", true, "by", "carol"),
        "fence", Map.of("instance", FakePlatform.PRIMARY, "how", "unreachable"));
    api.catalog().runs().save(new RunState(runId, RunKind.FAILOVER, FakePlatform.PRIMARY, "carol", "region gone",
        RunPhase.FAILED, "restore", 30, null, null, List.of(
            new StepState("preflight", "succeeded", t0, t0.plusSeconds(2), null),
            new StepState("fence", "succeeded", t0.plusSeconds(2), t0.plusSeconds(3), null),
            new StepState("restore", "failed", t0.plusSeconds(3), t0.plusSeconds(40), "no WAL")),
        request, null, result, new RunError("PLATFORM_ERROR", "recovery ended before the target"), t0,
        t0.plusSeconds(40), null));

    String html = api.http().get("/v1/failovers/" + runId + "/report.html").body();

    assertThat(html).contains("<h1>Failover FAILED</h1>",
        "restored in " + FakePlatform.DR_1 + " as techcorp-primary-dr",
        "Emergency declared by carol: no approval was required", "PLATFORM_ERROR: recovery ended before the target",
        "<div class=\"measure unknown\" id=\"rto\">", "data-step=\"restore\"");
  }

  @Test
  void report_ofAnUnknownRunOrOfAnotherKind_isRunNotFound() {
    Reply missing = api.http().get("/v1/failovers/failover-nope/report.html");
    assertThat(missing.status()).isEqualTo(404);
    assertThat(missing.json().get("error").asText()).isEqualTo("RUN_NOT_FOUND");

    String restore = "restore-techcorp-primary-0c0ffee0";
    api.catalog().runs().save(new RunState(restore, RunKind.RESTORE, FakePlatform.PRIMARY, "alice", "r",
        RunPhase.SUCCEEDED, null, 100, null, null, List.of(), Map.of(), null, null, null, Instant.now(), Instant.now(),
        null));
    Reply other = api.http().get("/v1/failovers/" + restore + "/report.html");
    assertThat(other.status()).isEqualTo(404);
    assertThat(other.json().get("error").asText()).isEqualTo("RUN_NOT_FOUND");
    assertThat(other.json().get("message").asText()).contains("not a failover");
  }
}
