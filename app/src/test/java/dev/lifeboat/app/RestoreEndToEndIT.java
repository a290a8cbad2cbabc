package dev.lifeboat.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lifeboat.activities.local.PgBouncer;
import dev.lifeboat.api.auth.AccessRole;
import dev.lifeboat.app.dev.DemoFleet;
import dev.lifeboat.catalog.Catalog;
import dev.lifeboat.common.failover.TrafficRoute;
import dev.lifeboat.common.model.Endpoint;
import dev.lifeboat.common.model.InstanceInfo;
import dev.lifeboat.common.model.RestoreSpec;
import dev.lifeboat.common.model.RunKind;
import dev.lifeboat.common.model.RunPhase;
import dev.lifeboat.common.model.RunState;
import dev.lifeboat.common.platform.ProgressListener;
import io.temporal.client.WorkflowClient;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The whole service as {@code lifeboat dev} runs it: embedded Temporal over gRPC, the demo fleet
 * on real PostgreSQL clusters, catalog, worker and API, driven through HTTP only.
 */
class RestoreEndToEndIT {
  private static DevStack stack;
  private static CapturedLogs logs;

  @BeforeAll
  static void startStack() throws Exception {
    stack = DevStack.start("restore-e2e");
    logs = CapturedLogs.attach();
  }

  @AfterAll
  static void stopStack() {
    if (logs != null) {
      logs.close();
    }
    if (stack != null) {
      stack.close();
    }
  }

  /**
   * Tokens (good, forged, JWT-shaped), passwords and connection strings with passwords sent to the
   * API, then a whole restore run: none of them is in any log line, error body or audit entry.
   */
  @Test
  void secrets_neverAppearInLogsErrorBodiesOrTheAudit() throws Exception {
    String unique = UUID.randomUUID().toString().substring(0, 8);
    String password = "hunter2-" + unique;
    String connection = "postgresql://app:pw-" + unique + "@db.internal:5432/techcorp";
    String forged = "lbt_forged" + unique + "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
    String jwtShaped = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ" + unique + "In0.c2lnbmF0dXJl" + unique;
    List<String> secrets = new ArrayList<>(List.of(password, "pw-" + unique, forged, jwtShaped));
    for (AccessRole role : AccessRole.values()) {
      secrets.add(stack.token(role));
    }

    List<Http.Response> answers = new ArrayList<>();
    for (String token : List.of(forged, jwtShaped)) {
      answers.add(stack.http.postWithToken(token, "/v1/restores", "{\"reason\": \"" + unique + "\"}"));
    }
    answers.add(stack.http.post("/v1/restores", "{\"instance\": \"techcorp-primary\", \"reason\": \"secret probe\", "
        + "\"password\": \"" + password + "\", \"dsn\": \"" + connection + "\"}"));
    answers.add(stack.http.post("/v1/restores", "{\"instance\": \"" + connection + "\", \"reason\": \"p\"}"));
    Http.Response started = stack.http.post("/v1/restores", "{\"instance\": \"techcorp-primary\", \"targetTime\": \""
        + Instant.now().minusSeconds(1) + "\", \"reason\": \"secret probe, password=" + password + " dsn "
        + connection + "\"}");
    assertThat(started.status()).as(started.body().toString()).isEqualTo(202);
    String runId = started.body().get("runId").asText();
    awaitStep(runId, "hold");
    assertThat(stack.http.post("/v1/runs/" + runId + "/release", null).status()).isEqualTo(200);
    awaitPhase(runId, "succeeded");

    assertThat(answers).extracting(Http.Response::status).containsExactly(401, 401, 400, 400);
    for (Http.Response answer : answers) {
      assertThat(answer.body().toString()).doesNotContain(secrets);
    }
    String audit = stack.http.getAs(AccessRole.ADMIN, "/v1/audit?limit=200").body().toString();
    assertThat(audit).contains("secret probe").doesNotContain(secrets);
    List<String> lines = logs.lines();
    assertThat(lines).as("log lines captured during the run").isNotEmpty();
    assertThat(lines).allSatisfy(line -> assertThat(line).doesNotContain(secrets)
        .doesNotContainPattern("lbt_[A-Za-z0-9_-]{20,}").doesNotContainPattern("(?i)bearer [a-z0-9]"));
  }

