package dev.lifeboat.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.lifeboat.api.ResourcePaths.Endpoint;
import dev.lifeboat.api.views.EndpointView;
import dev.lifeboat.api.views.ErrorBody;
import dev.lifeboat.api.views.InstanceListView;
import dev.lifeboat.api.views.InstanceView;
import dev.lifeboat.api.views.PauseBody;
import dev.lifeboat.api.views.ProgressView;
import dev.lifeboat.api.views.RegionSnapshotView;
import dev.lifeboat.api.views.ReleaseBody;
import dev.lifeboat.api.views.RestoreBody;
import dev.lifeboat.api.views.RestoreWindowView;
import dev.lifeboat.api.views.RetentionBody;
import dev.lifeboat.api.views.RunErrorView;
import dev.lifeboat.api.views.RunListView;
import dev.lifeboat.api.views.RunView;
import dev.lifeboat.api.views.ScheduleFireView;
import dev.lifeboat.api.views.ScheduleListView;
import dev.lifeboat.api.views.ScheduleView;
import dev.lifeboat.api.views.SnapshotBody;
import dev.lifeboat.api.views.SnapshotCopyView;
import dev.lifeboat.api.views.SnapshotListView;
import dev.lifeboat.api.views.SnapshotView;
import dev.lifeboat.api.views.StepView;
import dev.lifeboat.api.views.WalGapView;
import dev.lifeboat.common.ErrorType;
import jakarta.ws.rs.Path;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
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
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Keeps {@code openapi.yaml} true to the code: every resource method found by reflection is in
 * the document and every operation in the document has a resource method, request and response
 * schemas list exactly the fields of the representations, and the error enum is {@link ErrorType}.
 */
class OpenApiDocumentTest {
  private static final Set<String> HTTP_METHODS = Set.of("get", "put", "post", "delete", "options", "head", "patch");

  private static final JsonNode DOCUMENT = load();

  private static JsonNode load() {
    try (InputStream in = OpenApiDocumentTest.class.getResourceAsStream("/openapi.yaml")) {
      return new YAMLMapper().readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void document_describesExactlyTheResourceMethods() throws Exception {
    Set<String> inCode = new TreeSet<>();
    for (Class<?> resource : resourceClasses()) {
      ResourcePaths.of(resource).stream().map(Endpoint::toString).forEach(inCode::add);
      for (Method method : resource.getMethods()) {
        assertThat(method.isAnnotationPresent(Path.class) && ResourcePaths.httpMethod(method) == null)
            .as("sub-resource locator %s is not supported by this check", method).isFalse();
      }
    }
    Set<String> inDocument = new TreeSet<>();
    DOCUMENT.get("paths").fields().forEachRemaining(path -> path.getValue().fieldNames().forEachRemaining(key -> {
      if (HTTP_METHODS.contains(key)) {
        inDocument.add(key.toUpperCase() + " " + path.getKey());
      }
    }));

    assertThat(inCode).as("resource methods").isNotEmpty().contains("POST /v1/restores", "GET /v1/runs/{id}",
        "POST /v1/snapshots", "GET /v1/snapshots", "POST /v1/retention", "GET /v1/schedules/{id}", "POST /v1/schedules/{id}/pause");
    assertThat(inDocument).isEqualTo(inCode);
  }

  @Test
  void requestBodies_listExactlyTheAcceptedFields() {
    assertThat(properties("RestoreBody")).isEqualTo(components(RestoreBody.class));
    assertThat(properties("ReleaseBody")).isEqualTo(components(ReleaseBody.class));
    assertThat(properties("SnapshotBody")).isEqualTo(components(SnapshotBody.class));
    assertThat(properties("PauseBody")).isEqualTo(components(PauseBody.class));
    assertThat(properties("RetentionBody")).isEqualTo(components(RetentionBody.class));
    assertThat(properties("DrillBody")).isEqualTo(components(dev.lifeboat.api.views.DrillBody.class));
    assertThat(properties("DrillTargetsBody")).isEqualTo(components(dev.lifeboat.api.views.DrillTargetsBody.class));
  }

  @Test
  void responseSchemas_listExactlyTheFieldsOfTheRepresentations() {
    Map<String, Class<? extends Record>> schemas = Map.ofEntries(
        Map.entry("Run", RunView.class),
        Map.entry("Progress", ProgressView.class),
        Map.entry("Step", StepView.class),
        Map.entry("Endpoint", EndpointView.class),
        Map.entry("RunError", RunErrorView.class),
        Map.entry("RunList", RunListView.class),
        Map.entry("Instance", InstanceView.class),
        Map.entry("InstanceList", InstanceListView.class),
        Map.entry("RestoreWindow", RestoreWindowView.class),
        Map.entry("Snapshot", SnapshotView.class),
        Map.entry("WalGap", WalGapView.class),
        Map.entry("SnapshotList", SnapshotListView.class),
        Map.entry("RegionSnapshot", RegionSnapshotView.class),
        Map.entry("SnapshotCopy", SnapshotCopyView.class),
        Map.entry("ScheduleList", ScheduleListView.class),
        Map.entry("Schedule", ScheduleView.class),
        Map.entry("ScheduleFire", ScheduleFireView.class),
        Map.entry("DrillReport", dev.lifeboat.api.views.DrillReportView.class),
        Map.entry("DrillMeasure", dev.lifeboat.api.views.DrillMeasureView.class),
        Map.entry("DrillCheck", dev.lifeboat.api.views.DrillCheckView.class),
        Map.entry("DrillSummary", dev.lifeboat.api.views.DrillSummaryView.class),
        Map.entry("DrillList", dev.lifeboat.api.views.DrillListView.class),
        Map.entry("DrillTrend", dev.lifeboat.api.views.DrillTrendView.class),
        Map.entry("MeasureTrend", dev.lifeboat.api.views.DrillTrendView.MeasureTrendView.class),
        Map.entry("Error", ErrorBody.class));

    schemas.forEach((schema, type) -> assertThat(properties(schema)).as(schema).isEqualTo(components(type)));
  }

  @Test
  void errorShape_hasItsFourFieldsAndEveryErrorType() {
    JsonNode error = DOCUMENT.at("/components/schemas/Error");

    assertThat(fieldNames(error.get("properties"))).containsExactlyInAnyOrder("code", "error", "message", "details");
    Set<String> documented = new TreeSet<>();
    error.at("/properties/error/enum").forEach(value -> documented.add(value.asText()));
    assertThat(documented).isEqualTo(new TreeSet<>(Arrays.stream(ErrorType.values()).map(Enum::name).toList()));
  }

  private static Set<String> properties(String schema) {
    return fieldNames(DOCUMENT.at("/components/schemas/" + schema + "/properties"));
  }

  private static Set<String> components(Class<? extends Record> type) {
    return new TreeSet<>(Arrays.stream(type.getRecordComponents()).map(RecordComponent::getName).toList());
  }

  private static Set<String> fieldNames(JsonNode node) {
    Set<String> names = new TreeSet<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }

  /** Every class of the API's main code (a directory or a jar) annotated with {@code @Path}. */
  private static List<Class<?>> resourceClasses() throws IOException, URISyntaxException, ClassNotFoundException {
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
  }
}
