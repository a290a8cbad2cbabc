package dev.lifeboat.api.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lifeboat.api.ResourcePaths;
import dev.lifeboat.api.testing.ApiFixture;
import dev.lifeboat.api.testing.FakePlatform;
import dev.lifeboat.api.testing.Http.Reply;
import dev.lifeboat.api.testing.Http;
import dev.lifeboat.api.testing.TestCallers;
import dev.lifeboat.api.testing.TestIssuer;
import dev.lifeboat.catalog.AuditEntry;
import dev.lifeboat.common.model.DrillSettings;
import dev.lifeboat.common.model.DrillTargets;
import dev.lifeboat.common.model.InstanceInfo;
import dev.lifeboat.common.model.InstanceRole;
import dev.lifeboat.common.model.RunKind;
import dev.lifeboat.common.model.ScheduleSpec;
import dev.lifeboat.common.model.SnapshotInfo;
import dev.lifeboat.common.model.SnapshotRequest;
import dev.lifeboat.common.model.VerificationSuite;
import java.lang.reflect.Method;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Stream;
import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.servlet.ServletContainer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Who may call what, over every endpoint the running server serves: without a token 401, with a
 * role that does not grant the endpoint's 403, with one that does the endpoint's own answer (2xx
 * where the fixture can make the request succeed). An endpoint the server serves and this matrix
 * does not know fails the test, so a new endpoint cannot skip its access check.
 */
class AccessControlIT {
  private static final ScheduleSpec SCHEDULE = new ScheduleSpec("daily-snapshots", "0 3 * * *", "UTC",
      RunKind.SNAPSHOT, new SnapshotRequest("daily", List.of(FakePlatform.PRIMARY), List.of(FakePlatform.DR_1),
          "lifeboat", "daily snapshot", null, 2));
  private static final DrillSettings DRILLS = new DrillSettings(
      Map.of("smoke", new VerificationSuite("smoke", null, null, null, List.of("postgres"), null)), "smoke",
      new DrillTargets(Duration.ofMinutes(30), Duration.ofHours(12)), Map.of(FakePlatform.PRIMARY, FakePlatform.REPLICA),
      null);
  private static ApiFixture api;

  /**
   * One request per endpoint: the path (a fresh run where the endpoint acts on one, started by
   * alice) and body, and the statuses the endpoint itself answers an allowed caller with.
   */
  private record Probe(Function<String, String> path, String body, Set<Integer> allowed) {}

  private static final Map<String, Probe> PROBES = new LinkedHashMap<>();

