package dev.lifeboat.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lifeboat.api.testing.ApiFixture;
import dev.lifeboat.api.testing.FakePlatform;
import dev.lifeboat.api.testing.Http.Reply;
import dev.lifeboat.api.testing.RecordingDrillWorkflow;
import dev.lifeboat.api.testing.StartAssertions;
import dev.lifeboat.common.model.DrillCheck;
import dev.lifeboat.common.model.DrillKind;
import dev.lifeboat.common.model.DrillMeasure;
import dev.lifeboat.common.model.DrillReport;
import dev.lifeboat.common.model.DrillRequest;
import dev.lifeboat.common.model.DrillSettings;
import dev.lifeboat.common.model.DrillSource;
import dev.lifeboat.common.model.DrillTargets;
import dev.lifeboat.common.model.RowCountRule;
import dev.lifeboat.common.model.RunError;
import dev.lifeboat.common.model.RunKind;
import dev.lifeboat.common.model.RunPhase;
import dev.lifeboat.common.model.RunState;
import dev.lifeboat.common.model.SnapshotInfo;
import dev.lifeboat.common.model.SqlCheck;
import dev.lifeboat.common.model.StepState;
import dev.lifeboat.common.model.VerificationSuite;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** POST /v1/drills, the history with its trend, one report as JSON and as a page, end to end over HTTP. */
class DrillApiIT {
  private static final VerificationSuite TECHCORP = new VerificationSuite("techcorp",
      List.of(new RowCountRule("users", List.of("all"), "0")), List.of(new SqlCheck("ok", "select true")),
      List.of("plpgsql"), List.of(), "select max(created_at) from orders.orders");
  private static final VerificationSuite SMOKE = new VerificationSuite("smoke", null, null, null,
      List.of("postgres"), null);
  private static final DrillSettings SETTINGS = new DrillSettings(Map.of("techcorp", TECHCORP, "smoke", SMOKE),
      "techcorp", new DrillTargets(Duration.ofMinutes(30), Duration.ofHours(12)),
      Map.of(FakePlatform.PRIMARY, FakePlatform.REPLICA), null);
  private static ApiFixture api;

  @BeforeAll
  static void start() {
    api = ApiFixture.start("drill-api", Clock.systemUTC(), List.of(), List.of(), SETTINGS);
    Instant copied = Instant.now().minus(Duration.ofHours(3));
    api.platform().addSnapshot(new SnapshotInfo("lb-techcorp-primary-20261129-0300", FakePlatform.PRIMARY,
        FakePlatform.DR_1, "available", copied.minusSeconds(30), copied, 4096, Map.of()));
  }

  @AfterAll
  static void stop() {
    if (api != null) {
      api.close();
    }
  }

  @Test
  void drill_whenValid_isAcceptedWithDefaultsFilledIn_andStartsTheWorkflow() {
    String reason = StartAssertions.uniqueReason();
    Reply reply = api.http().postJson("/v1/drills", "{\"instance\": \"techcorp-primary\", \"reason\": \""
        + reason + "\"}");

    assertThat(reply.status()).as(reply.body()).isEqualTo(202);
    JsonNode run = reply.json();
    String runId = run.get("runId").asText();
    assertThat(runId).matches("drill-techcorp-primary-[0-9a-f]{8}");
    assertThat(reply.header("Location")).endsWith("/v1/runs/" + runId);
    assertThat(run.get("kind").asText()).isEqualTo("drill");
    assertThat(run.get("phase").asText()).isEqualTo("pending");
    assertThat(run.at("/links/report").asText()).isEqualTo("/v1/drills/" + runId);
    assertThat(run.at("/links/reportHtml").asText()).isEqualTo("/v1/drills/" + runId + "/report.html");

    DrillRequest started = StartAssertions.startedWith(RecordingDrillWorkflow.STARTED, DrillRequest::reason, reason);
    assertThat(started.region()).isEqualTo(FakePlatform.DR_1);
    assertThat(started.source()).isEqualTo(DrillSource.LATEST_COPY);
    assertThat(started.verification()).isEqualTo("techcorp");
    assertThat(started.targets()).isEqualTo(new DrillTargets(Duration.ofMinutes(30), Duration.ofHours(12)));
    assertThat(started.requester()).isEqualTo("alice");
    RunState stored = api.catalog().runs().find(runId).orElseThrow();
    assertThat(stored.kind()).isEqualTo(RunKind.DRILL);
    assertThat(stored.request()).containsEntry("region", "dr-1").containsEntry("verification", "techcorp");

    Reply notYet = api.http().get("/v1/drills/" + runId);
    assertThat(notYet.status()).isEqualTo(404);
    assertThat(notYet.json().get("error").asText()).isEqualTo("DRILL_NOT_FOUND");
    assertThat(notYet.json().at("/details/run").asText()).isEqualTo("/v1/runs/" + runId);
  }

