package dev.lifeboat.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.lifeboat.api.auth.AccessRole;
import dev.lifeboat.api.auth.Allowed;
import dev.lifeboat.api.openapi.OpenApiDocument;
import dev.lifeboat.api.openapi.ResourceOperation;
import dev.lifeboat.api.views.AuditEntryView;
import dev.lifeboat.api.views.AuditListView;
import dev.lifeboat.api.views.DrillBody;
import dev.lifeboat.api.views.DrillReportView;
import dev.lifeboat.api.views.DrillTrendView;
import dev.lifeboat.api.views.ErrorBody;
import dev.lifeboat.api.views.InstanceView;
import dev.lifeboat.api.views.PauseBody;
import dev.lifeboat.api.views.RegionSnapshotView;
import dev.lifeboat.api.views.RestoreBody;
import dev.lifeboat.api.views.RestoreWindowView;
import dev.lifeboat.api.views.RetentionBody;
import dev.lifeboat.api.views.RunListView;
import dev.lifeboat.api.views.RunView;
import dev.lifeboat.api.views.ScheduleView;
import dev.lifeboat.api.views.SnapshotBody;
import dev.lifeboat.api.views.TableRecoveryBody;
import dev.lifeboat.common.ErrorType;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The OpenAPI document as generated from the resource classes found in the API's code: the prose
 * of {@code openapi.yaml} names nothing the code lacks and contradicts nothing it says, every
 * resource method is an operation with the access it declares, the schemas are the records'
 * fields, and the errors each operation lists are real error types with their own status.
 * {@code OpenApiIT} checks the same document as the running server serves it.
 */
class OpenApiDocumentTest {
  private static final List<Class<?>> RESOURCES = resourceClasses();
  private static final OpenApiDocument GENERATED = OpenApiDocument.generate(RESOURCES);
  private static final JsonNode DOCUMENT = GENERATED.tree();
  private static final Pattern ERROR_NAME = Pattern.compile("\\b[A-Z]+(?:_[A-Z]+)+\\b");

  @Test
  void overlay_namesNothingTheCodeLacks_andContradictsNothing() {
    assertThat(RESOURCES).as("resource classes").hasSizeGreaterThan(5);
    assertThat(GENERATED.problems()).as("fix openapi.yaml (or the code) so that these go").isEmpty();
  }

  @Test
  void overlay_describingWhatTheCodeDoesNotHave_isAProblemForEach() throws IOException {
    JsonNode stale = new YAMLMapper().readTree("""
        paths:
          /v1/nothing:
            get: {summary: gone}
          /v1/runs:
            delete: {summary: never was}
            get:
              security: []
              parameters:
              - {name: order, in: query, description: not a parameter}
              - {name: limit, in: query, schema: {type: integer}}
          /v1/runs/{id}:
            get:
              responses:
                '201': {description: not what the code answers}
        components:
          schemas:
            Run:
              properties:
                colour: {description: no such field}
            Error:
              properties:
                code: {maxLength: 3}
            Nowhere: {description: no such class}
        """);

    List<String> problems = OpenApiDocument.generate(RESOURCES, stale).problems();

    assertThat(String.join("\n", problems)).contains(
        "/v1/nothing is described, but no resource serves it",
        "DELETE /v1/runs is described, but the code has no such operation",
        "GET /v1/runs sets 'security', which is not prose",
        "parameter 'order' in query, which the code does not have",
        "parameter 'limit' sets 'type', which comes from the code",
        "GET /v1/runs/{id} response 201 is not what the code answers on success (200)",
        "schema Run describes property 'colour', which the code does not have",
        "schema Error property 'code' sets maxLength, which does not apply to its type (integer)",
        "schema Nowhere is named, but no class of the code is called that");
  }

