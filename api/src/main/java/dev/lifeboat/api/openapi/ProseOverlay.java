package dev.lifeboat.api.openapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.swagger.v3.core.util.Json;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Puts the human prose of {@code openapi.yaml} onto the document the code generated. The overlay
 * is shaped like an OpenAPI document but may only say what the code cannot: summaries,
 * descriptions, examples, error listings, validation rules of fields. Everything it names must
 * exist in the code (an operation, a parameter, a request body, a schema, a property), and it may
 * not contradict what the code says (a type, an enum, a success status); each breach is a problem,
 * and a test keeps the list of problems empty.
 */
final class ProseOverlay {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final Set<String> TOP_LEVEL = Set.of("info", "servers", "tags", "externalDocs", "paths", "components");
  private static final Set<String> HTTP_METHODS = Set.of("get", "put", "post", "delete", "options", "head", "patch");
  private static final Set<String> OPERATION_PROSE =
      Set.of("summary", "description", "operationId", "tags", "deprecated", "externalDocs");
  private static final Set<String> PARAMETER_PROSE =
      Set.of("name", "in", "description", "required", "deprecated", "example", "examples", "schema");
  /** What a schema of the overlay may add: words for people and the validators' rules, never structure. */
  private static final Set<String> SCHEMA_PROSE = Set.of("description", "example", "enum", "pattern", "minLength",
      "maxLength", "minimum", "maximum", "minItems", "maxItems", "default", "format", "title", "deprecated", "items",
      "$ref");
  /** The types a rule of the overlay makes sense for: no maxLength on a number. */
  private static final Map<String, Set<String>> RULE_TYPES = Map.of(
      "minimum", Set.of("integer", "number"),
      "maximum", Set.of("integer", "number"),
      "minLength", Set.of("string"),
      "maxLength", Set.of("string"),
      "pattern", Set.of("string"),
      "format", Set.of("string", "integer", "number"),
      "minItems", Set.of("array"),
      "maxItems", Set.of("array"),
      "enum", Set.of("string", "integer", "number"));
  /** What swagger-core makes of a method returning {@code Object}: the overlay may say what it is. */
  private static final JsonNode BARE_OBJECT = NODES.objectNode().put("type", "object");
  private static final String PARAMETERS = "#/components/parameters/";
  private static final String RESPONSES = "#/components/responses/";

  private final ObjectNode document;
  private final JsonNode overlay;
  private final List<String> problems;
  private final Set<String> usedParameters = new HashSet<>();
  private final Set<String> usedResponses = new LinkedHashSet<>();

  private ProseOverlay(ObjectNode document, JsonNode overlay, List<String> problems) {
    this.document = document;
    this.overlay = overlay;
    this.problems = problems;
  }

  /** Merges {@code overlay} onto {@code document} in place; what cannot be merged is added to {@code problems}. */
  static void apply(ObjectNode document, JsonNode overlay, List<String> problems) {
    new ProseOverlay(document, overlay, problems).apply();
  }

  private void apply() {
    overlay.fieldNames().forEachRemaining(key -> {
      if (!TOP_LEVEL.contains(key)) {
        problems.add("overlay: '" + key + "' is not prose; the generator writes it from the code");
      }
    });
    ObjectNode merged = NODES.objectNode();
    merged.set("openapi", document.get("openapi"));
    for (String key : List.of("info", "servers", "externalDocs")) {
      if (overlay.has(key)) {
        merged.set(key, overlay.get(key).deepCopy());
      }
    }
    mergePaths();
    resolveSchemasFromCode();
    mergeSchemas();
    mergeComponentResponses();
    merged.set("tags", CodeDocument.tags(document, overlay.get("tags")));
    merged.set("paths", document.get("paths"));
    merged.set("components", document.get("components"));
    document.removeAll();
    document.setAll(merged);
    checkReferences(document, "");
    checkOperationIds();
  }

  // ---- paths and operations

  private void mergePaths() {
    ObjectNode paths = (ObjectNode) document.get("paths");
    ObjectNode ordered = NODES.objectNode();
    for (Map.Entry<String, JsonNode> entry : overlay.path("paths").properties()) {
      String path = entry.getKey();
      if (!(paths.get(path) instanceof ObjectNode generated)) {
        problems.add("overlay: " + path + " is described, but no resource serves it");
        continue;
      }
      mergePath(path, generated, entry.getValue());
      ordered.set(path, generated);
    }
    // the overlay's reading order first, then whatever the code has that it does not describe yet
    paths.properties().forEach(entry -> {
      if (!ordered.has(entry.getKey())) {
        ordered.set(entry.getKey(), entry.getValue());
      }
    });
    document.set("paths", ordered);
  }