  @BeforeAll
  static void start() {
    api = ApiFixture.start("access-control", Clock.systemUTC(), List.of(SCHEDULE), List.of(SCHEDULE), DRILLS);
    Instant copied = Instant.now().minus(Duration.ofHours(3));
    api.platform().addSnapshot(new SnapshotInfo("lb-techcorp-primary-20261129-0300", FakePlatform.PRIMARY,
        FakePlatform.DR_1, "available", copied.minusSeconds(30), copied, 4096, Map.of()));
    String restore = "{\"instance\": \"techcorp-primary\", \"targetTime\": \"" + Instant.now().minus(Duration.ofHours(1))
        .truncatedTo(ChronoUnit.SECONDS) + "\", \"reason\": \"access matrix\"}";
    probe("GET /v1/runs", user -> "/v1/runs", null, 200);
    probe("GET /v1/runs/{id}", user -> "/v1/runs/" + restoreRun(), null, 200);
    probe("GET /v1/runs/{id}/export", user -> "/v1/runs/" + restoreRun() + "/export", null, 404);
    // the caller's own run: operators release and cancel their own (owners are checked below)
    probe("POST /v1/runs/{id}/release", user -> "/v1/runs/" + restoreRunOf(user) + "/release", "{}", 200);
    probe("POST /v1/runs/{id}/cancel", user -> "/v1/runs/" + restoreRunOf(user) + "/cancel", null, 202);
    // only a table recovery waits for approval: on a restore run the endpoint's own refusal, 400
    probe("POST /v1/runs/{id}/approve", user -> "/v1/runs/" + restoreRun() + "/approve", "{}", 400);
    probe("POST /v1/runs/{id}/reject", user -> "/v1/runs/" + restoreRun() + "/reject", "{}", 400);
    probe("POST /v1/restores", user -> "/v1/restores", restore, 202);
    probe("POST /v1/table-recoveries", user -> "/v1/table-recoveries", "{\"instance\": \"techcorp-primary\", "
        + "\"targetTime\": \"" + Instant.now().minus(Duration.ofHours(1)).truncatedTo(ChronoUnit.SECONDS)
        + "\", \"tables\": [\"orders.orders\"], \"reason\": \"matrix\"}", 202);
    probe("GET /v1/instances", user -> "/v1/instances", null, 200);
    probe("GET /v1/instances/{id}/restore-window", user -> "/v1/instances/techcorp-primary/restore-window", null, 200);
    probe("POST /v1/snapshots", user -> "/v1/snapshots", "{\"instance\": \"techcorp-primary\", \"reason\": \"m\"}",
        200, 202);
    probe("GET /v1/snapshots", user -> "/v1/snapshots", null, 200);
    probe("POST /v1/retention", user -> "/v1/retention", "{\"dryRun\": true, \"reason\": \"matrix\"}", 200, 202);
    probe("GET /v1/schedules", user -> "/v1/schedules", null, 200);
    probe("GET /v1/schedules/{id}", user -> "/v1/schedules/daily-snapshots", null, 200);
    probe("POST /v1/schedules/{id}/pause", user -> "/v1/schedules/daily-snapshots/pause", "{\"reason\": \"m\"}", 202);
    probe("POST /v1/schedules/{id}/resume", user -> "/v1/schedules/daily-snapshots/resume", null, 202);
    probe("POST /v1/schedules/{id}/trigger", user -> "/v1/schedules/daily-snapshots/trigger", null, 202);
    probe("POST /v1/drills", user -> "/v1/drills", "{\"instance\": \"techcorp-primary\", \"reason\": \"m\"}", 202);
    probe("GET /v1/drills", user -> "/v1/drills", null, 200);
    // no drill has reported in this fixture: the endpoint's own 404
    probe("GET /v1/drills/{id}", user -> "/v1/drills/drill-techcorp-primary-00000000", null, 404);
    probe("GET /v1/drills/{id}/report.html", user -> "/v1/drills/drill-techcorp-primary-00000000/report.html", null,
        404);
    probe("GET /v1/audit", user -> "/v1/audit", null, 200);
    probe("POST /v1/preflight", user -> "/v1/preflight", null, 200);
    probe("POST /v1/failovers", user -> {
      api.endFailovers();
      return "/v1/failovers";
    }, "{\"instance\": \"techcorp-primary\", \"replica\": "
        + "\"techcorp-replica-1\", \"reason\": \"matrix\"}", 202);
    // no failover has run in this fixture: the endpoint's own 404
    probe("GET /v1/failovers/{id}/report.html", user -> "/v1/failovers/failover-techcorp-primary-00000000/report.html",
        null, 404);
    // a former primary and the primary a failover promoted in its place
    // (this test's own Endpoint is an endpoint of the API)
    dev.lifeboat.common.model.Endpoint endpoint = new dev.lifeboat.common.model.Endpoint("127.0.0.1", 55434,
        "techcorp", "postgres");
    api.platform().addInstance(new InstanceInfo("techcorp-old-primary", "fake", FakePlatform.HOME_REGION,
        InstanceRole.FORMER_PRIMARY, "stopped", endpoint, null, null, copied, null));
    api.platform().addInstance(new InstanceInfo("techcorp-new-primary", "fake", FakePlatform.HOME_REGION,
        InstanceRole.PRIMARY, "available", endpoint, "techcorp-old-primary", null, copied, null));
    probe("POST /v1/instances/{id}/rebuild", user -> {
      api.endRuns(RunKind.REBUILD);
      return "/v1/instances/techcorp-old-primary/rebuild";
    }, "{\"reason\": \"matrix\"}", 202);
  }

  @AfterAll
  static void stop() {
    if (api != null) {
      api.close();
    }
  }