  @Test
  void instances_listTheDemoFleetWithEndpointsAndRoles() {
    Http.Response response = stack.http.get("/v1/instances");

    assertThat(response.status()).isEqualTo(200);
    assertThat(response.body().get("items")).extracting(item -> item.get("id").asText())
        .contains(DemoFleet.PRIMARY, DemoFleet.REPLICA, DemoFleet.ANALYTICS);
    JsonNode primary = item(response.body().get("items"), DemoFleet.PRIMARY);
    assertThat(primary.get("role").asText()).isEqualTo("primary");
    assertThat(primary.at("/endpoint/port").asInt()).isPositive();
    assertThat(primary.get("platform").asText()).isEqualTo("local");
  }

  @Test
  void restore_toT_showsTheRowCommittedBeforeAndNotTheOneAfter_thenReleaseRemovesTheInstance() throws Exception {
    Endpoint primary = endpoint(DemoFleet.PRIMARY);
    long before = insertOrder(primary, "before-T");
    Thread.sleep(300);
    Instant target = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    Thread.sleep(300);
    long after = insertOrder(primary, "after-T");

    Http.Response started = stack.http.post("/v1/restores", """
        {"instance": "techcorp-primary", "targetTime": "%s", "ttl": "PT1H", "reason": "e2e exactness"}
        """.formatted(target));
    assertThat(started.status()).as(started.body().toString()).isEqualTo(202);
    String runId = started.body().get("runId").asText();
    assertThat(started.location()).endsWith("/v1/runs/" + runId);

    JsonNode ready = awaitStep(runId, "hold");
    Endpoint restored = new Endpoint(ready.at("/endpoint/host").asText(), ready.at("/endpoint/port").asInt(),
        ready.at("/endpoint/database").asText(), ready.at("/endpoint/user").asText());
    assertThat(ready.get("phase").asText()).isEqualTo("running");
    assertThat(ready.get("steps")).extracting(s -> s.get("name").asText())
        .containsExactly("validate", "restore", "verify", "hold");
    assertThat(orderExists(restored, before)).as("row committed before T").isTrue();
    assertThat(orderExists(restored, after)).as("row committed after T").isFalse();
    String tempId = tempInstanceOf(runId);
    Path dataDir = stack.home.resolve("platform/instances").resolve(tempId);
    assertThat(dataDir).exists();

    Http.Response released = stack.http.post("/v1/runs/" + runId + "/release", "{\"reason\": \"seen enough\"}");
    assertThat(released.status()).as(released.body().toString()).isEqualTo(200);

    JsonNode done = awaitPhase(runId, "succeeded");
    assertThat(done.get("endpoint").isNull() || done.get("endpoint").isMissingNode()).isTrue();
    assertThat(portOpen(restored.port())).as("port of the released instance").isFalse();
    assertThat(dataDir).doesNotExist();
    assertThat(stack.platform.findInstance(tempId)).isEmpty();
    assertThat(stack.http.post("/v1/runs/" + runId + "/release", null).status()).isEqualTo(409);
    assertThat(stack.http.get("/v1/runs?kind=restore").body().get("items"))
        .extracting(r -> r.get("runId").asText()).contains(runId);
  }

