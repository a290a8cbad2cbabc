package dev.lifeboat.api.openapi;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.lifeboat.api.testing.ApiFixture;
import dev.lifeboat.api.testing.FakePlatform;
import dev.lifeboat.api.testing.Http.Reply;
import dev.lifeboat.common.model.DrillCheck;
import dev.lifeboat.common.model.DrillMeasure;
import dev.lifeboat.common.model.DrillReport;
import dev.lifeboat.common.model.Endpoint;
import dev.lifeboat.common.model.RunError;
import dev.lifeboat.common.model.RunKind;
import dev.lifeboat.common.model.RunPhase;
import dev.lifeboat.common.model.RunState;
import dev.lifeboat.common.model.ScheduleSpec;
import dev.lifeboat.common.model.SnapshotInfo;
import dev.lifeboat.common.model.SnapshotRequest;
import dev.lifeboat.common.model.StepState;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.net.http.HttpRequest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.glassfish.jersey.server.ExtendedResourceContext;
import org.glassfish.jersey.server.model.Resource;
import org.glassfish.jersey.server.model.ResourceMethod;
import org.glassfish.jersey.servlet.ServletContainer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The OpenAPI document as the running server serves it: a valid OpenAPI 3 document, whose
 * operations are exactly the routes Jersey serves, each protected one refusing a caller without a
 * token, and whose schemas the server's own answers fit.
 */
class OpenApiIT {
  private static final String PROBE_ID = "openapi-probe";
  private static final ScheduleSpec SCHEDULE = new ScheduleSpec("daily-snapshots", "0 3 * * *", "UTC",
      RunKind.SNAPSHOT, new SnapshotRequest("daily", List.of(FakePlatform.PRIMARY), List.of(FakePlatform.DR_1),
          "lifeboat", "daily snapshot", null, 2));

  private static ApiFixture api;
  private static Reply served;
  private static JsonNode document;

  @BeforeAll
  static void start() {
    api = ApiFixture.start("openapi", Clock.systemUTC(), List.of(SCHEDULE), List.of(SCHEDULE));
    served = api.http().getAs(null, "/openapi.json");
    document = served.json();
  }

  @AfterAll
  static void stop() {
    if (api != null) {
      api.close();
    }
  }

  @Test
  void document_isServedAsJson_withoutAToken() {
    assertThat(served.status()).as(served.body()).isEqualTo(200);
    assertThat(served.header("Content-Type")).startsWith("application/json");
    assertThat(document.get("openapi").asText()).startsWith("3.0.");
    assertThat(document.at("/paths/~1v1~1restores/post/x-required-role").asText()).isEqualTo("operator");
  }

  @Test
  void document_isAValidOpenApi3Document() {
    SwaggerParseResult result = parse(served.body());

    assertThat(result.getMessages()).as("swagger-parser's findings").isEmpty();
    assertThat(result.getOpenAPI().getPaths()).isNotEmpty();
    // the check has teeth: a document that refers to a schema it does not define is refused
    ObjectNode broken = document.deepCopy();
    ((ObjectNode) broken.get("components").get("schemas")).remove("Run");
    assertThat(parse(broken.toString()).getMessages()).isNotEmpty();
  }

  @Test
  void yaml_isTheSameDocument() throws Exception {
    Reply yaml = api.http().getAs(null, "/openapi.yaml");

    assertThat(yaml.status()).isEqualTo(200);
    assertThat(yaml.header("Content-Type")).startsWith("application/yaml");
    assertThat(new YAMLMapper().readTree(yaml.body())).isEqualTo(document);
  }

  @Test
  void operations_areExactlyTheRoutesTheServerServes() {
    Set<String> routes = servedRoutes();

    assertThat(routes).contains("GET /v1/runs", "GET /v1/audit", "GET /openapi.json");
    assertThat(operations()).isEqualTo(routes);
  }