  private static void probe(String endpoint, Function<String, String> path, String body, Integer... allowed) {
    PROBES.put(endpoint, new Probe(path, body, Set.of(allowed)));
  }

  /** One endpoint the running server serves, with the role it declares (empty: public). */
  record Endpoint(String method, String template, Optional<AccessRole> required) {
    @Override
    public String toString() {
      return method + " " + template + required.map(role -> " (" + role.wireName() + ")").orElse(" (public)");
    }
  }

  /** Every endpoint of the resource classes the running server has registered. */
  static Stream<Endpoint> endpoints() {
    List<Endpoint> endpoints = new ArrayList<>();
    ResourceConfig running = ((ServletContainer) api.app().getEnvironment().getJerseyServletContainer())
        .getConfiguration();
    List<Class<?>> types = Stream.concat(running.getClasses().stream(),
        running.getInstances().stream().map(Object::getClass)).distinct().toList();
    assertThat(types).as("resource classes found").isNotEmpty();
    for (Class<?> type : types) {
      if (!type.isAnnotationPresent(jakarta.ws.rs.Path.class)) {
        continue;
      }
      for (Method method : type.getMethods()) {
        String http = ResourcePaths.httpMethod(method);
        if (http != null) {
          endpoints.add(new Endpoint(http, ResourcePaths.template(type, method),
              AccessControl.isPublic(type, method) ? Optional.empty()
                  : Optional.of(AccessControl.required(type, method).orElseThrow(() -> new AssertionError(
                      http + " " + ResourcePaths.template(type, method) + " declares no role")))));
        }
      }
    }
    return endpoints.stream();
  }