  @Test
  void cancel_whileHeld_removesTheInstanceAndEndsCancelled() throws Exception {
    Instant target = Instant.now().minusSeconds(1);
    insertOrder(endpoint(DemoFleet.PRIMARY), "cancel-case");
    Http.Response started = stack.http.post("/v1/restores", """
        {"instance": "techcorp-primary", "targetTime": "%s", "reason": "cancel case"}
        """.formatted(target));
    assertThat(started.status()).as(started.body().toString()).isEqualTo(202);
    String runId = started.body().get("runId").asText();
    JsonNode ready = awaitStep(runId, "hold");
    int port = ready.at("/endpoint/port").asInt();
    String tempId = tempInstanceOf(runId);

    assertThat(stack.http.post("/v1/runs/" + runId + "/cancel", null).status()).isEqualTo(202);

    JsonNode cancelled = awaitPhase(runId, "cancelled");
    assertThat(cancelled.get("steps")).extracting(s -> s.get("name").asText()).contains("teardown");
    assertThat(portOpen(port)).isFalse();
    assertThat(stack.platform.findInstance(tempId)).isEmpty();
    assertThat(stack.home.resolve("platform/instances").resolve(tempId)).doesNotExist();
  }

  @Test
  void badRequests_areRefusedWithJsonErrors_andCreateNothing() {
    int runsBefore = runCount();
    int instancesBefore = stack.platform.listInstances().size();
    JsonNode window = stack.http.get("/v1/instances/techcorp-primary/restore-window").body();
    Instant earliest = Instant.parse(window.get("earliest").asText());

    assertError(stack.http.post("/v1/restores", restore("techcorp-primary", Instant.now().plusSeconds(3600).toString())),
        400, "RESTORE_TIME_IN_FUTURE");
    assertError(stack.http.post("/v1/restores", restore("techcorp-primary", earliest.minusSeconds(3600).toString())),
        400, "RESTORE_TIME_OUTSIDE_WINDOW");
    assertError(stack.http.post("/v1/restores", restore("techcorp-primary", "yesterday at noon")), 400, "INVALID_REQUEST");
    assertError(stack.http.post("/v1/restores", restore("no-such-instance", Instant.now().toString())),
        404, "INSTANCE_NOT_FOUND");
    assertError(stack.http.post("/v1/restores", "{\"instance\": "), 400, "INVALID_REQUEST");

    assertThat(runCount()).isEqualTo(runsBefore);
    assertThat(stack.platform.listInstances()).hasSize(instancesBefore);
  }

  @Test
  void restoreWindow_namesSnapshotsAndMovesWithTheArchive() {
    JsonNode window = stack.http.get("/v1/instances/techcorp-primary/restore-window").body();

    assertThat(window.get("snapshots")).isNotEmpty();
    Instant earliest = Instant.parse(window.get("earliest").asText());
    Instant latest = Instant.parse(window.get("latest").asText());
    assertThat(earliest).isBefore(latest);
    assertThat(stack.http.get("/v1/instances/nope/restore-window").status()).isEqualTo(404);
  }

  @Test
  void orphanSweeper_removesTemporaryInstancesNoLiveRunOwns_andMarksLostRunsFailed() {
    // What a crash of `lifeboat dev` leaves behind: an instance and a running run Temporal forgot.
    String ghostRun = "restore-techcorp-primary-ghost001";
    Instant target = Instant.now().minusSeconds(2);
    var plan = stack.platform.planRestore(DemoFleet.PRIMARY, target);
    stack.platform.restoreToPointInTime(new RestoreSpec("lb-pitr-ghost001", DemoFleet.PRIMARY, target,
        plan.snapshotId(), ghostRun, "test", Instant.now().plusSeconds(3600), null), ProgressListener.NONE);
    PGSimpleDataSource dataSource = new PGSimpleDataSource();
    dataSource.setUrl(stack.support.getConfiguration().getDatabase().getUrl());
    dataSource.setUser("postgres");
    Catalog catalog = Catalog.open(dataSource);
    catalog.runs().save(new RunState(ghostRun, RunKind.RESTORE, DemoFleet.PRIMARY, "test", "ghost", RunPhase.RUNNING,
        "hold", 90, null, null, List.of(), Map.of(), null, null, null, Instant.now(), null, null));
    WorkflowClient client = WorkflowClient.newInstance(WorkflowServiceStubs.newServiceStubs(
        WorkflowServiceStubsOptions.newBuilder().setTarget("127.0.0.1:" + stack.temporalPort).build()));

    // and a failover drill's pooler entry whose drill never tore it down
    PgBouncer bouncer = stack.platform.pgBouncer();
    bouncer.addRehearsalRoute("techcorp_drill_deadbeef", DemoFleet.DATABASE);

    List<String> deleted = new OrphanSweeper(client, stack.platform, catalog.runs(), Clock.systemUTC(), bouncer)
        .sweep();

    assertThat(bouncer.routes()).extracting(TrafficRoute::database).contains(DemoFleet.DATABASE)
        .doesNotContain("techcorp_drill_deadbeef");
    assertThat(deleted).containsExactly("lb-pitr-ghost001");
    assertThat(stack.platform.findInstance("lb-pitr-ghost001")).isEmpty();
    RunState lost = catalog.runs().find(ghostRun).orElseThrow();
    assertThat(lost.phase()).isEqualTo(RunPhase.FAILED);
    assertThat(lost.error().type()).isEqualTo("RUN_LOST");
  }

