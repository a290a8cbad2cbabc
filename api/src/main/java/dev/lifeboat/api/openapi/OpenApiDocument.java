package dev.lifeboat.api.openapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The API's OpenAPI 3 document: its structure generated from the resource classes and their
 * Jackson models ({@link CodeDocument}), its prose from {@value #OVERLAY} ({@link ProseOverlay}),
 * each operation's access from its {@code @Allowed} / {@code @PublicEndpoint}. Whatever the
 * overlay names that the code does not have is listed in {@link #problems()}, never served.
 */
public final class OpenApiDocument {
  /** The prose overlay, on the classpath. */
  public static final String OVERLAY = "/openapi.yaml";

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final YAMLMapper YAML = YAMLMapper.builder()
      .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
      .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
      .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
      .enable(YAMLGenerator.Feature.LITERAL_BLOCK_STYLE)
      .build();
  private static final List<String> OPERATION_ORDER = List.of("tags", "summary", "description", "operationId",
      "parameters", "requestBody", "responses", "security", CodeDocument.ROLE_EXTENSION);
  private static final List<String> RESPONSE_ORDER = List.of("description", "headers", "content");

  private final ObjectNode tree;
  private final List<String> problems;
  private final byte[] json;
  private final byte[] yaml;

  private OpenApiDocument(ObjectNode tree, List<String> problems) {
    this.tree = tree;
    this.problems = List.copyOf(problems);
    try {
      this.json = JSON.writeValueAsBytes(tree);
      this.yaml = YAML.writeValueAsBytes(tree);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The document of {@code resources} (JAX-RS resource classes) with the prose of {@value #OVERLAY}. */
  public static OpenApiDocument generate(Collection<Class<?>> resources) {
    return generate(resources, overlay());
  }

  public static OpenApiDocument generate(Collection<Class<?>> resources, JsonNode overlay) {
    List<String> problems = new ArrayList<>();
    List<ResourceOperation> operations = ResourceOperation.of(resources);
    ObjectNode document = CodeDocument.generate(operations, problems);
    ProseOverlay.apply(document, overlay, problems);
    CodeDocument.describeAccess(document, operations);
    document.path("paths").forEach(path -> path.forEach(operation -> {
      order((ObjectNode) operation, OPERATION_ORDER);
      operation.path("responses").forEach(response -> order((ObjectNode) response, RESPONSE_ORDER));
    }));
    document.path("components").path("responses").forEach(response -> order((ObjectNode) response, RESPONSE_ORDER));
    return new OpenApiDocument(document, problems);
  }

  /** The overlay as written, for tests that check its prose against the code. */
  public static JsonNode overlay() {
    try (InputStream in = OpenApiDocument.class.getResourceAsStream(OVERLAY)) {
      if (in == null) {
        throw new IllegalStateException(OVERLAY + " is missing from the classpath");
      }
      return YAML.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public ObjectNode tree() {
    return tree.deepCopy();
  }

  /** What the overlay says that the code does not have or contradicts; empty when the prose is true. */
  public List<String> problems() {
    return problems;
  }

  public byte[] json() {
    return json.clone();
  }

  public byte[] yaml() {
    return yaml.clone();
  }

  /** The keys people look for first, first; the rest as they were. */
  private static void order(ObjectNode node, List<String> first) {
    ObjectNode ordered = node.objectNode();
    first.stream().filter(node::has).forEach(key -> ordered.set(key, node.get(key)));
    node.properties().forEach(field -> {
      if (!ordered.has(field.getKey())) {
        ordered.set(field.getKey(), field.getValue());
      }
    });
    node.removeAll();
    node.setAll(ordered);
  }
}