  @Test
  void drill_withSourceSuiteAndTargets_passesThemOn() {
    String reason = StartAssertions.uniqueReason();
    Reply reply = api.http().postJson("/v1/drills", "{\"instance\": \"techcorp-primary\", \"region\": \"dr-1\","
        + " \"source\": \"pitr-latest\", \"verification\": \"smoke\", \"targets\": {\"rto\": \"15m\"},"
        + " \"reason\": \"" + reason + "\"}");

    assertThat(reply.status()).as(reply.body()).isEqualTo(202);
    DrillRequest started = StartAssertions.startedWith(RecordingDrillWorkflow.STARTED, DrillRequest::reason, reason);
    assertThat(started.source()).isEqualTo(DrillSource.PITR_LATEST);
    assertThat(started.verification()).isEqualTo("smoke");
    assertThat(started.targets()).isEqualTo(new DrillTargets(Duration.ofMinutes(15), Duration.ofHours(12)));
  }

  @Test
  void failoverDrill_isAccepted_withThePoolerEntryAndAnalyticsReplicaOfARestoreInDrFailover() {
    String reason = StartAssertions.uniqueReason();
    Reply reply = api.http().postJson("/v1/drills", "{\"instance\": \"techcorp-primary\", \"kind\": \"failover\","
        + " \"maxDataLoss\": \"10m\", \"reason\": \"" + reason + "\"}");

    assertThat(reply.status()).as(reply.body()).isEqualTo(202);
    DrillRequest started = StartAssertions.startedWith(RecordingDrillWorkflow.STARTED, DrillRequest::reason, reason);
    assertThat(started.kind()).isEqualTo(DrillKind.FAILOVER);
    assertThat(started.database()).isEqualTo("techcorp");
    assertThat(started.analyticsReplica()).isEqualTo(FakePlatform.REPLICA);
    assertThat(started.maxDataLoss()).isEqualTo(Duration.ofMinutes(10));
    assertThat(started.source()).isEqualTo(DrillSource.LATEST_COPY);
    RunState stored = api.catalog().runs().find(reply.json().get("runId").asText()).orElseThrow();
    assertThat(stored.request()).containsEntry("kind", "failover").containsEntry("database", "techcorp")
        .containsEntry("maxDataLoss", "PT10M");
  }

  @Test
  void drill_whileARealFailoverOfTheInstanceRuns_isRefused() {
    api.catalog().runs().save(new RunState("failover-techcorp-primary-0f0f0f0f", RunKind.FAILOVER,
        FakePlatform.PRIMARY, "olga", "primary down", RunPhase.RUNNING, "restore", 40, null, "restoring", List.of(),
        Map.of("mode", "restore-in-dr"), null, null, null, Instant.now(), null, null));
    try {
      JsonNode refused = refused("{\"instance\": \"techcorp-primary\", \"kind\": \"failover\", \"reason\": \"%s\"}",
          409, "RUN_ALREADY_RUNNING", null, "Failover failover-techcorp-primary-0f0f0f0f of techcorp-primary");
      assertThat(refused.at("/details/runId").asText()).isEqualTo("failover-techcorp-primary-0f0f0f0f");
    } finally {
      api.endFailovers();
    }
  }