  private void mergePath(String path, ObjectNode generated, JsonNode prose) {
    for (Map.Entry<String, JsonNode> entry : prose.properties()) {
      String key = entry.getKey();
      if (key.equals("parameters")) {
        for (JsonNode parameter : entry.getValue()) {
          mergePathParameter(path, generated, parameter);
        }
      } else if (!HTTP_METHODS.contains(key)) {
        problems.add("overlay: " + path + " has '" + key + "', which is not an operation");
      } else if (!(generated.get(key) instanceof ObjectNode operation)) {
        problems.add("overlay: " + key.toUpperCase() + " " + path + " is described, but the code has no such operation");
      } else {
        mergeOperation(key.toUpperCase() + " " + path, operation, entry.getValue());
      }
    }
  }

  /** A parameter written once for the path applies to each of its operations that has it. */
  private void mergePathParameter(String path, ObjectNode generated, JsonNode parameter) {
    JsonNode prose = resolveParameter(parameter, path);
    if (prose == null) {
      return;
    }
    boolean found = false;
    for (Map.Entry<String, JsonNode> entry : generated.properties()) {
      Optional<ObjectNode> match = findParameter(entry.getValue(), prose);
      if (match.isPresent()) {
        found = true;
        mergeParameter(entry.getKey().toUpperCase() + " " + path, match.get(), prose);
      }
    }
    if (!found) {
      problems.add("overlay: " + path + " describes parameter '" + prose.path("name").asText() + "' in "
          + prose.path("in").asText() + ", which none of its operations has");
    }
  }

  private void mergeOperation(String where, ObjectNode operation, JsonNode prose) {
    for (Map.Entry<String, JsonNode> entry : prose.properties()) {
      String key = entry.getKey();
      switch (key) {
        case "parameters" -> {
          for (JsonNode parameter : entry.getValue()) {
            JsonNode resolved = resolveParameter(parameter, where);
            if (resolved == null) {
              continue;
            }
            Optional<ObjectNode> match = findParameter(operation, resolved);
            if (match.isPresent()) {
              mergeParameter(where, match.get(), resolved);
            } else {
              problems.add("overlay: " + where + " describes parameter '" + resolved.path("name").asText() + "' in "
                  + resolved.path("in").asText() + ", which the code does not have");
            }
          }
        }
        case "requestBody" -> mergeRequestBody(where, operation, entry.getValue());
        case "responses" -> mergeResponses(where, operation, entry.getValue());
        default -> {
          if (OPERATION_PROSE.contains(key)) {
            operation.set(key, entry.getValue().deepCopy());
          } else {
            problems.add("overlay: " + where + " sets '" + key + "', which is not prose; it comes from the code");
          }
        }
      }
    }
  }

  private JsonNode resolveParameter(JsonNode parameter, String where) {
    String ref = parameter.path("$ref").asText(null);
    if (ref == null) {
      return parameter;
    }
    String name = ref.startsWith(PARAMETERS) ? ref.substring(PARAMETERS.length()) : ref;
    JsonNode resolved = overlay.path("components").path("parameters").get(name);
    if (resolved == null) {
      problems.add("overlay: " + where + " refers to parameter " + ref + ", which the overlay does not define");
      return null;
    }
    usedParameters.add(name);
    return resolved;
  }

  private static Optional<ObjectNode> findParameter(JsonNode operation, JsonNode prose) {
    for (JsonNode parameter : operation.path("parameters")) {
      if (parameter.path("name").asText().equals(prose.path("name").asText())
          && parameter.path("in").asText().equals(prose.path("in").asText())) {
        return Optional.of((ObjectNode) parameter);
      }
    }
    return Optional.empty();
  }

  private void mergeParameter(String where, ObjectNode parameter, JsonNode prose) {
    String at = where + " parameter '" + prose.path("name").asText() + "'";
    for (Map.Entry<String, JsonNode> entry : prose.properties()) {
      String key = entry.getKey();
      if (!PARAMETER_PROSE.contains(key)) {
        problems.add("overlay: " + at + " sets '" + key + "', which it may not");
      } else if (key.equals("schema")) {
        parameter.set("schema", mergeSchema(at, (ObjectNode) parameter.get("schema"), entry.getValue()));
      } else if (key.equals("required") && parameter.path("in").asText().equals("path")) {
        continue; // a path parameter is always required, and the code says so
      } else if (!key.equals("name") && !key.equals("in")) {
        parameter.set(key, entry.getValue().deepCopy());
      }
    }
  }

