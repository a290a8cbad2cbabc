package dev.lifeboat.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.codahale.metrics.health.HealthCheck;
import com.fasterxml.jackson.databind.JsonNode;
import dev.lifeboat.api.testing.ApiFixture;
import dev.lifeboat.api.testing.FakePlatform;
import dev.lifeboat.api.testing.Http.Reply;
import java.net.http.HttpRequest;
import java.util.SortedMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Inventory endpoints, the OpenAPI document, health checks, and Jersey's own refusals in our error shape. */
class ApiSurfaceIT {
  private static ApiFixture api;

  @BeforeAll
  static void start() {
    api = ApiFixture.start("api-surface");
  }

  @AfterAll
  static void stop() {
    if (api != null) {
      api.close();
    }
  }

  @Test
  void instances_listsTheFleetWithRolesInLowerCase() {
    Reply reply = api.http().get("/v1/instances");

    assertThat(reply.status()).isEqualTo(200);
    JsonNode first = null;
    for (JsonNode item : reply.json().get("items")) {
      first = item.get("id").asText().equals(FakePlatform.PRIMARY) ? item : first;
    }
    assertThat(first).as("the primary in " + reply.body()).isNotNull();
    assertThat(first.get("role").asText()).isEqualTo("primary");
    assertThat(first.get("endpoint").get("port").asInt()).isEqualTo(55432);
    assertThat(first.get("createdAt").asText()).isEqualTo("2026-01-01T00:00:00Z");
  }

  @Test
  void restoreWindow_showsEarliestLatestAndSnapshots() {
    Reply reply = api.http().get("/v1/instances/techcorp-primary/restore-window");

    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.json().get("earliest").asText()).endsWith("Z");
    assertThat(reply.json().get("snapshots").get(0).get("id").asText()).isEqualTo("snap-1");
    assertThat(reply.json().get("gaps").isArray()).isTrue();
  }

  @Test
  void restoreWindow_ofUnknownInstance_is404() {
    Reply reply = api.http().get("/v1/instances/techcorp-nowhere/restore-window");

    assertThat(reply.status()).isEqualTo(404);
    assertThat(reply.json().get("error").asText()).isEqualTo("INSTANCE_NOT_FOUND");
  }

  @Test
  void restoreWindow_ofMalformedId_is400() {
    assertThat(api.http().get("/v1/instances/9lives/restore-window").status()).isEqualTo(400);
  }

  @Test
  void unknownPath_is404InTheErrorShape() {
    Reply reply = api.http().get("/v2/nothing");

    assertThat(reply.status()).isEqualTo(404);
    assertThat(reply.header("Content-Type")).startsWith("application/json");
    assertThat(reply.json().get("code").asInt()).isEqualTo(404);
    assertThat(reply.json().get("error").asText()).isEqualTo("NOT_FOUND");
    assertThat(reply.json().get("message").asText()).contains("/v2/nothing", "/openapi.json");
  }

  @Test
  void postToUnknownPath_isAuditedToo() {
    Reply reply = api.http().postJson("/v1/nowhere", "{\"probe\": \"unknown-path-audit\"}");

    assertThat(reply.status()).isEqualTo(404);
    // no resource matched, so no role was checked: the caller is recorded as unauthenticated
    assertThat(api.catalog().audit().list("anonymous", null, null, 200).items())
        .anySatisfy(entry -> {
          assertThat(entry.action()).isEqualTo("POST /v1/nowhere");
          assertThat(entry.request()).contains("unknown-path-audit");
          assertThat(entry.status()).isEqualTo(404);
        });
  }

  @Test
  void wrongMethod_is405WithAllowedMethods() {
    Reply reply = api.http().send(HttpRequest.newBuilder(api.http().uri("/v1/restores")).GET());

    assertThat(reply.status()).isEqualTo(405);
    assertThat(reply.json().get("error").asText()).isEqualTo("METHOD_NOT_ALLOWED");
    assertThat(reply.json().get("details").get("allowed").toString()).contains("POST");
    assertThat(reply.header("Allow")).contains("POST");
  }

  @Test
  void openApiDocument_isServed() {
    Reply json = api.http().getAs(null, "/openapi.json");
    Reply yaml = api.http().getAs(null, "/openapi.yaml");

    assertThat(json.status()).isEqualTo(200);
    assertThat(json.header("Content-Type")).startsWith("application/json");
    assertThat(json.json().get("openapi").asText()).isEqualTo("3.0.3");
    assertThat(json.json().get("paths").has("/v1/restores")).isTrue();
    assertThat(yaml.status()).isEqualTo(200);
    assertThat(yaml.header("Content-Type")).startsWith("application/yaml");
    assertThat(yaml.body()).startsWith("openapi: 3.0.3").contains("/v1/restores:");
  }

  @Test
  void healthChecks_areRegisteredAndHealthy() {
    SortedMap<String, HealthCheck.Result> results = api.app().getEnvironment().healthChecks().runHealthChecks();

    assertThat(results).containsKeys("temporal", "catalog", "platform");
    results.forEach((name, result) -> assertThat(result.isHealthy()).as(name + ": " + result.getMessage()).isTrue());
  }
}
