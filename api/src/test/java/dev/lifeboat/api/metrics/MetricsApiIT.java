package dev.lifeboat.api.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.lifeboat.api.testing.ApiFixture;
import dev.lifeboat.api.testing.FakePlatform;
import dev.lifeboat.api.testing.Http.Reply;
import dev.lifeboat.api.testing.Http;
import dev.lifeboat.common.model.DrillMeasure;
import dev.lifeboat.common.model.DrillReport;
import dev.lifeboat.common.model.RunError;
import dev.lifeboat.common.model.RunKind;
import dev.lifeboat.common.model.RunPhase;
import dev.lifeboat.common.model.RunState;
import dev.lifeboat.common.model.SnapshotInfo;
import dev.lifeboat.common.model.StepState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code /metrics} on the admin port of the running API: one scrape before anything happened, then
 * runs, steps, snapshots and drills recorded through the catalog and the platform (and one restore
 * started through {@code /v1}), then a scrape that shows them, once the collector's cache let go.
 */
class MetricsApiIT {
  private static final String PRIMARY = FakePlatform.PRIMARY;
  private static final String HOME = FakePlatform.HOME_REGION;

  private static ApiFixture api;
  private static Http admin;
  private static Exposition before;
  private static Exposition after;
  private static Instant recordedAt;
  private static Instant newestDrillStart;

  @BeforeAll
  static void start() throws InterruptedException {
    api = ApiFixture.start("metrics-api");
    admin = new Http(api.app().getAdminPort());
    before = scrape();
    recordedAt = Instant.now();
    recordRuns();
    recordSnapshots();
    recordDrills();
    after = awaitScrape();
  }

  @AfterAll
  static void stop() {
    if (api != null) {
      api.close();
    }
  }

  // ---- the data -------------------------------------------------------------------------------

  private static void recordRuns() {
    Instant t = recordedAt.minus(Duration.ofHours(1));
    save("restore-metrics-a", RunKind.RESTORE, RunPhase.SUCCEEDED, t, List.of(
        step("plan", "succeeded", t, 1.5), step("restore", "succeeded", t.plusSeconds(2), 60),
        step("verify", "succeeded", t.plusSeconds(62), 2)));
    save("restore-metrics-b", RunKind.RESTORE, RunPhase.SUCCEEDED, t.plusSeconds(100), List.of(
        step("plan", "succeeded", t.plusSeconds(100), 0.5), step("restore", "succeeded", t.plusSeconds(101), 30)));
    // its restore step stops last of all restore steps: the "last duration"
    save("restore-metrics-c", RunKind.RESTORE, RunPhase.FAILED, t.plusSeconds(200), List.of(
        step("plan", "succeeded", t.plusSeconds(200), 1), step("restore", "failed", t.plusSeconds(201), 5),
        new StepState("verify", "skipped", null, null, null)));
    save("snapshot-metrics-d", RunKind.SNAPSHOT, RunPhase.CANCELLED, t.plusSeconds(300), List.of());
    save("table-recovery-metrics-e", RunKind.TABLE_RECOVERY, RunPhase.WAITING_APPROVAL, t.plusSeconds(400),
        List.of(step("export", "succeeded", t.plusSeconds(400), 12), new StepState("approve", "running",
            t.plusSeconds(412), null, null)));
    // and one through the API, as on-call starts it
    String targetTime = recordedAt.minus(Duration.ofMinutes(30)).toString();
    Reply reply = api.http().postJson("/v1/restores", "{\"instance\": \"" + PRIMARY + "\", \"targetTime\": \""
        + targetTime + "\", \"reason\": \"metrics test\"}");
    assertThat(reply.status()).as(reply.body()).isEqualTo(202);
  }

  private static StepState step(String name, String status, Instant startedAt, double seconds) {
    return new StepState(name, status, startedAt, startedAt.plusMillis((long) (seconds * 1000)), null);
  }

  private static void save(String runId, RunKind kind, RunPhase phase, Instant startedAt, List<StepState> steps) {
    api.catalog().runs().save(new RunState(runId, kind, PRIMARY, "bob", "metrics", phase, null, null, null, null,
        steps, Map.of(), null, null, phase == RunPhase.FAILED ? new RunError("WAL_MISSING", "gone") : null,
        startedAt, phase.terminal() ? startedAt.plusSeconds(90) : null, null));
  }