  @Test
  void badFailoverDrills_areRefusedBeforeAnythingStarts() {
    JsonNode kind = refused("{\"instance\": \"techcorp-primary\", \"kind\": \"promote\", \"reason\": \"%s\"}",
        400, "INVALID_REQUEST", "kind", "is not one of restore, failover");
    assertThat(kind.at("/details/allowed")).hasSize(2);
    refused("{\"instance\": \"techcorp-primary\", \"database\": \"techcorp\", \"reason\": \"%s\"}", 400,
        "INVALID_REQUEST", "database", "belongs to failover drills");
    refused("{\"instance\": \"techcorp-primary\", \"kind\": \"failover\", \"source\": \"pitr-latest\","
        + " \"reason\": \"%s\"}", 400, "INVALID_REQUEST", "source", "leave source out");
    refused("{\"instance\": \"techcorp-primary\", \"kind\": \"failover\", \"database\": \"drop table x\","
        + " \"reason\": \"%s\"}", 400, "INVALID_REQUEST", "database", "pooler's database name");
    refused("{\"instance\": \"techcorp-primary\", \"kind\": \"failover\", \"maxDataLoss\": \"-1s\","
        + " \"reason\": \"%s\"}", 400, "INVALID_REQUEST", "maxDataLoss", "maxDataLoss");
    refused("{\"instance\": \"techcorp-primary\", \"kind\": \"failover\", \"analyticsReplica\":"
        + " \"techcorp-replica-9\", \"reason\": \"%s\"}", 400, "INVALID_REQUEST", "analyticsReplica",
        "is not a replica of techcorp-primary");
  }

  @Test
  void badRequests_areRefusedBeforeAnythingStarts_withTheJsonErrorBody() {
    refused("{\"instance\": \"techcorp-primary\", \"verification\": \"nightly\", \"reason\": \"%s\"}", 400,
        "SUITE_NOT_FOUND", "verification", "No verification suite is called 'nightly'");
    JsonNode unknownSuite = refused("{\"instance\": \"techcorp-primary\", \"verification\": \"x\", \"reason\": \"%s\"}",
        400, "SUITE_NOT_FOUND", "verification", "Configured suites: smoke, techcorp");
    assertThat(unknownSuite.at("/details/suites")).extracting(JsonNode::asText).containsExactly("smoke", "techcorp");
    refused("{\"instance\": \"techcorp-primary\", \"verification\": \"%s\"}", 400, "INVALID_REQUEST", "reason",
        "reason is required");
    JsonNode source = refused("{\"instance\": \"techcorp-primary\", \"source\": \"yesterday\", \"reason\": \"%s\"}",
        400, "INVALID_REQUEST", "source", "is not one of latest-copy, pitr-latest");
    assertThat(source.at("/details/allowed")).hasSize(2);
    refused("{\"instance\": \"techcorp-primary\", \"targets\": {\"rto\": \"soon\"}, \"reason\": \"%s\"}", 400,
        "INVALID_REQUEST", "targets.rto", "is not an ISO-8601 duration");
    refused("{\"instance\": \"techcorp-primary\", \"targets\": {\"rpo\": \"PT0S\"}, \"reason\": \"%s\"}", 400,
        "INVALID_REQUEST", "targets.rpo", "must be more than zero");
    refused("{\"instance\": \"techcorp-primary\", \"targets\": {\"rto\": \"1h\", \"rt0\": \"1h\"}, \"reason\": \"%s\"}",
        400, "INVALID_REQUEST", null, "rt0");
    refused("{\"instance\": \"techcorp-replica-1\", \"reason\": \"%s\"}", 400, "INVALID_REQUEST", "instance",
        "only managed primaries are drilled");
    refused("{\"instance\": \"nobody-db\", \"reason\": \"%s\"}", 404, "INSTANCE_NOT_FOUND", null, "nobody-db");
    refused("{\"instance\": \"techcorp-primary\", \"region\": \"local-a\", \"reason\": \"%s\"}", 404,
        "REGION_NOT_FOUND", "region", "is the home region");
    refused("{\"instance\": \"techcorp-primary\", \"region\": \"mars-1\", \"reason\": \"%s\"}", 404,
        "REGION_NOT_FOUND", "region", "DR regions: dr-1, dr-2");
    refused("{\"instance\": \"techcorp-primary\", \"region\": \"dr-2\", \"reason\": \"%s\"}", 422,
        "NO_COPY_IN_REGION", null, "Region dr-2 holds no snapshot copy of techcorp-primary");
  }