  private static int runCount() {
    return stack.http.get("/v1/runs?limit=200").body().get("items").size();
  }

  private static String restore(String instance, String time) {
    return "{\"instance\": \"" + instance + "\", \"targetTime\": \"" + time + "\", \"reason\": \"bad input\"}";
  }

  private static void assertError(Http.Response response, int status, String error) {
    assertThat(response.status()).as(response.body().toString()).isEqualTo(status);
    assertThat(response.body().get("code").asInt()).isEqualTo(status);
    assertThat(response.body().get("error").asText()).isEqualTo(error);
    assertThat(response.body().get("message").asText()).isNotBlank();
  }

  private static String tempInstanceOf(String runId) {
    List<InstanceInfo> owned = stack.platform.listInstances().stream()
        .filter(i -> runId.equals(i.runId())).toList();
    assertThat(owned).hasSize(1);
    return owned.get(0).id();
  }

  private static JsonNode awaitStep(String runId, String step) {
    return awaitRun(runId, run -> step.equals(run.path("step").asText()) || run.path("phase").asText().equals("failed"),
        step);
  }

  private static JsonNode awaitPhase(String runId, String phase) {
    return awaitRun(runId, run -> phase.equals(run.path("phase").asText()), phase);
  }

  private static JsonNode awaitRun(String runId, java.util.function.Predicate<JsonNode> condition, String what) {
    JsonNode[] last = new JsonNode[1];
    await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200)).alias("run " + runId + " reaches " + what)
        .until(() -> {
          last[0] = stack.http.get("/v1/runs/" + runId).body();
          return condition.test(last[0]);
        });
    assertThat(last[0].path("phase").asText()).as(last[0].toString()).isNotEqualTo("failed");
    return last[0];
  }

  private static Endpoint endpoint(String instance) {
    return stack.platform.findInstance(instance).orElseThrow().endpoint();
  }

  private static long insertOrder(Endpoint endpoint, String note) throws SQLException {
    try (Connection c = DriverManager.getConnection(endpoint.jdbcUrl(), endpoint.user(), "");
        PreparedStatement s = c.prepareStatement(
            "insert into orders.orders (user_id, status, total_cents) values (1, 'pending', ?) returning id")) {
      s.setLong(1, note.hashCode() & 0xffff);
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  private static boolean orderExists(Endpoint endpoint, long id) throws SQLException {
    try (Connection c = DriverManager.getConnection(endpoint.jdbcUrl(), endpoint.user(), "");
        PreparedStatement s = c.prepareStatement("select 1 from orders.orders where id = ?")) {
      s.setLong(1, id);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next();
      }
    }
  }

  static boolean portOpen(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static JsonNode item(JsonNode items, String id) {
    for (JsonNode item : items) {
      if (item.get("id").asText().equals(id)) {
        return item;
      }
    }
    throw new AssertionError("no item " + id + " in " + items);
  }
}