  @Test
  void everyOperation_isRouted_andEachProtectedOneRefusesACallerWithoutToken() {
    List<String> wrong = new ArrayList<>();
    for (String operation : operations()) {
      String method = operation.substring(0, operation.indexOf(' '));
      String path = operation.substring(operation.indexOf(' ') + 1);
      JsonNode documented = operation(method, path);
      Reply reply = api.http().send(HttpRequest.newBuilder(api.http().uri(path.replaceAll("\\{[^}]+}", PROBE_ID)))
          .header("Content-Type", "application/json")
          .method(method, method.equals("GET") ? HttpRequest.BodyPublishers.noBody()
              : HttpRequest.BodyPublishers.ofString("{}")));
      boolean protectedOne = documented.has("security");
      if (protectedOne && (reply.status() != 401 || reply.header("WWW-Authenticate") == null
          || !SchemaCheck.errors(document, schema(method, path, 401), reply.json()).isEmpty())) {
        wrong.add(operation + " without a token answered " + reply.status() + ": " + reply.body());
      } else if (!protectedOne && reply.status() != 200) {
        wrong.add(operation + " is documented as public but answered " + reply.status());
      }
    }

    assertThat(wrong).isEmpty();
  }

  @Test
  void answers_fitTheirDocumentedSchemas() {
    FakePlatform platform = api.platform();
    Instant now = Instant.now();
    platform.addSnapshot(new SnapshotInfo("snap-openapi", FakePlatform.PRIMARY, FakePlatform.HOME_REGION, "available",
        now.minus(Duration.ofHours(3)), now.minus(Duration.ofHours(2)), 4096, Map.of("lifeboat", "yes")));
    platform.addSnapshot(new SnapshotInfo("snap-openapi", FakePlatform.PRIMARY, FakePlatform.DR_1, "available",
        now.minus(Duration.ofHours(3)), now.minus(Duration.ofHours(2)), 4096, Map.of()));
    String richRun = "restore-techcorp-primary-0penap1";
    api.catalog().runs().save(new RunState(richRun, RunKind.RESTORE, FakePlatform.PRIMARY, "bob", "schema check",
        RunPhase.FAILED, "verify", 80, 1024L, "counting rows",
        List.of(new StepState("plan", "succeeded", now.minusSeconds(9), now.minusSeconds(8), null),
            new StepState("verify", "failed", now.minusSeconds(7), null, "boom")),
        Map.of("instance", FakePlatform.PRIMARY), new Endpoint("127.0.0.1", 55433, "techcorp", "postgres"),
        Map.of("rows", 42, "note", "text"), new RunError("WAL_MISSING", "segment missing"), now.minusSeconds(10),
        now.minusSeconds(5), now.plusSeconds(3600)));

    Instant drilled = now.minus(Duration.ofDays(1));
    api.catalog().drills().save(new DrillReport("drill-techcorp-primary-0penap1", FakePlatform.PRIMARY,
        FakePlatform.DR_1, "latest-copy", "techcorp", "carol", "openapi check", "snap-openapi",
        drilled.minus(Duration.ofHours(1)), drilled.minusSeconds(30), "lb-drill-openapi", true, null, drilled,
        drilled.plusSeconds(40), drilled.plusSeconds(50), drilled.plusSeconds(52),
        new DrillMeasure(Duration.ofSeconds(50), Duration.ofHours(1), true, "drill start to verified instance"),
        new DrillMeasure(null, null, null, null), false,
        List.of(new DrillCheck("users.users", DrillCheck.ROW_COUNT, false, "1500", "2000 ± 0", "differs", drilled)),
        List.of(new StepState("restore", "succeeded", drilled, drilled.plusSeconds(40), null)),
        new RunError("DRILL_CHECKS_FAILED", "checks failed")));

    Reply started = api.http().postJson("/v1/restores", "{\"instance\": \"techcorp-primary\", \"targetTime\": \""
        + now.minus(Duration.ofHours(1)) + "\", \"reason\": \"openapi check\"}");
    assertFits(started, "POST", "/v1/restores", 202);
    String runId = started.json().get("runId").asText();

    assertFits(api.http().get("/v1/runs/" + runId), "GET", "/v1/runs/{id}", 200);
    assertFits(api.http().get("/v1/runs/" + richRun), "GET", "/v1/runs/{id}", 200);
    assertFits(api.http().get("/v1/runs"), "GET", "/v1/runs", 200);
    assertFits(api.http().get("/v1/runs/restore-nowhere-00000000"), "GET", "/v1/runs/{id}", 404);
    assertFits(api.http().get("/v1/instances"), "GET", "/v1/instances", 200);
    assertFits(api.http().get("/v1/instances/techcorp-primary/restore-window"), "GET",
        "/v1/instances/{id}/restore-window", 200);
    assertFits(api.http().get("/v1/snapshots"), "GET", "/v1/snapshots", 200);
    assertFits(api.http().get("/v1/schedules"), "GET", "/v1/schedules", 200);
    assertFits(api.http().get("/v1/schedules/" + SCHEDULE.id()), "GET", "/v1/schedules/{id}", 200);
    assertFits(api.http().get("/v1/drills"), "GET", "/v1/drills", 200);
    assertFits(api.http().get("/v1/drills/drill-techcorp-primary-0penap1"), "GET", "/v1/drills/{id}", 200);
    assertFits(api.http().getAs("carol", "/v1/audit"), "GET", "/v1/audit", 200);
    assertFits(api.http().getAs("victor", "/v1/audit"), "GET", "/v1/audit", 403);
  }