  private void mergeRequestBody(String where, ObjectNode operation, JsonNode prose) {
    if (!(operation.get("requestBody") instanceof ObjectNode body)) {
      problems.add("overlay: " + where + " describes a request body, but the code reads none");
      return;
    }
    for (Map.Entry<String, JsonNode> entry : prose.properties()) {
      switch (entry.getKey()) {
        case "description", "required" -> body.set(entry.getKey(), entry.getValue().deepCopy());
        case "content" -> mergeContent(where + " request body", (ObjectNode) body.get("content"), entry.getValue(), false);
        default -> problems.add("overlay: " + where + " request body sets '" + entry.getKey() + "', which it may not");
      }
    }
  }

  /**
   * Examples for media types the code consumes or produces; a schema only where the code's is the
   * bare {@code object} of a method returning {@code Object}, or where {@code open} (a status the
   * code does not define, of a method returning a {@code Response}).
   */
  private void mergeContent(String where, ObjectNode content, JsonNode prose, boolean open) {
    for (Map.Entry<String, JsonNode> entry : prose.properties()) {
      if (!(content.get(entry.getKey()) instanceof ObjectNode media)) {
        problems.add("overlay: " + where + " is described as " + entry.getKey() + ", which the code does not "
            + "declare (it declares " + names(content) + ")");
        continue;
      }
      for (Map.Entry<String, JsonNode> key : entry.getValue().properties()) {
        switch (key.getKey()) {
          case "example", "examples" -> media.set(key.getKey(), key.getValue().deepCopy());
          case "schema" -> {
            JsonNode generated = media.get("schema");
            if (open || BARE_OBJECT.equals(generated)) {
              media.set("schema", key.getValue().deepCopy());
            } else if (!key.getValue().equals(generated)) {
              problems.add("overlay: " + where + " names schema " + key.getValue() + ", but the code says "
                  + (generated == null ? "nothing" : generated));
            }
          }
          default -> problems.add("overlay: " + where + " " + entry.getKey() + " sets '" + key.getKey()
              + "', which it may not");
        }
      }
    }
  }

  private void mergeResponses(String where, ObjectNode operation, JsonNode prose) {
    ObjectNode responses = (ObjectNode) operation.get("responses");
    JsonNode unknownSuccess = responses.get(CodeDocument.UNKNOWN_SUCCESS);
    boolean namedSuccess = false;
    for (Map.Entry<String, JsonNode> entry : prose.properties()) {
      String status = entry.getKey();
      String at = where + " response " + status;
      JsonNode response = entry.getValue();
      if (status.equals("default")) {
        if (!response.equals(responses.get(status))) {
          problems.add("overlay: " + at + " is not prose; the code answers every other error in the one error shape");
        }
        continue;
      }
      String ref = response.path("$ref").asText(null);
      if (ref != null) {
        String name = ref.startsWith(RESPONSES) ? ref.substring(RESPONSES.length()) : ref;
        response = overlay.path("components").path("responses").get(name);
        if (response == null) {
          problems.add("overlay: " + at + " refers to " + ref + ", which the overlay does not define");
          continue;
        }
        usedResponses.add(name);
      }
      JsonNode generated = responses.get(status);
      if (status.startsWith("2")) {
        if (generated instanceof ObjectNode success) {
          mergeResponse(at, success, response, false);
        } else if (unknownSuccess instanceof ObjectNode unknown) {
          ObjectNode success = NODES.objectNode();
          success.set("content", unknown.has("content") ? unknown.get("content").deepCopy() : NODES.objectNode());
          mergeResponse(at, success, response, true);
          if (success.path("content").isEmpty()) {
            success.remove("content");
          }
          responses.set(status, success);
          namedSuccess = true;
        } else {
          problems.add("overlay: " + at + " is not what the code answers on success (" + successes(responses) + ")");
        }
      } else if (generated instanceof ObjectNode codeError) {
        // 401, 403, 413: the code's words first, then the overlay's (SELF_APPROVAL, NOT_RUN_OWNER ...)
        String description = codeError.path("description").asText() + "\n\n" + response.path("description").asText();
        codeError.put("description", description.strip());
        if (response.has("content") && !response.get("content").equals(codeError.get("content"))) {
          problems.add("overlay: " + at + " gives another body than the code's error shape");
        }
      } else if (ref != null) {
        responses.set(status, entry.getValue().deepCopy());
      } else {
        responses.set(status, errorShaped(at, response));
      }
    }
    if (namedSuccess) {
      responses.remove(CodeDocument.UNKNOWN_SUCCESS);
    }
    sortResponses(responses);
  }