  @Test
  void everyResourceMethod_isAnOperation_withTheAccessItDeclares() {
    List<ResourceOperation> operations = ResourceOperation.of(RESOURCES);
    assertThat(operations).extracting(ResourceOperation::key).contains("POST /v1/restores", "GET /v1/runs/{id}",
        "GET /v1/audit", "GET /openapi.json", "GET /openapi.yaml", "POST /v1/schedules/{id}/pause");
    Set<String> documented = new TreeSet<>();
    DOCUMENT.get("paths").properties().forEach(path -> path.getValue().fieldNames()
        .forEachRemaining(method -> documented.add(method.toUpperCase() + " " + path.getKey())));
    assertThat(documented).isEqualTo(new TreeSet<>(operations.stream().map(ResourceOperation::key).toList()));

    for (ResourceOperation operation : operations) {
      JsonNode documentedOperation = DOCUMENT.get("paths").get(operation.path()).get(operation.documentMethod());
      String as = operation.key();
      if (operation.isPublic()) {
        assertThat(documentedOperation.has("security")).as(as).isFalse();
        assertThat(documentedOperation.has("x-required-role")).as(as).isFalse();
        assertThat(documentedOperation.get("responses").has("401")).as(as).isFalse();
        assertThat(documentedOperation.get("description").asText()).as(as).contains("public");
      } else {
        AccessRole role = operation.role().orElseThrow(() -> new AssertionError(as + " declares no role"));
        assertThat(documentedOperation.at("/security/0/bearer").isArray()).as(as).isTrue();
        assertThat(documentedOperation.get("x-required-role").asText()).as(as).isEqualTo(role.wireName());
        assertThat(documentedOperation.get("description").asText()).as(as).contains("`" + role.wireName() + "`");
        assertThat(documentedOperation.get("responses").has("401")).as(as).isTrue();
        assertThat(documentedOperation.get("responses").has("403")).as(as).isTrue();
      }
    }
    assertThat(DOCUMENT.at("/components/securitySchemes/bearer/scheme").asText()).isEqualTo("bearer");
  }

  @Test
  void schemas_haveExactlyTheFieldsOfTheRecords() {
    Map<String, Class<? extends Record>> schemas = Map.ofEntries(
        Map.entry("Run", RunView.class),
        Map.entry("RunList", RunListView.class),
        Map.entry("Instance", InstanceView.class),
        Map.entry("RestoreWindow", RestoreWindowView.class),
        Map.entry("RegionSnapshot", RegionSnapshotView.class),
        Map.entry("Schedule", ScheduleView.class),
        Map.entry("DrillReport", DrillReportView.class),
        Map.entry("MeasureTrend", DrillTrendView.MeasureTrendView.class),
        Map.entry("AuditEntry", AuditEntryView.class),
        Map.entry("AuditList", AuditListView.class),
        Map.entry("Error", ErrorBody.class),
        Map.entry("RestoreBody", RestoreBody.class),
        Map.entry("SnapshotBody", SnapshotBody.class),
        Map.entry("RetentionBody", RetentionBody.class),
        Map.entry("TableRecoveryBody", TableRecoveryBody.class),
        Map.entry("PauseBody", PauseBody.class),
        Map.entry("DrillBody", DrillBody.class));

    schemas.forEach((schema, type) -> assertThat(properties(schema)).as(schema).isEqualTo(components(type)));
    // a representation is written whole; a body refuses fields it does not have
    assertThat(names(DOCUMENT.at("/components/schemas/Run/required"))).isEqualTo(components(RunView.class));
    assertThat(DOCUMENT.at("/components/schemas/RestoreBody/additionalProperties").asBoolean(true)).isFalse();
    assertThat(DOCUMENT.at("/components/schemas/Run/properties/endpoint/nullable").asBoolean()).isTrue();
    assertThat(DOCUMENT.at("/components/schemas/Run/properties/kind/enum").toString()).contains("table-recovery");
  }

  @Test
  void errorShape_listsEveryErrorType() {
    Set<String> documented = new TreeSet<>();
    DOCUMENT.at("/components/schemas/Error/properties/error/enum").forEach(value -> documented.add(value.asText()));

    assertThat(properties("Error")).containsExactlyInAnyOrder("code", "error", "message", "details");
    assertThat(documented).isEqualTo(new TreeSet<>(Arrays.stream(ErrorType.values()).map(Enum::name).toList()));
  }