  private static void recordSnapshots() {
    Instant twoHoursAgo = recordedAt.minus(Duration.ofHours(2));
    Instant yesterday = recordedAt.minus(Duration.ofHours(30));
    api.platform().addSnapshot(new SnapshotInfo("snap-old", PRIMARY, HOME, "available", yesterday.minusSeconds(60),
        yesterday, 1_000, Map.of()));
    api.platform().addSnapshot(new SnapshotInfo("snap-new", PRIMARY, HOME, "available", twoHoursAgo.minusSeconds(60),
        twoHoursAgo, 1_000, Map.of()));
    api.platform().addSnapshot(new SnapshotInfo("snap-new", PRIMARY, FakePlatform.DR_1, "available",
        twoHoursAgo.minusSeconds(60), twoHoursAgo, 1_000, Map.of()));
    api.platform().addSnapshot(new SnapshotInfo("snap-broken", PRIMARY, HOME, "failed", recordedAt.minusSeconds(600),
        null, 0, Map.of()));
  }

  private static void recordDrills() {
    api.catalog().drills().save(drill("drill-metrics-1", recordedAt.minus(Duration.ofDays(8)), 40, true));
    newestDrillStart = recordedAt.minus(Duration.ofDays(1)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    api.catalog().drills().save(drill("drill-metrics-2", newestDrillStart, 95, false));
  }

  private static DrillReport drill(String runId, Instant startedAt, long rtoSeconds, boolean passed) {
    Instant verified = startedAt.plusSeconds(rtoSeconds);
    return new DrillReport(runId, PRIMARY, FakePlatform.DR_1, "latest-copy", "techcorp", "schedule:weekly-dr-drill",
        "weekly drill", "snap-new", startedAt.minus(Duration.ofHours(1)), startedAt.minusSeconds(300),
        "lb-drill-" + runId, true, "techcorp-analytics", startedAt, verified.minusSeconds(5), verified,
        verified.plusSeconds(2),
        new DrillMeasure(Duration.ofSeconds(rtoSeconds), Duration.ofSeconds(90), rtoSeconds <= 90, "start to verified"),
        new DrillMeasure(Duration.ofMinutes(5), Duration.ofHours(24), true, "freshness"),
        passed, List.of(), List.of(),
        passed ? null : new RunError("DRILL_CHECKS_FAILED", "checks failed: target:rto"));
  }

  // ---- scraping -------------------------------------------------------------------------------

  private static Exposition scrape() {
    Reply reply = admin.get("/metrics");
    assertThat(reply.status()).as(reply.body()).isEqualTo(200);
    return Exposition.parse(reply.body());
  }

  /** Until the cache of the first scrape has gone (it keeps a refresh for 10 s). */
  private static Exposition awaitScrape() throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(40).toNanos();
    while (true) {
      Exposition scrape = scrape();
      if (scrape.value("lifeboat_drill_last_passed", "instance", PRIMARY).isPresent()
          || System.nanoTime() > deadline) {
        return scrape;
      }
      Thread.sleep(500);
    }
  }

  // ---- the tests ------------------------------------------------------------------------------