  /** An error the overlay lists: its words, in the one error shape the code answers every error in. */
  private ObjectNode errorShaped(String where, JsonNode prose) {
    ObjectNode response = CodeDocument.errorResponse(prose.path("description").asText());
    prose.fieldNames().forEachRemaining(key -> {
      if (key.equals("headers")) {
        response.set(key, prose.get(key).deepCopy());
      } else if (!key.equals("description")) {
        problems.add("overlay: " + where + " sets '" + key + "'; an error's body is the code's one error shape");
      }
    });
    return response;
  }

  private void mergeResponse(String where, ObjectNode success, JsonNode prose, boolean open) {
    for (Map.Entry<String, JsonNode> entry : prose.properties()) {
      switch (entry.getKey()) {
        case "description" -> success.set("description", entry.getValue().deepCopy());
        case "headers" -> success.set("headers", entry.getValue().deepCopy());
        case "content" -> {
          if (!success.has("content")) {
            problems.add("overlay: " + where + " describes a body, but the code declares none");
          } else {
            mergeContent(where, (ObjectNode) success.get("content"), entry.getValue(), open);
          }
        }
        default -> problems.add("overlay: " + where + " sets '" + entry.getKey() + "', which it may not");
      }
    }
  }

  private static String successes(ObjectNode responses) {
    List<String> codes = new ArrayList<>();
    responses.fieldNames().forEachRemaining(code -> {
      if (code.startsWith("2")) {
        codes.add(code);
      }
    });
    return String.join(", ", codes);
  }

  private static void sortResponses(ObjectNode responses) {
    Map<String, JsonNode> sorted = new TreeMap<>((a, b) -> a.equals("default") ? 1 : b.equals("default") ? -1
        : a.compareTo(b));
    responses.properties().forEach(entry -> sorted.put(entry.getKey(), entry.getValue()));
    responses.removeAll();
    sorted.forEach(responses::set);
  }

  // ---- schemas

  /**
   * A schema the prose names ({@code $ref}) but no resource method reaches, such as the body of a
   * method that returns a {@code Response}: generated from the class of that name in the model
   * packages, or a problem when there is none.
   */
  private void resolveSchemasFromCode() {
    Set<String> wanted = new LinkedHashSet<>();
    references(document, wanted);
    overlay.path("components").path("schemas").fieldNames().forEachRemaining(wanted::add);
    ObjectNode schemas = (ObjectNode) document.path("components").path("schemas");
    for (String name : wanted) {
      if (schemas.has(name)) {
        continue;
      }
      Optional<Class<?>> type = CodeDocument.modelClass(name);
      if (type.isEmpty() || type.get().isEnum()) {
        problems.add("overlay: schema " + name + " is named, but no class of the code is called that"
            + (type.isPresent() ? " (an enum is written out where it is used)" : ""));
        continue;
      }
      Set<String> added = CodeDocument.addSchemas(document, type.get());
      SchemaNames.apply(document, problems);
      addedRecords(type.get(), new LinkedHashSet<>()).stream()
          .filter(cls -> added.contains(SchemaNames.of(cls.getSimpleName())))
          .forEach(cls -> CodeDocument.describeRecord(document, cls, false, CodeDocument.isRepresentation(cls)));
    }
  }

  /** {@code type} and the records its components hold, directly or in a collection. */
  private static Set<Class<?>> addedRecords(Class<?> type, Set<Class<?>> seen) {
    if (type.isRecord() && seen.add(type)) {
      for (RecordComponent component : type.getRecordComponents()) {
        if (component.getGenericType() instanceof ParameterizedType generic) {
          for (Type argument : generic.getActualTypeArguments()) {
            if (argument instanceof Class<?> element) {
              addedRecords(element, seen);
            }
          }
        }
        addedRecords(component.getType(), seen);
      }
    }
    return seen;
  }