  @Test
  void errorListings_nameRealErrorTypes_underTheirOwnStatus() {
    List<String> wrong = new ArrayList<>();
    DOCUMENT.get("paths").properties().forEach(path -> path.getValue().properties().forEach(operation ->
        operation.getValue().get("responses").properties().forEach(response -> {
          if (!response.getKey().matches("[45]\\d\\d")) {
            return;
          }
          int status = Integer.parseInt(response.getKey());
          JsonNode described = response.getValue().has("$ref")
              ? DOCUMENT.at(response.getValue().get("$ref").asText().substring(1)) : response.getValue();
          Matcher names = ERROR_NAME.matcher(described.path("description").asText());
          while (names.find()) {
            String name = names.group();
            boolean known = Arrays.stream(ErrorType.values()).anyMatch(type -> type.name().equals(name));
            if (!known || ErrorType.valueOf(name).httpStatus() != status) {
              wrong.add(operation.getKey().toUpperCase() + " " + path.getKey() + " " + status + " names " + name
                  + (known ? " (a " + ErrorType.valueOf(name).httpStatus() + ")" : " (no such error type)"));
            }
          }
        })));

    assertThat(wrong).isEmpty();
  }

  @Test
  void codeTheProseDoesNotDescribeYet_isDocumentedFromTheCodeAlone() {
    List<Class<?>> resources = new ArrayList<>(RESOURCES);
    resources.add(WidgetsResource.class);

    OpenApiDocument document = OpenApiDocument.generate(resources);
    JsonNode operation = document.tree().at("/paths/~1v1~1widgets/post");

    assertThat(document.problems()).isEmpty();
    assertThat(operation.get("x-required-role").asText()).isEqualTo("admin");
    assertThat(operation.get("parameters").toString()).contains("\"name\":\"Idempotency-Key\"", "\"in\":\"header\"");
    assertThat(operation.at("/requestBody/content/application~1json/schema/$ref").asText())
        .isEqualTo("#/components/schemas/WidgetBody");
    assertThat(operation.at("/responses/200/content/application~1json/schema/$ref").asText())
        .isEqualTo("#/components/schemas/Widget");
    assertThat(names(document.tree().at("/components/schemas/Widget/required"))).containsExactly("name", "size");
  }

  /** A resource nobody has written prose for. */
  @Allowed(AccessRole.ADMIN)
  @Path("/v1/widgets")
  @Produces(MediaType.APPLICATION_JSON)
  public static final class WidgetsResource {
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public WidgetView create(@HeaderParam("Idempotency-Key") String key, WidgetBody body) {
      return new WidgetView(body.name(), 1);
    }
  }

  public record WidgetBody(String name) {}

  public record WidgetView(String name, int size) {}

  private static Set<String> properties(String schema) {
    return names(DOCUMENT.at("/components/schemas/" + schema + "/properties"));
  }

  private static Set<String> components(Class<? extends Record> type) {
    return new TreeSet<>(Arrays.stream(type.getRecordComponents()).map(RecordComponent::getName).toList());
  }

  private static Set<String> names(JsonNode node) {
    Set<String> names = new TreeSet<>();
    if (node.isArray()) {
      node.forEach(name -> names.add(name.asText()));
    } else {
      node.fieldNames().forEachRemaining(names::add);
    }
    return names;
  }

  /** Every class of the API's main code (a directory or a jar) annotated with {@code @Path}. */
  private static List<Class<?>> resourceClasses() {
    try {
      java.nio.file.Path location =
          Paths.get(LifeboatApi.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      List<String> classFiles = new ArrayList<>();
      if (Files.isDirectory(location)) {
        try (Stream<java.nio.file.Path> files = Files.walk(location)) {
          files.filter(f -> f.toString().endsWith(".class"))
              .forEach(f -> classFiles.add(location.relativize(f).toString().replace('\\', '/')));
        }
      } else {
        try (JarFile jar = new JarFile(location.toFile())) {
          jar.stream().map(entry -> entry.getName()).filter(name -> name.endsWith(".class")).forEach(classFiles::add);
        }
      }
      List<Class<?>> resources = new ArrayList<>();
      for (String file : classFiles) {
        if (file.startsWith("dev/lifeboat/api/")) {
          Class<?> type = Class.forName(file.substring(0, file.length() - ".class".length()).replace('/', '.'));
          if (type.isAnnotationPresent(Path.class)) {
            resources.add(type);
          }
        }
      }
      return resources;
    } catch (IOException | URISyntaxException | ClassNotFoundException e) {
      throw new IllegalStateException(e);
    }
  }
}