  @Test
  void metrics_areTextFormat004_onTheAdminPort_withoutAToken() {
    Reply reply = admin.get("/metrics");

    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.header("Content-Type")).isEqualTo("text/plain; version=0.0.4; charset=utf-8");
    assertThat(reply.body()).contains("# TYPE lifeboat_runs_finished_total counter",
        "# TYPE lifeboat_run_step_duration_seconds summary", "# TYPE lifeboat_pitr_window_intact gauge");
    // Dropwizard's registry comes along, e.g. the server's thread pool
    assertThat(after.names()).contains("org_eclipse_jetty_util_thread_QueuedThreadPool_dw_size");
    // nothing on the application port
    assertThat(api.http().get("/metrics").body()).doesNotContain("lifeboat_runs");
  }

  @Test
  void runs_countedByKindAndOutcome_fromTheCatalog() {
    assertThat(before.get("lifeboat_runs_started_total", "kind", "restore")).isZero();
    assertThat(before.get("lifeboat_runs_finished_total", "kind", "restore", "outcome", "succeeded")).isZero();
    // every kind and outcome is there from the start, so that increase() sees the first failure
    assertThat(before.all("lifeboat_runs_finished_total")).hasSize(RunKind.values().length * 3);

    assertThat(after.get("lifeboat_runs_started_total", "kind", "restore")).isEqualTo(4);
    assertThat(after.get("lifeboat_runs_finished_total", "kind", "restore", "outcome", "succeeded")).isEqualTo(2);
    assertThat(after.get("lifeboat_runs_finished_total", "kind", "restore", "outcome", "failed")).isEqualTo(1);
    assertThat(after.get("lifeboat_runs_finished_total", "kind", "snapshot", "outcome", "cancelled")).isEqualTo(1);
    assertThat(after.get("lifeboat_runs_active", "kind", "table-recovery", "phase", "waiting-approval")).isEqualTo(1);
    // the restore started through /v1 has not ended
    assertThat(after.get("lifeboat_runs_active", "kind", "restore", "phase", "pending")
        + after.get("lifeboat_runs_active", "kind", "restore", "phase", "running")).isEqualTo(1);
  }

  @Test
  void stepDurations_sumAndCountOfFinishedSteps_andTheLastOne() {
    assertThat(after.get("lifeboat_run_step_duration_seconds_count", "kind", "restore", "step", "plan",
        "status", "succeeded")).isEqualTo(3);
    assertThat(after.get("lifeboat_run_step_duration_seconds_sum", "kind", "restore", "step", "plan",
        "status", "succeeded")).isCloseTo(3.0, within(1e-6));
    assertThat(after.get("lifeboat_run_step_duration_seconds_count", "kind", "restore", "step", "restore",
        "status", "succeeded")).isEqualTo(2);
    assertThat(after.get("lifeboat_run_step_duration_seconds_sum", "kind", "restore", "step", "restore",
        "status", "succeeded")).isCloseTo(90.0, within(1e-6));
    assertThat(after.get("lifeboat_run_step_duration_seconds_sum", "kind", "restore", "step", "restore",
        "status", "failed")).isCloseTo(5.0, within(1e-6));
    assertThat(after.get("lifeboat_run_step_last_duration_seconds", "kind", "restore", "step", "restore"))
        .isCloseTo(5.0, within(1e-6));
    // a skipped step without times, and a step still running, are in neither
    assertThat(after.value("lifeboat_run_step_duration_seconds_count", "step", "verify", "status", "skipped"))
        .isEmpty();
    assertThat(after.value("lifeboat_run_step_last_duration_seconds", "kind", "table-recovery", "step", "approve"))
        .isEmpty();
  }

  @Test
  void snapshots_newestAgePerInstanceAndRegion_andAPrimaryWithoutOneIsZero() {
    assertThat(before.get("lifeboat_snapshots", "instance", PRIMARY, "region", HOME, "status", "available"))
        .isZero();
    assertThat(before.value("lifeboat_snapshot_newest_age_seconds", "instance", PRIMARY)).isEmpty();
    // a replica is not expected to have snapshots
    assertThat(before.value("lifeboat_snapshots", "instance", FakePlatform.REPLICA)).isEmpty();

    assertThat(after.get("lifeboat_snapshots", "instance", PRIMARY, "region", HOME, "status", "available"))
        .isEqualTo(2);
    assertThat(after.get("lifeboat_snapshots", "instance", PRIMARY, "region", HOME, "status", "failed"))
        .isEqualTo(1);
    double age = after.get("lifeboat_snapshot_newest_age_seconds", "instance", PRIMARY, "region", HOME);
    assertThat(age).isBetween(7200.0, 7200.0 + 120);
    assertThat(after.get("lifeboat_snapshot_newest_age_seconds", "instance", PRIMARY, "region", FakePlatform.DR_1))
        .isCloseTo(age, within(1.0));
  }

  @Test
  void pitrWindow_ofEachPrimary_withItsEndsLengthLagAndIntact() {
    double now = Instant.now().toEpochMilli() / 1000.0;
    assertThat(after.get("lifeboat_pitr_window_intact", "instance", PRIMARY, "region", HOME)).isEqualTo(1);
    assertThat(after.get("lifeboat_pitr_window_gaps", "instance", PRIMARY)).isZero();
    // the fake window: the last seven days up to a minute ago
    assertThat(after.get("lifeboat_pitr_window_earliest_timestamp_seconds", "instance", PRIMARY))
        .isCloseTo(now - Duration.ofDays(7).toSeconds(), within(120.0));
    assertThat(after.get("lifeboat_pitr_window_latest_timestamp_seconds", "instance", PRIMARY))
        .isCloseTo(now - 60, within(120.0));
    assertThat(after.get("lifeboat_pitr_window_length_seconds", "instance", PRIMARY))
        .isCloseTo(Duration.ofDays(7).minusMinutes(1).toSeconds(), within(1.0));
    // measured against the refresh's start, a moment before the platform was asked
    assertThat(after.get("lifeboat_pitr_window_lag_seconds", "instance", PRIMARY)).isBetween(45.0, 61.0);
    assertThat(after.value("lifeboat_pitr_window_intact", "instance", FakePlatform.REPLICA)).isEmpty();
  }

  @Test
  void temporaryInstances_perRegion_andThosePastTheirTtl() {
    // the fake fleet's temporary instance expired on 2026-01-01T04:00Z
    double expired = Instant.parse("2026-01-01T04:00:00Z").toEpochMilli() / 1000.0;
    double now = Instant.now().toEpochMilli() / 1000.0;
    assertThat(after.get("lifeboat_temporary_instances", "region", HOME)).isEqualTo(1);
    assertThat(after.get("lifeboat_temporary_instances", "region", FakePlatform.DR_1)).isZero();
    assertThat(after.get("lifeboat_temporary_instances_past_ttl", "region", HOME)).isEqualTo(1);
    assertThat(after.get("lifeboat_temporary_instance_past_ttl_seconds", "instance", FakePlatform.TEMPORARY,
        "region", HOME, "run_id", "restore-techcorp-primary-0badcafe")).isCloseTo(now - expired, within(120.0));
  }

  @Test
  void drills_theNewestPerInstanceAndRegion() {
    assertThat(before.value("lifeboat_drill_last_passed", "instance", PRIMARY)).isEmpty();

    String[] pair = {"instance", PRIMARY, "region", FakePlatform.DR_1};
    assertThat(after.get("lifeboat_drill_last_passed", pair)).isZero();
    assertThat(after.get("lifeboat_drill_last_rto_seconds", pair)).isEqualTo(95);
    assertThat(after.get("lifeboat_drill_last_rto_target_seconds", pair)).isEqualTo(90);
    assertThat(after.get("lifeboat_drill_last_rpo_seconds", pair)).isEqualTo(300);
    assertThat(after.get("lifeboat_drill_last_rpo_target_seconds", pair)).isEqualTo(86400);
    assertThat(after.get("lifeboat_drill_last_timestamp_seconds", pair))
        .isEqualTo(newestDrillStart.getEpochSecond());
    assertThat(after.get("lifeboat_drills_recent_failed", pair)).isEqualTo(1);
  }

  @Test
  void everySource_wasRead() {
    assertThat(after.all("lifeboat_metrics_source_up")).extracting(s -> s.labels().get("source"))
        .containsExactlyInAnyOrder("runs", "steps", "drills", "snapshots", "pitr_windows", "temporary_instances",
            "preflight");
    assertThat(after.all("lifeboat_metrics_source_up")).allSatisfy(s -> assertThat(s.value()).isEqualTo(1));
  }

  /** Series Prometheus writes itself for every target; no exporter produces them. */
  private static final Set<String> PROMETHEUS_OWN = Set.of("up");

  @Test
  void alertRules_readOnlySeriesTheExporterProduces() throws IOException {
    JsonNode rules = new ObjectMapper(new YAMLFactory()).readTree(Files.readString(alertsFile()));
    List<String> alerts = new ArrayList<>();
    Set<String> read = new TreeSet<>();
    for (JsonNode group : rules.get("groups")) {
      assertThat(group.get("name").asText()).isNotBlank();
      for (JsonNode rule : group.get("rules")) {
        String alert = rule.get("alert").asText();
        alerts.add(alert);
        assertThat(rule.path("labels").path("severity").asText()).as(alert).isIn("critical", "warning");
        for (String annotation : List.of("summary", "description", "runbook")) {
          assertThat(rule.path("annotations").path(annotation).asText()).as(alert + " " + annotation).isNotBlank();
        }
        if (rule.has("for")) {
          assertThat(rule.get("for").asText()).as(alert).matches("[0-9]+[smhd]");
        }
        Set<String> names = PromQlNames.of(rule.get("expr").asText());
        assertThat(names).as(alert + ": " + rule.get("expr").asText()).isNotEmpty();
        names.stream().filter(name -> !PROMETHEUS_OWN.contains(name)).forEach(read::add);
      }
    }
    assertThat(alerts).contains("LifeboatSnapshotTooOld", "LifeboatPitrWindowBroken", "LifeboatDrillFailed",
        "LifeboatTemporaryInstancePastTtl").doesNotHaveDuplicates();
    assertThat(after.names()).as("series the alert rules read").containsAll(read);
  }

  @Test
  void promQlNames_skipFunctionsLabelsRangesAndGrouping() {
    assertThat(PromQlNames.of("increase(lifeboat_runs_finished_total{outcome=\"failed\"}[1h]) > 0"))
        .containsExactly("lifeboat_runs_finished_total");
    assertThat(PromQlNames.of("time() - max by (instance, region) (lifeboat_drill_last_timestamp_seconds) > 8 * 86400"))
        .containsExactly("lifeboat_drill_last_timestamp_seconds");
    assertThat(PromQlNames.of("a_total offset 1h / on (instance) group_left(run_id) b unless c == bool 1e3"))
        .containsExactly("a_total", "b", "c");
  }

  private static Path alertsFile() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path file = dir.resolve("docs").resolve("alerts.yml");
      if (Files.isRegularFile(file)) {
        return file;
      }
    }
    throw new AssertionError("docs/alerts.yml not found above " + Path.of("").toAbsolutePath());
  }
}