  private void mergeSchemas() {
    ObjectNode schemas = (ObjectNode) document.path("components").path("schemas");
    for (Map.Entry<String, JsonNode> entry : overlay.path("components").path("schemas").properties()) {
      if (!(schemas.get(entry.getKey()) instanceof ObjectNode schema)) {
        continue; // reported by resolveSchemasFromCode
      }
      String where = "schema " + entry.getKey();
      for (Map.Entry<String, JsonNode> key : entry.getValue().properties()) {
        switch (key.getKey()) {
          case "description", "example" -> schema.set(key.getKey(), key.getValue().deepCopy());
          case "required" -> mergeRequired(where, schema, key.getValue());
          case "properties" -> mergeProperties(where, schema, key.getValue());
          default -> problems.add("overlay: " + where + " sets '" + key.getKey() + "', which comes from the code");
        }
      }
    }
  }

  private void mergeRequired(String where, ObjectNode schema, JsonNode required) {
    Set<String> names = new LinkedHashSet<>();
    schema.path("required").forEach(name -> names.add(name.asText()));
    for (JsonNode name : required) {
      if (!schema.path("properties").has(name.asText())) {
        problems.add("overlay: " + where + " requires '" + name.asText() + "', which it does not have");
      } else {
        names.add(name.asText());
      }
    }
    ArrayNode list = schema.putArray("required");
    names.forEach(list::add);
  }

  private void mergeProperties(String where, ObjectNode schema, JsonNode properties) {
    for (Map.Entry<String, JsonNode> entry : properties.properties()) {
      JsonNode generated = schema.path("properties").get(entry.getKey());
      if (!(generated instanceof ObjectNode property)) {
        problems.add("overlay: " + where + " describes property '" + entry.getKey() + "', which the code does not have");
        continue;
      }
      ((ObjectNode) schema.get("properties")).set(entry.getKey(),
          mergeSchema(where + " property '" + entry.getKey() + "'", property, entry.getValue()));
    }
  }

  /**
   * The generated schema with the overlay's words and rules. A {@code $ref} of the overlay may name
   * an enum of the code for a text field ({@code RunKind} for a run's {@code kind}): its values are
   * written out, as the code names them.
   */
  private ObjectNode mergeSchema(String where, ObjectNode generated, JsonNode prose) {
    ObjectNode target = generated;
    for (Map.Entry<String, JsonNode> entry : prose.properties()) {
      String key = entry.getKey();
      JsonNode value = entry.getValue();
      if (!SCHEMA_PROSE.contains(key)) {
        problems.add("overlay: " + where + " sets '" + key + "', which comes from the code");
      } else if (key.equals("$ref")) {
        target = enumOf(where, target, value.asText());
      } else if (key.equals("items")) {
        if (target.get("items") instanceof ObjectNode itemSchema) {
          target.set("items", mergeSchema(where + " items", itemSchema, value));
        } else {
          problems.add("overlay: " + where + " describes items, but it is not an array");
        }
      } else if (key.equals("description")) {
        target = withKeyword(target, key, value);
      } else if (!fits(where, target, key, value)) {
        continue;
      } else if (key.equals("example")) {
        target = withKeyword(target, key, value);
      } else {
        JsonNode code = target.get(key);
        if (code != null && !code.equals(value)) {
          problems.add("overlay: " + where + " says " + key + " " + value + ", but the code says " + code);
        } else {
          target = withKeyword(target, key, value);
        }
      }
    }
    return target;
  }

  /** Whether a rule or value of the overlay fits the type the code gives the field. */
  private boolean fits(String where, ObjectNode schema, String key, JsonNode value) {
    String type = schema.path("type").asText("");
    Set<String> types = RULE_TYPES.get(key);
    if (types != null && !types.contains(type)) {
      problems.add("overlay: " + where + " sets " + key + ", which does not apply to its type ("
          + (type.isEmpty() ? "an object" : type) + ")");
      return false;
    }
    List<JsonNode> values = new ArrayList<>();
    if (key.equals("enum")) {
      value.forEach(values::add);
    } else if (key.equals("default") || key.equals("example")) {
      values.add(value);
    }
    for (JsonNode one : values) {
      boolean ok = switch (type) {
        case "string" -> one.isTextual();
        case "integer" -> one.isIntegralNumber();
        case "number" -> one.isNumber();
        case "boolean" -> one.isBoolean();
        case "array" -> one.isArray();
        default -> true;
      };
      if (!ok) {
        problems.add("overlay: " + where + " gives " + key + " " + one + ", which is not of its type, " + type);
        return false;
      }
    }
    return true;
  }