  private static void assertFits(Reply reply, String method, String path, int status) {
    assertThat(reply.status()).as(method + " " + path + ": " + reply.body()).isEqualTo(status);
    JsonNode value = reply.json();
    assertThat(SchemaCheck.errors(document, schema(method, path, status), value))
        .as(method + " " + path + " " + status + " against its documented schema; body " + value).isEmpty();
    if (value.has("items")) {
      assertThat(value.get("items").size()).as(method + " " + path + " lists something to check").isPositive();
    }
  }

  /** The documented body schema of one answer; a status the operation does not list fails the test. */
  private static JsonNode schema(String method, String path, int status) {
    JsonNode response = operation(method, path).path("responses").path(String.valueOf(status));
    assertThat(response.isMissingNode()).as(method + " " + path + " documents no " + status).isFalse();
    if (response.has("$ref")) {
      response = document.at(response.get("$ref").asText().substring(1));
    }
    JsonNode schema = response.at("/content/application~1json/schema");
    assertThat(schema.isMissingNode()).as(method + " " + path + " " + status + " documents no JSON body").isFalse();
    return schema;
  }

  private static JsonNode operation(String method, String path) {
    JsonNode operation = document.get("paths").path(path).path(method.toLowerCase());
    assertThat(operation.isMissingNode()).as(method + " " + path + " is not documented").isFalse();
    return operation;
  }

  private static Set<String> operations() {
    Set<String> operations = new TreeSet<>();
    document.get("paths").properties().forEach(path -> path.getValue().fieldNames()
        .forEachRemaining(method -> operations.add(method.toUpperCase() + " " + path.getKey())));
    return operations;
  }

  /** Jersey's own model of the running application: every resource method it routes to. */
  private static Set<String> servedRoutes() {
    ServletContainer container = (ServletContainer) api.app().getEnvironment().getJerseyServletContainer();
    ExtendedResourceContext context = container.getApplicationHandler().getInjectionManager()
        .getInstance(ExtendedResourceContext.class);
    Set<String> routes = new TreeSet<>();
    for (Resource resource : context.getResourceModel().getRootResources()) {
      collect(resource, "", routes);
    }
    return routes;
  }

  private static void collect(Resource resource, String parent, Set<String> routes) {
    String path = join(parent, resource.getPath());
    assertThat(resource.getResourceLocator()).as("sub-resource locator at " + path + " is not checked").isNull();
    for (ResourceMethod method : resource.getResourceMethods()) {
      if (!method.isExtended()) { // OPTIONS and HEAD that Jersey adds itself
        routes.add(method.getHttpMethod() + " " + path);
      }
    }
    for (Resource child : resource.getChildResources()) {
      collect(child, path, routes);
    }
  }

  private static String join(String parent, String path) {
    String joined = ("/" + parent + "/" + (path == null ? "" : path)).replaceAll("/+", "/")
        .replaceAll("\\{\\s*(\\w+)\\s*:[^}]*}", "{$1}");
    return joined.length() > 1 && joined.endsWith("/") ? joined.substring(0, joined.length() - 1) : joined;
  }

  private static SwaggerParseResult parse(String json) {
    ParseOptions options = new ParseOptions();
    options.setResolve(false);
    return new OpenAPIV3Parser().readContents(json, null, options);
  }
}
