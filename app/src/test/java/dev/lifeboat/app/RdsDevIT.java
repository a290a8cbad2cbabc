package dev.lifeboat.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lifeboat.api.auth.AccessRole;
import dev.lifeboat.app.dev.DemoFleet;
import dev.lifeboat.common.model.InstanceInfo;
import dev.lifeboat.common.model.InstanceRole;
import io.dropwizard.testing.ConfigOverride;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * {@code LIFEBOAT_PLATFORM=rds lifeboat dev}: the same workflows through the real RDS platform,
 * the AWS SDK and the RDS Query API (fake RDS on loopback, carried out on real clusters): with
 * every other AWS call throttled, a snapshot and its cross-region copy, a point-in-time restore
 * exact to its target and a table recovery; then a DR drill, a quota error as a typed failure in
 * the run, a failover through PromoteReadReplica, and every action called allowed by
 * docs/iam-policy.json.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RdsDevIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient CLIENT = HttpClient.newHttpClient();
  private static DevStack stack;
  private static String fake;
  private static Instant firstSnapshotAt;
  private static final DateTimeFormatter MINUTE = DateTimeFormatter.ofPattern("yyyyMMdd-HHmm").withZone(ZoneOffset.UTC);

  @BeforeAll
  static void startStack() throws Exception {
    int fakePort = DevStack.freePort();
    fake = "http://127.0.0.1:" + fakePort;
    stack = DevStack.start("rds-dev", ConfigOverride.config("platform.type", "rds"),
        ConfigOverride.config("dev.fakeRdsPort", String.valueOf(fakePort)),
        ConfigOverride.config("platform.archiveTimeout", "PT10S"));
  }

  @AfterAll
  static void stopStack() {
    if (stack != null) {
      stack.close();
    }
  }

  @Test
  @Order(1)
  void everyWorkflowRunsThroughTheRdsPlatform_withEveryOtherCallThrottled() throws Exception {
    control("/_fake/faults", "{\"throttleEveryNth\": 2}");
    JsonNode instances = stack.http.get("/v1/instances").body().get("items");
    assertThat(instances.findValuesAsText("platform")).containsOnly("rds");

    // a snapshot and its copy in the DR region, as the daily schedule takes them; snapshot ids name their
    // minute, so not in the minute of the demo fleet's first snapshot (that one would be found, not taken)
    String demoSnapshot = stack.platform.listSnapshots(DemoFleet.PRIMARY).get(0).id();
    if (demoSnapshot.endsWith(MINUTE.format(Instant.now()))) {
      Thread.sleep(61_000 - System.currentTimeMillis() % 60_000);
    }
    firstSnapshotAt = Instant.now();
    Http.Response snapshot = stack.http.postAs(AccessRole.OPERATOR, "/v1/snapshots",
        "{\"instance\": \"techcorp-primary\", \"drRegions\": [\"dr-1\"], \"reason\": \"it: rds snapshot\"}");
    assertThat(snapshot.status()).as(snapshot.body().toString()).isEqualTo(202);
    JsonNode snapshotRun = awaitPhase(snapshot.body().get("runId").asText(), "succeeded");
    String snapshotId = snapshotRun.findValue("snapshotId").asText();
    JsonNode listed = stack.http.get("/v1/snapshots?instance=techcorp-primary").body();
    assertThat(listed.toString()).contains(snapshotId).contains("dr-1");

    // a point-in-time restore exact to its target: the row before T, not the one after
    sql(DemoFleet.PRIMARY, "create table payments.rds_probe (id int primary key, note text)");
    sql(DemoFleet.PRIMARY, "insert into payments.rds_probe select g, 'row ' || g from generate_series(1, 100) g");
    Thread.sleep(500);
    Instant target = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    Thread.sleep(500);
    sql(DemoFleet.PRIMARY, "insert into payments.rds_probe values (1001, 'after T')");
    sql(DemoFleet.PRIMARY, "delete from payments.rds_probe where id <= 30");
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).alias("window covers T")
        .until(() -> {
          JsonNode window = stack.http.get("/v1/instances/techcorp-primary/restore-window").body();
          return window.hasNonNull("latest") && Instant.parse(window.get("latest").asText()).isAfter(target);
        });
    Http.Response restore = stack.http.postAs(AccessRole.OPERATOR, "/v1/restores", """
        {"instance": "techcorp-primary", "targetTime": "%s", "ttl": "PT1H", "reason": "it: rds pitr"}"""
        .formatted(target));
    assertThat(restore.status()).as(restore.body().toString()).isEqualTo(202);
    String restoreRun = restore.body().get("runId").asText();
    JsonNode ready = awaitRun(restoreRun, run -> "hold".equals(run.path("step").asText()), "hold");
    String url = "jdbc:postgresql://" + ready.at("/endpoint/host").asText() + ":" + ready.at("/endpoint/port").asInt()
        + "/" + ready.at("/endpoint/database").asText();
    assertThat(queryLongs(url, "select id from payments.rds_probe order by id"))
        .as("exactly the rows committed before T").hasSize(100).startsWith(1L).endsWith(100L);
    String tempId = temporaryOf(restoreRun);
    assertThat(stack.http.post("/v1/runs/" + restoreRun + "/release", "{\"reason\": \"seen\"}").status())
        .isEqualTo(200);
    awaitPhase(restoreRun, "succeeded");
    assertThat(stack.platform.findInstance(tempId)).as("the temporary instance is deleted").isEmpty();

    // a table recovery: the 30 deleted rows back beside the table, as of T
    Http.Response tables = stack.http.postAs(AccessRole.OPERATOR, "/v1/table-recoveries", """
        {"instance": "techcorp-primary", "targetTime": "%s", "tables": ["payments.rds_probe"], "mode": "new-table",
         "requireApproval": false, "reason": "it: rds table recovery"}""".formatted(target));
    assertThat(tables.status()).as(tables.body().toString()).isEqualTo(202);
    JsonNode recovered = awaitPhase(tables.body().get("runId").asText(), "succeeded");
    String restoredTable = recovered.at("/result/imports/0/targetTable").asText();
    assertThat(restoredTable).contains("rds_probe_restored_");
    assertThat(queryLongs(jdbc(DemoFleet.PRIMARY), "select count(*) from " + restoredTable)).containsExactly(100L);

    JsonNode throttled = control("/_fake/stats", null);
    assertThat(throttled.get("throttled").asLong()).as(throttled.toString()).isPositive();

    // a DR drill in the DR region from the copy (no more throttling: it only slows the test down)
    control("/_fake/faults", "{\"clear\": true}");
    Http.Response drill = stack.http.postAs(AccessRole.OPERATOR, "/v1/drills",
        "{\"instance\": \"techcorp-primary\", \"region\": \"dr-1\", \"reason\": \"it: rds drill\"}");
    assertThat(drill.status()).as(drill.body().toString()).isEqualTo(202);
    awaitPhase(drill.body().get("runId").asText(), "succeeded");

    JsonNode calls = control("/_fake/stats", null).get("calls");
    for (String action : List.of("CreateDBSnapshot", "CopyDBSnapshot", "RestoreDBInstanceToPointInTime",
        "RestoreDBInstanceFromDBSnapshot", "DeleteDBInstance", "DescribeDBInstances")) {
      assertThat(calls.path(action).asLong()).as(action + " in " + calls).isPositive();
    }
    assertThat(temporaryInstances()).as("no temporary instance left").isEmpty();
  }

  @Test
  @Order(2)
  void aQuotaErrorIsATypedFailureOfTheRun() throws Exception {
    control("/_fake/faults", "{\"clear\": true, \"failNext\": {\"action\": \"CreateDBSnapshot\","
        + " \"code\": \"SnapshotQuotaExceeded\", \"message\": \"Cannot create more than 100 manual snapshots\"}}");
    if (Instant.now().truncatedTo(ChronoUnit.MINUTES).equals(firstSnapshotAt.truncatedTo(ChronoUnit.MINUTES))) {
      Thread.sleep(61_000 - System.currentTimeMillis() % 60_000); // snapshot ids name the minute: a new one
    }
    Http.Response snapshot = stack.http.postAs(AccessRole.OPERATOR, "/v1/snapshots",
        "{\"instance\": \"techcorp-primary\", \"reason\": \"it: quota\"}");
    assertThat(snapshot.status()).as(snapshot.body().toString()).isEqualTo(202);
    String runId = snapshot.body().get("runId").asText();
    JsonNode failed = awaitRun(runId, run -> "failed".equals(run.path("phase").asText()), "failed");
    assertThat(failed.toString()).as(failed.toString()).contains("SNAPSHOT_QUOTA_EXCEEDED");
  }

  @Test
  @Order(3)
  void aFailoverDrillRestoresAndReplicatesTemporaries_switchesItsOwnEntry_andLeavesProductionAsItWas()
      throws Exception {
    control("/_fake/faults", "{\"clear\": true}");
    JsonNode before = control("/_fake/stats", null).get("calls");
    String bouncer = stack.platform.pgBouncer().endpoint(DemoFleet.DATABASE).jdbcUrl();
    List<Long> primaryPort = queryLongs(bouncer, "select inet_server_port()");
    Http.Response started = stack.http.postAs(AccessRole.OPERATOR, "/v1/drills", "{\"instance\": \"techcorp-primary\","
        + " \"kind\": \"failover\", \"reason\": \"it: rds failover drill\"}");
    assertThat(started.status()).as(started.body().toString()).isEqualTo(202);
    String runId = started.body().get("runId").asText();

    JsonNode done = awaitPhase(runId, "succeeded");

    assertThat(done.get("steps")).extracting(s -> s.get("name").asText())
        .containsExactly("plan", "failover", "verify", "teardown", "report");
    JsonNode child = stack.http.get("/v1/runs/" + runId + "-failover").body();
    assertThat(child.get("phase").asText()).as(child.toString()).isEqualTo("succeeded");
    JsonNode after = control("/_fake/stats", null).get("calls");
    for (String action : List.of("RestoreDBInstanceFromDBSnapshot", "CreateDBInstanceReadReplica")) {
      assertThat(after.path(action).asLong()).as(action).isEqualTo(before.path(action).asLong() + 1);
    }
    assertThat(after.path("DeleteDBInstance").asLong()).isGreaterThanOrEqualTo(before.path("DeleteDBInstance")
        .asLong() + 2);
    assertThat(after.path("PromoteReadReplica").asLong()).isEqualTo(before.path("PromoteReadReplica").asLong());
    assertThat(temporaryInstances()).isEmpty();
    assertThat(queryLongs(bouncer, "select inet_server_port()")).as("production's entry is unchanged")
        .isEqualTo(primaryPort);
    assertThat(stack.platform.findInstance(DemoFleet.PRIMARY).orElseThrow().role()).isEqualTo(InstanceRole.PRIMARY);
  }

  @Test
  @Order(4)
  void aFailoverPromotesTheReplicaWithPromoteReadReplica_andSwitchesPgBouncer() throws Exception {
    control("/_fake/faults", "{\"clear\": true}");
    sql(DemoFleet.PRIMARY, "create table payments.rds_failover (id int primary key)");
    sql(DemoFleet.PRIMARY, "insert into payments.rds_failover select generate_series(1, 10)");
    await().atMost(Duration.ofSeconds(30)).until(() -> queryLongs(jdbc(DemoFleet.REPLICA),
        "select count(*) from payments.rds_failover where to_regclass('payments.rds_failover') is not null")
        .equals(List.of(10L)));
    Http.Response started = stack.http.postAs(AccessRole.OPERATOR, "/v1/failovers", """
        {"instance": "techcorp-primary", "replica": "techcorp-replica-1", "maxDataLoss": "PT60S",
         "reason": "it: rds failover"}""");
    assertThat(started.status()).as(started.body().toString()).isEqualTo(202);
    String runId = started.body().get("runId").asText();
    awaitRun(runId, run -> "waiting-approval".equals(run.path("phase").asText()), "waiting-approval");
    assertThat(stack.http.postAs(AccessRole.APPROVER, "/v1/runs/" + runId + "/approve", "{\"comment\": \"ok\"}")
        .status()).isEqualTo(200);

    JsonNode done = awaitPhase(runId, "succeeded");

    assertThat(control("/_fake/stats", null).at("/calls/PromoteReadReplica").asLong()).isEqualTo(1);
    assertThat(done.at("/result/promote/alreadyPromoted").asBoolean()).isFalse();
    assertThat(queryLongs(jdbc(DemoFleet.REPLICA), "select count(*) from payments.rds_failover"))
        .as("the promoted replica has every row").containsExactly(10L);
    int promotedPort = stack.platform.findInstance(DemoFleet.REPLICA).orElseThrow().endpoint().port();
    String bouncer = stack.platform.pgBouncer().endpoint(DemoFleet.DATABASE).jdbcUrl();
    assertThat(queryLongs(bouncer, "select inet_server_port()")).as("PgBouncer serves the promoted replica")
        .containsExactly((long) promotedPort);
  }

  @Test
  @Order(5)
  void everyActionCalledIsAllowedByTheIamPolicy() throws Exception {
    JsonNode policy = JSON.readTree(Files.readString(Path.of("..", "docs", "iam-policy.json")));
    Set<String> allowed = new TreeSet<>();
    for (JsonNode statement : policy.get("Statement")) {
      if (statement.get("Effect").asText().equals("Allow")) {
        JsonNode action = statement.get("Action");
        (action.isArray() ? action : JSON.createArrayNode().add(action)).forEach(a -> allowed.add(a.asText()));
      }
    }
    Set<String> called = new TreeSet<>();
    control("/_fake/stats", null).get("calls").fieldNames().forEachRemaining(called::add);
    assertThat(called).isNotEmpty();
    for (String action : called) {
      String service = action.equals("DescribeKey") ? "kms" : action.equals("DescribeSecurityGroups") ? "ec2" : "rds";
      assertThat(allowed).as("IAM policy allows " + service + ":" + action).contains(service + ":" + action);
    }
  }

  private static JsonNode control(String path, String json) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(fake + path));
    request = json == null ? request.GET() : request.POST(HttpRequest.BodyPublishers.ofString(json));
    HttpResponse<String> response = CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return JSON.readTree(response.body());
  }

  private static JsonNode awaitPhase(String runId, String phase) {
    return awaitRun(runId, run -> phase.equals(run.path("phase").asText()), phase);
  }

  private static JsonNode awaitRun(String runId, Predicate<JsonNode> condition, String what) {
    JsonNode[] last = new JsonNode[1];
    await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(300)).alias("run " + runId + " " + what)
        .until(() -> {
          last[0] = stack.http.get("/v1/runs/" + runId).body();
          String phase = last[0].path("phase").asText();
          return condition.test(last[0]) || (phase.equals("failed") && !what.equals("failed"));
        });
    assertThat(condition.test(last[0])).as(last[0].toString()).isTrue();
    return last[0];
  }

  private static String temporaryOf(String runId) {
    List<InstanceInfo> owned = stack.platform.listInstances().stream().filter(i -> runId.equals(i.runId())).toList();
    assertThat(owned).as("the run's temporary instance").hasSize(1);
    return owned.get(0).id();
  }

  private static List<String> temporaryInstances() {
    return stack.platform.listInstances().stream().filter(InstanceInfo::temporary).map(InstanceInfo::id).toList();
  }

  private static String jdbc(String instance) {
    return stack.platform.findInstance(instance).orElseThrow().endpoint().jdbcUrl();
  }

  private static void sql(String instance, String statement) throws SQLException {
    try (Connection c = stack.platform.dataSource(instance).getConnection(); Statement st = c.createStatement()) {
      st.execute(statement);
    }
  }

  private static List<Long> queryLongs(String url, String query) throws SQLException {
    List<Long> values = new ArrayList<>();
    try (Connection c = DriverManager.getConnection(url, "postgres", ""); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(query)) {
      while (rs.next()) {
        values.add(rs.getLong(1));
      }
    }
    return values;
  }
}