  /** A text field whose values are those of an enum of the code. */
  private ObjectNode enumOf(String where, ObjectNode generated, String ref) {
    String name = ref.startsWith(CodeDocument.SCHEMAS) ? ref.substring(CodeDocument.SCHEMAS.length()) : ref;
    Optional<Class<?>> type = CodeDocument.modelClass(name);
    if (type.isEmpty() || !type.get().isEnum() || !"string".equals(generated.path("type").asText())) {
      problems.add("overlay: " + where + " refers to " + ref + "; only an enum of the code can refine a text field");
      return generated;
    }
    ArrayNode values = generated.putArray("enum");
    for (Object constant : type.get().getEnumConstants()) {
      values.add(Json.mapper().convertValue(constant, String.class));
    }
    return generated;
  }

  /** OpenAPI 3.0 ignores what stands beside a $ref: a reference that gets words becomes an allOf of one. */
  private static ObjectNode withKeyword(ObjectNode schema, String key, JsonNode value) {
    if (schema.has("$ref")) {
      ObjectNode wrapped = NODES.objectNode();
      wrapped.putArray("allOf").add(schema);
      return wrapped.set(key, value.deepCopy());
    }
    return schema.set(key, value.deepCopy());
  }

  // ---- components.responses, references, operation ids

  /**
   * The overlay's shared responses that operations refer to (errors; a shared success was written
   * into each operation), and its words for the code's own ones.
   */
  private void mergeComponentResponses() {
    ObjectNode responses = document.withObjectProperty("components").withObjectProperty("responses");
    Set<String> referenced = new HashSet<>();
    references(document.get("paths"), referenced, RESPONSES);
    for (Map.Entry<String, JsonNode> entry : overlay.path("components").path("responses").properties()) {
      if (responses.get(entry.getKey()) instanceof ObjectNode code) {
        if (entry.getValue().has("description")) {
          code.set("description", entry.getValue().get("description").deepCopy());
        }
      } else if (referenced.contains(entry.getKey())) {
        responses.set(entry.getKey(), errorShaped("response " + entry.getKey(), entry.getValue()));
      } else if (!usedResponses.contains(entry.getKey())) {
        problems.add("overlay: response " + entry.getKey() + " is defined but no operation uses it");
      }
    }
    overlay.path("components").path("parameters").fieldNames().forEachRemaining(name -> {
      if (!usedParameters.contains(name)) {
        problems.add("overlay: parameter " + name + " is defined but no operation the code has uses it");
      }
    });
    overlay.path("components").fieldNames().forEachRemaining(key -> {
      if (!Set.of("parameters", "responses", "schemas").contains(key)) {
        problems.add("overlay: components." + key + " is not prose; the generator writes it from the code");
      }
    });
  }

  private static void references(JsonNode node, Set<String> names) {
    references(node, names, CodeDocument.SCHEMAS);
  }

  private static void references(JsonNode node, Set<String> names, String prefix) {
    if (node == null) {
      return;
    }
    if (node.isObject()) {
      node.properties().forEach(field -> {
        if (field.getKey().equals("$ref") && field.getValue().asText().startsWith(prefix)) {
          names.add(field.getValue().asText().substring(prefix.length()));
        } else {
          references(field.getValue(), names, prefix);
        }
      });
    } else if (node.isArray()) {
      node.forEach(child -> references(child, names, prefix));
    }
  }

  private void checkReferences(JsonNode node, String where) {
    if (node.isObject()) {
      node.properties().forEach(field -> {
        if (field.getKey().equals("$ref") && field.getValue().isTextual()) {
          String ref = field.getValue().asText();
          if (!ref.startsWith("#/") || document.at(ref.substring(1)).isMissingNode()) {
            problems.add("document: " + where + " refers to " + ref + ", which the document does not define");
          }
        } else {
          checkReferences(field.getValue(), where.isEmpty() ? field.getKey() : where + "/" + field.getKey());
        }
      });
    } else if (node.isArray()) {
      node.forEach(child -> checkReferences(child, where));
    }
  }

  private void checkOperationIds() {
    Set<String> seen = new HashSet<>();
    document.path("paths").forEach(path -> path.forEach(operation -> {
      String id = operation.path("operationId").asText(null);
      if (id != null && !seen.add(id)) {
        problems.add("document: operationId " + id + " is used twice");
      }
    }));
  }

  private static String names(JsonNode object) {
    List<String> names = new ArrayList<>();
    object.fieldNames().forEachRemaining(names::add);
    return names.isEmpty() ? "none" : String.join(", ", names);
  }
}
