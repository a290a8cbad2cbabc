package dev.lifeboat.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lifeboat.activities.local.PgBouncer;
import dev.lifeboat.api.auth.AccessRole;
import dev.lifeboat.app.dev.DemoFleet;
import dev.lifeboat.app.metrics.DevStackMetrics;
import dev.lifeboat.common.failover.TrafficCheck;
import dev.lifeboat.common.failover.TrafficRoute;
import dev.lifeboat.common.model.Endpoint;
import dev.lifeboat.common.model.InstanceInfo;
import dev.lifeboat.common.model.InstanceRole;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * DR drills on {@code lifeboat dev} as a user runs it: the demo fleet on real clusters, its first
 * snapshot copied to {@code dr-1}, the built-in {@code techcorp} suite and weekly schedule, all
 * driven through HTTP. The tests build on each other, in order; the one that empties a table of
 * the source runs last.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DrDrillIT {
  private static DevStack stack;
  /** Run ids of the drills, in the order they ran. */
  private static final List<String> drills = new ArrayList<>();

  @BeforeAll
  static void startStack() throws Exception {
    stack = DevStack.start("drill");
  }

  @AfterAll
  static void stopStack() {
    if (stack != null) {
      stack.close();
    }
  }

  @Test
  @Order(1)
  void drill_restoresInTheDrRegion_passesEveryCheck_measuresRtoAndRpo_andLeavesNoInstance() throws Exception {
    Instant newestOrder = insertOrderAndAwaitAnalytics();

    JsonNode report = runDrill("{\"instance\": \"techcorp-primary\", \"region\": \"dr-1\", \"reason\": \"it: drill\"}",
        "succeeded");

    assertThat(report.get("passed").asBoolean()).as(report.toString()).isTrue();
    assertThat(report.get("region").asText()).isEqualTo("dr-1");
    assertThat(report.get("source").asText()).isEqualTo("latest-copy");
    assertThat(report.get("suite").asText()).isEqualTo("techcorp");
    assertThat(report.get("compareOn").asText()).isEqualTo(DemoFleet.ANALYTICS);
    assertThat(report.get("snapshotId").asText()).isIn(copiesInDr());
    assertThat(report.get("drillInstance").asText()).startsWith("lb-drill-");
    assertThat(report.get("drillInstanceDeleted").asBoolean()).isTrue();
    assertThat(report.get("checks")).allSatisfy(check -> assertThat(check.get("passed").asBoolean())
        .as(check.toString()).isTrue());
    assertThat(report.get("checks")).extracting(c -> c.get("kind").asText() + ":" + c.get("name").asText())
        .contains("row-count:auth.credentials", "row-count:users.users", "row-count:inventory.stock_levels",
            "sql:recent-orders", "sql:every-order-has-items", "extension:plpgsql", "role:postgres", "target:rto",
            "target:rpo");
    assertThat(report.get("checks")).filteredOn(c -> c.get("name").asText().equals("users.users")).singleElement()
        .satisfies(c -> assertThat(c.get("expected").asText()).endsWith("(" + DemoFleet.ANALYTICS + ")"));

    double rto = report.at("/rto/measuredSeconds").asDouble();
    double rpo = report.at("/rpo/measuredSeconds").asDouble();
    assertThat(rto).isPositive();
    assertThat(rpo).isPositive();
    // the same drill on the admin port's /metrics, as Prometheus scrapes it
    DevStackMetrics.assertAfterDrill(stack.apiUrl(), rto, rpo);
    assertThat(report.at("/rto/met").asBoolean()).isTrue();
    assertThat(report.at("/rpo/basis").asText()).contains("freshness query");
    // the order written after the copy is what a DR restore now would lose: the RPO covers it
    Instant restoredTo = Instant.parse(report.get("restoredTo").asText());
    assertThat(restoredTo).isBefore(newestOrder);
    assertThat(Duration.ofMillis((long) (rpo * 1000))).isGreaterThanOrEqualTo(Duration.between(restoredTo, newestOrder)
        .minusSeconds(1));
    // the demo promise: a drill of the local fleet in under a minute
    assertThat(Duration.between(Instant.parse(report.get("startedAt").asText()),
        Instant.parse(report.get("stoppedAt").asText()))).isLessThan(Duration.ofMinutes(1));
    assertThat(report.get("steps")).extracting(s -> s.get("name").asText() + "=" + s.get("status").asText())
        .containsExactly("plan=succeeded", "restore=succeeded", "verify=succeeded", "teardown=succeeded");
    assertNoTemporaryInstance();
  }

  @Test
  @Order(2)
  void secondDrill_fromTheWeeklySchedule_measuresOtherValues() throws Exception {
    insertOrderAndAwaitAnalytics();
    Http.Response triggered = stack.http.postAs(AccessRole.ADMIN, "/v1/schedules/weekly-dr-drill/trigger", null);
    assertThat(triggered.status()).as(triggered.body().toString()).isEqualTo(202);
    String runId = await().atMost(Duration.ofSeconds(30)).until(() -> stack.http.get("/v1/runs?kind=drill").body()
        .get("items").findValues("runId").stream().map(JsonNode::asText)
        .filter(id -> id.startsWith("drill-weekly-dr-drill-")).findFirst().orElse(null), id -> id != null);

    JsonNode report = awaitReport(runId, "succeeded");
    drills.add(runId);

    JsonNode first = stack.http.get("/v1/drills/" + drills.get(0)).body();
    assertThat(report.get("requester").asText()).isEqualTo("schedule:weekly-dr-drill");
    assertThat(report.get("passed").asBoolean()).as(report.toString()).isTrue();
    assertThat(report.at("/rto/measuredSeconds").asDouble()).isPositive()
        .isNotEqualTo(first.at("/rto/measuredSeconds").asDouble());
    assertThat(report.at("/rpo/measuredSeconds").asDouble())
        .isGreaterThan(first.at("/rpo/measuredSeconds").asDouble());
    assertNoTemporaryInstance();
  }

  @Test
  @Order(3)
  void drill_whoseRtoTargetIsExceeded_isReportedAsAMissWithTheMeasuredValue() {
    JsonNode report = runDrill("{\"instance\": \"techcorp-primary\", \"targets\": {\"rto\": \"PT0.001S\"},"
        + " \"reason\": \"it: impossible RTO\"}", "failed");

    assertThat(report.get("passed").asBoolean()).isFalse();
    assertThat(report.at("/rto/met").asBoolean()).isFalse();
    assertThat(report.at("/rto/target").asText()).isEqualTo("PT0.001S");
    double measured = report.at("/rto/measuredSeconds").asDouble();
    assertThat(measured).isGreaterThan(0.001);
    assertThat(report.at("/rpo/met").asBoolean()).isTrue();
    assertThat(report.get("checks")).filteredOn(c -> !c.get("passed").asBoolean())
        .extracting(c -> c.get("kind").asText() + ":" + c.get("name").asText()).containsExactly("target:rto");
    assertThat(report.at("/error/type").asText()).isEqualTo("DRILL_CHECKS_FAILED");
    assertThat(report.at("/error/message").asText()).contains("target:rto")
        .contains(report.at("/rto/measured").asText());
    JsonNode run = stack.http.get("/v1/runs/" + report.get("runId").asText()).body();
    assertThat(run.get("phase").asText()).isEqualTo("failed");
    assertThat(run.at("/error/type").asText()).isEqualTo("DRILL_CHECKS_FAILED");
    assertNoTemporaryInstance();

    JsonNode history = stack.http.get("/v1/drills?instance=techcorp-primary").body();
    List<String> newestFirst = new ArrayList<>(drills);
    java.util.Collections.reverse(newestFirst);
    assertThat(history.get("items")).extracting(i -> i.get("runId").asText()).containsExactlyElementsOf(newestFirst);
    assertThat(history.at("/trend/drills").asInt()).isEqualTo(3);
    assertThat(history.at("/trend/passed").asInt()).isEqualTo(2);
    assertThat(history.at("/trend/rto/missed").asInt()).isEqualTo(1);
  }

  @Test
  @Order(4)
  void htmlReport_rendersInHeadlessChromium_withHeaderStepsChecksAndTheHistoryChart() throws Exception {
    // no browser is a failure with how to install it, never a skip
    HeadlessChromium.requireInstalled();
    // the API needs a bearer token, which a browser's address bar cannot send: the page is fetched
    // as the CLI and curl fetch it, then opened from disk (it is self-contained: no script, no asset)
    String url = savedReport(drills.get(2));

    String dom = HeadlessChromium.dumpDom(url);

    assertThat(dom).contains("<h1>DR drill FAILED</h1>", "id=\"verdict\"", "data-outcome=\"failed\"");
    for (String step : List.of("plan", "restore", "verify", "teardown")) {
      assertThat(dom).contains("data-step=\"" + step + "\"");
    }
    assertThat(dom).contains("id=\"checks\"", "data-check=\"target:rto\"", "data-check=\"row-count:users.users\"",
        "data-check=\"sql:recent-orders\"", "data-check=\"extension:plpgsql\"");
    assertThat(dom).contains("<svg class=\"history-chart\" id=\"rto-chart\"", "id=\"rpo-chart\"");
    // one point per drill on each chart, the failed one red
    Matcher points = Pattern.compile("<circle class=\"point (met|missed)[^\"]*\"[^>]*data-run=\"([^\"]+)\"")
        .matcher(dom.substring(dom.indexOf("id=\"rto-chart\""), dom.indexOf("id=\"rpo-chart\"")));
    List<String> onChart = new ArrayList<>();
    while (points.find()) {
      onChart.add(points.group(2) + "=" + points.group(1));
    }
    assertThat(onChart).containsExactly(drills.get(0) + "=met", drills.get(1) + "=met", drills.get(2) + "=missed");
    assertThat(dom).doesNotContain("<script");

    String passed = HeadlessChromium.dumpDom(savedReport(drills.get(0)));
    assertThat(passed).contains("<h1>DR drill PASSED</h1>");
    Path png = Path.of("target", "drill-report.png");
    HeadlessChromium.screenshot(url, png);
    assertThat(Files.size(png)).isGreaterThan(10_000);
  }

  @Test
  @Order(5)
  void failoverDrill_runsRestoreInDrOnCopies_switchesOnlyItsOwnPoolerEntry_andLeavesProductionAsItWas()
      throws Exception {
    PgBouncer bouncer = stack.platform.pgBouncer();
    List<TrafficRoute> routesBefore = bouncer.routes();
    int primaryPort = port(DemoFleet.PRIMARY);
    insertOrderAndAwaitAnalytics();

    JsonNode report = runDrill("{\"instance\": \"techcorp-primary\", \"kind\": \"failover\", \"maxDataLoss\":"
        + " \"PT24H\", \"reason\": \"it: failover drill\"}", "succeeded");

    assertThat(report.get("passed").asBoolean()).as(report.toString()).isTrue();
    assertThat(report.get("steps")).extracting(s -> s.get("name").asText() + "=" + s.get("status").asText())
        .containsExactly("plan=succeeded", "failover=succeeded", "verify=succeeded", "teardown=succeeded");
    String runId = report.get("runId").asText();
    JsonNode rehearsed = stack.http.get("/v1/runs/" + runId).body().at("/result/failover");
    assertThat(rehearsed.get("runId").asText()).isEqualTo(runId + "-failover");
    String entry = rehearsed.get("poolerDatabase").asText();
    assertThat(entry).startsWith("techcorp_drill_");
    assertThat(Duration.parse(rehearsed.get("rto").asText())).isPositive();

    // the failover run itself: the same steps as restore-in-dr, on the drill's instances and entry
    JsonNode child = stack.http.get("/v1/runs/" + runId + "-failover").body();
    assertThat(child.get("kind").asText()).isEqualTo("failover");
    assertThat(child.get("phase").asText()).as(child.toString()).isEqualTo("succeeded");
    assertThat(child.at("/result/approval/rehearsal").asText()).isEqualTo(runId);
    assertThat(child.get("steps")).extracting(s -> s.get("name").asText())
        .containsExactly("preflight", "fence", "restore", "replica", "switch", "report");
    assertThat(child.at("/result/fence/how").asText()).isEqualTo("not-fenced (drill)");
    assertThat(child.at("/result/replica/0/how").asText()).isEqualTo("created");
    // the check through PgBouncer landed on the drill's primary, not on production's
    assertThat(child.at("/result/switch/check/inRecovery").asBoolean()).isFalse();
    assertThat(child.at("/result/switch/check/port").asInt()).isNotEqualTo(primaryPort)
        .isEqualTo(child.at("/result/switch/route/port").asInt());
    assertThat(child.at("/result/dataLossSeconds").isNumber()).as(child.toString()).isTrue();
    assertThat(stack.http.getText("/v1/failovers/" + runId + "-failover/report.html")).contains(runId + "-failover");

    // production as it was: the pooler's entries, the primary behind techcorp, its analytics replica
    assertThat(bouncer.routes()).containsExactlyInAnyOrderElementsOf(routesBefore);
    assertThat(bouncer.routes()).extracting(TrafficRoute::database).doesNotContain(entry);
    InstanceInfo primary = stack.platform.findInstance(DemoFleet.PRIMARY).orElseThrow();
    assertThat(primary.role()).isEqualTo(InstanceRole.PRIMARY);
    assertThat(stack.platform.findInstance(DemoFleet.ANALYTICS).orElseThrow().source()).isEqualTo(DemoFleet.PRIMARY);
    TrafficCheck landed = bouncer.check("techcorp");
    assertThat(landed.port()).isEqualTo(primaryPort);
    assertThat(landed.inRecovery()).isFalse();
    sql(DemoFleet.PRIMARY, "insert into orders.orders (user_id, status, total_cents) values (1, 'paid', 1)");
    assertNoTemporaryInstance();
  }

  @Test
  @Order(6)
  void drill_afterATableWasEmptiedInTheSource_failsNamingIt_andStillTearsDown() throws Exception {
    sql(DemoFleet.PRIMARY, "truncate inventory.stock_levels");
    await().atMost(Duration.ofSeconds(30)).until(() -> count(DemoFleet.ANALYTICS, "inventory.stock_levels") == 0);

    JsonNode report = runDrill("{\"instance\": \"techcorp-primary\", \"reason\": \"it: emptied table\"}", "failed");

    assertThat(report.get("passed").asBoolean()).isFalse();
    assertThat(report.get("checks")).filteredOn(c -> !c.get("passed").asBoolean())
        .extracting(c -> c.get("kind").asText() + ":" + c.get("name").asText())
        .containsExactly("row-count:inventory.stock_levels");
    JsonNode emptied = report.get("checks").findParents("name").stream()
        .filter(c -> c.get("name").asText().equals("inventory.stock_levels")).findFirst().orElseThrow();
    assertThat(emptied.get("value").asLong()).isPositive();
    assertThat(emptied.get("expected").asText()).startsWith("0 ± 0");
    assertThat(report.at("/error/message").asText()).contains("row-count:inventory.stock_levels");
    assertThat(report.get("drillInstanceDeleted").asBoolean()).isTrue();
    assertThat(report.get("steps")).extracting(s -> s.get("name").asText() + "=" + s.get("status").asText())
        .containsExactly("plan=succeeded", "restore=succeeded", "verify=failed", "teardown=succeeded");
    assertNoTemporaryInstance();
  }

  /** Posts a drill, waits for its run to end in {@code phase}, and answers its report. */
  private static JsonNode runDrill(String body, String phase) {
    Http.Response started = stack.http.post("/v1/drills", body);
    assertThat(started.status()).as(started.body().toString()).isEqualTo(202);
    String runId = started.body().get("runId").asText();
    assertThat(started.body().at("/links/reportHtml").asText()).isEqualTo("/v1/drills/" + runId + "/report.html");
    JsonNode report = awaitReport(runId, phase);
    drills.add(runId);
    return report;
  }

  private static JsonNode awaitReport(String runId, String phase) {
    JsonNode[] last = new JsonNode[1];
    Predicate<JsonNode> ended = run -> List.of("succeeded", "failed", "cancelled").contains(run.path("phase").asText());
    await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250)).alias("drill " + runId + " ends")
        .until(() -> {
          last[0] = stack.http.get("/v1/runs/" + runId).body();
          return ended.test(last[0]);
        });
    assertThat(last[0].get("phase").asText()).as(last[0].toString()).isEqualTo(phase);
    Http.Response report = stack.http.get("/v1/drills/" + runId);
    assertThat(report.status()).as(report.body().toString()).isEqualTo(200);
    return report.body();
  }

  /** The drill's HTML report, fetched with a viewer's token and saved under target/; its file URL. */
  private static String savedReport(String runId) throws IOException {
    Path page = Path.of("target", "drill-report-" + runId + ".html").toAbsolutePath();
    Files.writeString(page, stack.http.getText("/v1/drills/" + runId + "/report.html"));
    return page.toUri().toString();
  }

  private static List<String> copiesInDr() {
    return stack.platform.listSnapshots(DemoFleet.PRIMARY, "dr-1").stream().map(s -> s.id()).toList();
  }

  private static void assertNoTemporaryInstance() {
    assertThat(stack.platform.listInstances()).filteredOn(InstanceInfo::temporary).isEmpty();
    assertThat(stack.home.resolve("platform/instances")).isDirectoryNotContaining("glob:**/lb-drill-*");
  }

  /** An order with its item, as the demo write load makes them; answers its created_at once the replica has it. */
  private static Instant insertOrderAndAwaitAnalytics() throws Exception {
    Thread.sleep(1100); // each drill's newest order is a different second from the last one's
    Instant created;
    try (Connection c = connect(DemoFleet.PRIMARY); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("""
            with o as (insert into orders.orders (user_id, status, total_cents) values (1, 'paid', 1234)
                       returning id, created_at)
            , i as (insert into orders.order_items (order_id, line, product_id, quantity, price_cents)
                    select id, 1, 1, 1, 1234 from o)
            select created_at from o""")) {
      rs.next();
      created = rs.getTimestamp(1).toInstant();
    }
    await().atMost(Duration.ofSeconds(30)).until(() -> {
      try (Connection c = connect(DemoFleet.ANALYTICS); Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("select max(created_at) from orders.orders")) {
        rs.next();
        return !rs.getTimestamp(1).toInstant().isBefore(created);
      }
    });
    return created;
  }

  private static void sql(String instance, String statement) throws SQLException {
    try (Connection c = connect(instance); Statement s = c.createStatement()) {
      s.execute(statement);
    }
  }

  private static long count(String instance, String table) throws SQLException {
    try (Connection c = connect(instance); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("select count(*) from " + table)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static int port(String instance) {
    return stack.platform.findInstance(instance).orElseThrow().endpoint().port();
  }

  private static Connection connect(String instance) throws SQLException {
    Endpoint endpoint = stack.platform.findInstance(instance).orElseThrow().endpoint();
    return DriverManager.getConnection(endpoint.jdbcUrl(), endpoint.user(), "");
  }
}