  @Test
  void everyServedEndpoint_isInTheMatrix() {
    List<String> served = endpoints().filter(e -> e.required().isPresent()).map(e -> e.method() + " " + e.template())
        .toList();
    assertThat(served).as("endpoints the server serves").containsExactlyInAnyOrderElementsOf(PROBES.keySet());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("endpoints")
  void withoutToken_is401_withUnknownToken_is401(Endpoint endpoint) {
    if (endpoint.required().isEmpty()) {
      assertThat(send(endpoint, null, "alice").status()).as("public: served without a token").isEqualTo(200);
      return;
    }
    for (String user : new String[] {null, "mallory"}) {
      Reply reply = send(endpoint, user, "alice");
      assertThat(reply.status()).as(endpoint + " as " + user + ": " + reply.body()).isEqualTo(401);
      assertThat(reply.json().get("error").asText()).isEqualTo("UNAUTHENTICATED");
      assertThat(reply.header("WWW-Authenticate")).startsWith("Bearer realm=\"lifeboat\"");
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("endpoints")
  void wrongRole_is403_rightRole_reachesTheEndpoint(Endpoint endpoint) {
    if (endpoint.required().isEmpty()) {
      return;
    }
    AccessRole required = endpoint.required().get();
    for (String user : TestCallers.names()) {
      Caller caller = new Caller(user, TestCallers.ROLES.get(user), "token");
      Reply reply = send(endpoint, user, user);
      if (caller.may(required)) {
        assertThat(reply.status()).as(endpoint + " as " + user + " " + caller.rolesText() + ": " + reply.body())
            .isIn(PROBES.get(endpoint.method() + " " + endpoint.template()).allowed());
      } else {
        assertThat(reply.status()).as(endpoint + " as " + user + " " + caller.rolesText() + ": " + reply.body())
            .isEqualTo(403);
        JsonNode error = reply.json();
        assertThat(error.get("error").asText()).isEqualTo("FORBIDDEN");
        assertThat(error.get("details").get("required").asText()).isEqualTo(required.wireName());
        assertThat(error.get("message").asText()).contains(user, required.wireName());
      }
    }
  }

  @Test
  void operator_cannotReleaseOrCancelSomeoneElsesRun_adminCan() {
    String alices = restoreRunOf("alice");
    for (String action : List.of("release", "cancel")) {
      Reply refused = api.http().postJson("/v1/runs/" + alices + "/" + action, "{}", "olga");
      assertThat(refused.status()).as(refused.body()).isEqualTo(403);
      assertThat(refused.json().get("error").asText()).isEqualTo("NOT_RUN_OWNER");
      assertThat(refused.json().get("message").asText()).contains("alice");
    }
    assertThat(api.http().postJson("/v1/runs/" + alices + "/cancel", "{}", "carol").status()).isEqualTo(202);
  }

  @Test
  void tamperedToken_is401_andTheTokenIsNeitherEchoedNorAudited() {
    String reason = "tampered " + UUID.randomUUID();
    String forged = TestCallers.token("alice") + "x";
    Reply reply = api.http().send(HttpRequest.newBuilder(api.http().uri("/v1/restores"))
        .header("Content-Type", "application/json")
        .header("Authorization", "Bearer " + forged)
        .POST(HttpRequest.BodyPublishers.ofString("{\"reason\": \"" + reason + "\"}")));

    assertThat(reply.status()).isEqualTo(401);
    assertThat(reply.body()).doesNotContain(forged);
    List<AuditEntry> entries = api.catalog().audit().list("anonymous", null, null, 200).items().stream()
        .filter(entry -> entry.request() != null && entry.request().contains(reason)).toList();
    assertThat(entries).singleElement().satisfies(entry -> {
      assertThat(entry.status()).isEqualTo(401);
      assertThat(entry.role()).isNull();
      assertThat(entry.action()).isEqualTo("POST /v1/restores");
    });
  }

  @Test
  void jwtOfTheIssuer_withAMappedGroup_startsARunAsItsEmail() {
    String jwt = TestIssuer.get().token("erin@techcorp.example", List.of(TestIssuer.ONCALL_GROUP, "staff"));
    Reply reply = api.http().send(bearer(jwt, HttpRequest.newBuilder(api.http().uri("/v1/restores"))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"instance\": \"techcorp-primary\", \"targetTime\": \""
            + Instant.now().minus(Duration.ofHours(1)).truncatedTo(ChronoUnit.SECONDS) + "\", \"reason\": \"jwt\"}"))));

    assertThat(reply.status()).as(reply.body()).isEqualTo(202);
    assertThat(reply.json().get("requester").asText()).isEqualTo("erin@techcorp.example");
    // the group grants operator, nothing more
    Reply audit = api.http().send(bearer(jwt, HttpRequest.newBuilder(api.http().uri("/v1/audit")).GET()));
    assertThat(audit.status()).isEqualTo(403);
  }

  @Test
  void expiredTamperedForeignOrMisaddressedJwt_is401SayingWhy() {
    TestIssuer issuer = TestIssuer.get();
    List<String> groups = List.of(TestIssuer.ONCALL_GROUP);
    Date past = Date.from(Instant.now().minus(Duration.ofHours(2)));
    String valid = issuer.token("erin@techcorp.example", groups);
    String[] parts = valid.split("\\.");
    String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
        .replace(TestIssuer.ONCALL_GROUP, "admin");
    String tampered = parts[0] + "." + Base64.getUrlEncoder().withoutPadding()
        .encodeToString(payload.getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
    Map<String, String> cases = new LinkedHashMap<>();
    cases.put(issuer.sign(issuer.claims("erin@techcorp.example", groups).issueTime(past).expirationTime(past)
        .build()), "expired");
    cases.put(tampered, "signature");
    cases.put(issuer.signWithForeignKey(issuer.claims("erin@techcorp.example", groups).build()), "signature");
    cases.put(issuer.sign(issuer.claims("erin@techcorp.example", groups).audience("billing").build()), "aud");
    cases.put(issuer.sign(issuer.claims("erin@techcorp.example", groups).issuer("https://evil.example/").build()),
        "not issued by");
    cases.put("not.a.jwt", "JWT");

    cases.forEach((token, why) -> {
      Reply reply = api.http().send(bearer(token, HttpRequest.newBuilder(api.http().uri("/v1/runs")).GET()));
      assertThat(reply.status()).as(why + ": " + reply.body()).isEqualTo(401);
      assertThat(reply.json().get("error").asText()).isEqualTo("UNAUTHENTICATED");
      assertThat(reply.json().get("message").asText()).as(reply.body()).contains(why);
      assertThat(reply.header("WWW-Authenticate")).contains("invalid_token");
      assertThat(reply.body()).doesNotContain(token);
    });
  }

  @Test
  void audit_recordsCallerAndRole_andMasksSecretsInTheBody() {
    String reason = "audited " + UUID.randomUUID();
    api.http().postJson("/v1/restores", "{\"instance\": \"techcorp-primary\", \"reason\": \"" + reason
        + "\", \"password\": \"hunter2\", \"note\": \"postgresql://app:s3cret@db:5432/techcorp\"}", "alice");

    Reply audit = api.http().getAs("carol", "/v1/audit?principal=alice&action=POST%20/v1/restores&limit=200");

    assertThat(audit.status()).as(audit.body()).isEqualTo(200);
    JsonNode entry = null;
    for (JsonNode item : audit.json().get("items")) {
      if (item.get("request").toString().contains(reason)) {
        entry = item;
      }
    }
    assertThat(entry).as("the audit entry of the request").isNotNull();
    assertThat(entry.get("principal").asText()).isEqualTo("alice");
    assertThat(entry.get("role").asText()).isEqualTo("operator");
    assertThat(entry.get("status").asInt()).isEqualTo(400);
    assertThat(entry.get("request").get("password").asText()).isEqualTo("***");
    assertThat(entry.toString()).doesNotContain("hunter2", "s3cret");
    assertThat(entry.get("request").get("note").asText()).isEqualTo("postgresql://app:***@db:5432/techcorp");
  }

  @Test
  void auditList_filtersAndRefusesBadFilters() {
    Reply refused = api.http().getAs("carol", "/v1/audit?outcome=refused&limit=200");
    assertThat(refused.status()).isEqualTo(200);
    assertThat(refused.json().get("items")).allSatisfy(item -> assertThat(item.get("status").asInt()).isGreaterThan(399));

    Reply bad = api.http().getAs("carol", "/v1/audit?since=yesterday");
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.json().get("details").get("field").asText()).isEqualTo("since");
  }

  @Test
  void oversizedBody_is413BeforeAnythingParsesIt() {
    String huge = "{\"reason\": \"" + "x".repeat(70 * 1024) + "\"}";
    Reply reply = api.http().postJson("/v1/restores", huge, "alice");

    assertThat(reply.status()).isEqualTo(413);
    assertThat(reply.json().get("error").asText()).isEqualTo("REQUEST_TOO_LARGE");
  }

  private static Reply send(Endpoint endpoint, String user, String pathOwner) {
    Probe probe = PROBES.get(endpoint.method() + " " + endpoint.template());
    String path = probe == null ? endpoint.template() : probe.path().apply(pathOwner);
    HttpRequest.Builder request = HttpRequest.newBuilder(api.http().uri(path));
    if (endpoint.method().equals("GET")) {
      request.GET();
    } else {
      request.header("Content-Type", "application/json").method(endpoint.method(),
          HttpRequest.BodyPublishers.ofString(probe == null || probe.body() == null ? "{}" : probe.body()));
    }
    return api.http().send(Http.as(user, request));
  }

  private static HttpRequest.Builder bearer(String token, HttpRequest.Builder request) {
    return request.header("Authorization", "Bearer " + token);
  }

  private static String restoreRun() {
    return restoreRunOf("alice");
  }

  /** A restore held open by its workflow, requested by {@code user} (an operator), else by alice. */
  private static String restoreRunOf(String user) {
    String requester = TestCallers.ROLES.getOrDefault(user, Set.of()).stream().anyMatch(
        role -> role.grants(AccessRole.OPERATOR)) ? user : "alice";
    Reply reply = api.http().postJson("/v1/restores", "{\"instance\": \"techcorp-primary\", \"targetTime\": \""
        + Instant.now().minus(Duration.ofHours(1)).truncatedTo(ChronoUnit.SECONDS) + "\", \"reason\": \"matrix\"}",
        requester);
    assertThat(reply.status()).as(reply.body()).isEqualTo(202);
    return reply.json().get("runId").asText();
  }
}