  @Test
  void history_listsNewestFirst_pagesWithACursor_andShowsTheTrend() {
    Instant t0 = Instant.parse("2026-11-01T04:00:00Z");
    api.catalog().drills().save(report("drill-trend-db-1", "trend-db", t0, 40, true, null));
    api.catalog().drills().save(report("drill-trend-db-2", "trend-db", t0.plus(Duration.ofDays(7)), 50, true, null));
    api.catalog().drills().save(report("drill-trend-db-3", "trend-db", t0.plus(Duration.ofDays(14)), 95, false,
        "target:rto"));
    api.catalog().drills().save(report("drill-trend-db-4", "trend-db", t0.plus(Duration.ofDays(21)), 120, false,
        "row-count:inventory.stock_levels"));
    // a retried store replaces, never duplicates
    api.catalog().drills().save(report("drill-trend-db-4", "trend-db", t0.plus(Duration.ofDays(21)), 120, false,
        "row-count:inventory.stock_levels"));

    JsonNode first = api.http().get("/v1/drills?instance=trend-db&limit=3").json();
    assertThat(first.get("items")).extracting(i -> i.get("runId").asText())
        .containsExactly("drill-trend-db-4", "drill-trend-db-3", "drill-trend-db-2");
    JsonNode newest = first.get("items").get(0);
    assertThat(newest.get("outcome").asText()).isEqualTo("failed");
    assertThat(newest.at("/rto/measuredSeconds").asDouble()).isEqualTo(120.0);
    assertThat(newest.at("/rto/target").asText()).isEqualTo("PT1M30S");
    assertThat(newest.at("/rto/met").asBoolean()).isFalse();
    assertThat(newest.at("/rpo/measured").asText()).isEqualTo("PT5M");
    assertThat(newest.get("failedChecks")).extracting(JsonNode::asText)
        .containsExactly("target:rto", "row-count:inventory.stock_levels");
    assertThat(newest.at("/links/html").asText()).isEqualTo("/v1/drills/drill-trend-db-4/report.html");
    JsonNode trend = first.get("trend");
    assertThat(trend.get("drills").asInt()).isEqualTo(4);
    assertThat(trend.get("passed").asInt()).isEqualTo(2);
    assertThat(trend.at("/rto/direction").asText()).isEqualTo("worsening");
    assertThat(trend.at("/rto/latestSeconds").asDouble()).isEqualTo(120.0);
    assertThat(trend.at("/rto/averageSeconds").asDouble()).isEqualTo(76.25);
    assertThat(trend.at("/rto/missed").asInt()).isEqualTo(2);
    assertThat(trend.at("/rpo/direction").asText()).isEqualTo("steady");

    JsonNode second = api.http().get("/v1/drills?instance=trend-db&limit=3&cursor="
        + first.get("nextCursor").asText()).json();
    assertThat(second.get("items")).extracting(i -> i.get("runId").asText()).containsExactly("drill-trend-db-1");
    assertThat(second.get("nextCursor").isNull()).isTrue();
    assertThat(api.http().get("/v1/drills?instance=trend-db&region=dr-2").json().get("items")).isEmpty();
    assertThat(api.http().get("/v1/drills?instance=not_an_id").status()).isEqualTo(400);
    assertThat(api.http().get("/v1/drills?cursor=garbage").status()).isEqualTo(400);
  }

  @Test
  void report_isServedAsJson_andAsAPageWithEveryValueEscaped() {
    DrillReport report = report("drill-page-db-1", "page-db", Instant.parse("2026-11-08T04:00:00Z"), 95, false,
        "target:rto");
    DrillReport hostile = new DrillReport(report.runId(), report.instance(), report.region(), report.source(),
        report.suite(), "mallory", "<script>alert('x')</script> & \"quotes\"", report.snapshotId(),
        report.snapshotStoppedAt(), report.restoredTo(), report.drillInstance(), true, report.compareOn(),
        report.startedAt(), report.restoredAt(), report.verifiedAt(), report.stoppedAt(), report.rto(), report.rpo(),
        false, List.of(new DrillCheck("<img src=x onerror=alert(1)>", DrillCheck.SQL, false, "</td><b>",
            "true", "a \"detail\" with 'quotes' & <tags>", report.startedAt())), report.steps(), report.error());
    api.catalog().drills().save(hostile);
    api.catalog().drills().save(report("drill-page-db-0", "page-db", Instant.parse("2026-11-01T04:00:00Z"), 40, true,
        null));

    JsonNode json = api.http().get("/v1/drills/drill-page-db-1").json();
    assertThat(json.get("outcome").asText()).isEqualTo("failed");
    assertThat(json.get("checks")).hasSize(1);
    assertThat(json.get("steps")).extracting(s -> s.get("name").asText())
        .containsExactly("plan", "restore", "verify", "teardown");
    assertThat(json.at("/steps/1/durationMs").asLong()).isEqualTo(60_000);

    Reply page = api.http().get("/v1/drills/drill-page-db-1/report.html");
    assertThat(page.status()).isEqualTo(200);
    assertThat(page.header("Content-Type")).startsWith("text/html");
    assertThat(page.header("Content-Security-Policy")).contains("default-src 'none'");
    String html = page.body();
    assertThat(html).contains("<h1>DR drill FAILED</h1>", "id=\"steps\"", "id=\"checks\"",
        "<svg class=\"history-chart\" id=\"rto-chart\"", "<svg class=\"history-chart\" id=\"rpo-chart\"");
    assertThat(html).doesNotContain("<script", "<img", "</td><b>", "src=\"http", "href=\"http");
    assertThat(html).contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;quotes&quot;",
        "&lt;img src=x onerror=alert(1)&gt;", "&lt;/td&gt;&lt;b&gt;");
    assertThat(html).contains("data-run=\"drill-page-db-0\"", "data-run=\"drill-page-db-1\"");

    Reply missing = api.http().get("/v1/drills/drill-nope/report.html");
    assertThat(missing.status()).isEqualTo(404);
    assertThat(missing.json().get("error").asText()).isEqualTo("DRILL_NOT_FOUND");
  }

  private static JsonNode refused(String template, int status, String error, String field, String message) {
    return StartAssertions.assertRefused(api, "/v1/drills", RunKind.DRILL, "drill-never-started",
        RecordingDrillWorkflow.STARTED, DrillRequest::reason, template, status, error, field, message);
  }

  /** A stored report: four steps, RTO against a 90 s target, a 5 min RPO against 24 h. */
  static DrillReport report(String runId, String instance, Instant startedAt, long rtoSeconds, boolean passed,
      String failedCheck) {
    Instant restored = startedAt.plusSeconds(rtoSeconds - 10);
    Instant verified = startedAt.plusSeconds(rtoSeconds);
    Instant stopped = verified.plusSeconds(2);
    DrillMeasure rto = new DrillMeasure(Duration.ofSeconds(rtoSeconds), Duration.ofSeconds(90), rtoSeconds <= 90,
        "drill start to verified instance");
    DrillMeasure rpo = new DrillMeasure(Duration.ofMinutes(5), Duration.ofHours(24), true, "freshness");
    List<DrillCheck> checks = new java.util.ArrayList<>(List.of(
        new DrillCheck("users.users", DrillCheck.ROW_COUNT, true, "2000", "2000 ± 0 (replica)", null, verified),
        new DrillCheck("rto", DrillCheck.TARGET, rtoSeconds <= 90, rto.measured().toString(), "<= PT1M30S", null,
            verified)));
    if (failedCheck != null && failedCheck.startsWith("row-count:")) {
      checks.add(new DrillCheck(failedCheck.substring("row-count:".length()), DrillCheck.ROW_COUNT, false, "1500",
          "0 ± 0 (replica)", "differs by 1500 rows", verified));
    }
    List<StepState> steps = List.of(
        new StepState("plan", "succeeded", startedAt, startedAt.plusSeconds(1), "planned"),
        new StepState("restore", "succeeded", startedAt.plusSeconds(1), startedAt.plusSeconds(61), "restored"),
        new StepState("verify", passed ? "succeeded" : "failed", startedAt.plusSeconds(61), verified, "checks"),
        new StepState("teardown", "succeeded", verified, stopped, "deleted"));
    return new DrillReport(runId, instance, "dr-1", "latest-copy", "techcorp", "schedule:weekly-dr-drill",
        "weekly drill", "lb-" + instance + "-copy", startedAt.minus(Duration.ofHours(1)), restored.minusSeconds(5),
        "lb-drill-" + runId.hashCode(), true, instance + "-analytics", startedAt, restored, verified, stopped, rto,
        rpo, passed, checks, steps,
        passed ? null : new RunError("DRILL_CHECKS_FAILED", "checks failed: " + failedCheck));
  }
}
