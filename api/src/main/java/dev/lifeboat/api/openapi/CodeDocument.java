package dev.lifeboat.api.openapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lifeboat.api.audit.AuditFilter;
import dev.lifeboat.api.auth.AccessRole;
import dev.lifeboat.api.views.ErrorBody;
import dev.lifeboat.common.ErrorType;
import io.swagger.v3.core.converter.AnnotatedType;
import io.swagger.v3.core.converter.ModelConverters;
import io.swagger.v3.core.util.Json;
import io.swagger.v3.jaxrs2.Reader;
import io.swagger.v3.oas.integration.SwaggerConfiguration;
import io.swagger.v3.oas.models.OpenAPI;
import jakarta.ws.rs.core.Response;
import java.lang.annotation.Annotation;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The document as the code alone tells it. swagger-core's JAX-RS reader turns the resource classes
 * and their Jackson models into paths, parameters, request bodies and schemas; then what only
 * Lifeboat's own conventions say is added: the role each operation needs ({@code @Allowed},
 * {@code @PublicEndpoint}) as security, the one error shape, 401/403/413, success statuses, and
 * which fields of a representation are always written and which may be null.
 */
final class CodeDocument {
  static final String SCHEMAS = "#/components/schemas/";
  static final String ERROR_SCHEMA = "Error";
  static final String ERROR_RESPONSE = "#/components/responses/Error";
  static final String BEARER = "bearer";
  /** The role an operation needs, for programs; the description says it for people. */
  static final String ROLE_EXTENSION = "x-required-role";
  /**
   * The success of a method that returns a {@code Response}: its signature names neither status
   * nor body, so the prose overlay must; until it does the document says "some 2xx".
   */
  static final String UNKNOWN_SUCCESS = "2XX";
  static final String OPENAPI_VERSION = "3.0.3";

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final Set<String> READ_ONLY = Set.of("GET", "HEAD", "OPTIONS");
  /** Where a schema the code does not reach from a resource method may be looked up by name. */
  private static final List<String> MODEL_PACKAGES = List.of("dev.lifeboat.api.views", "dev.lifeboat.common.model");

  private CodeDocument() {}

  static ObjectNode generate(List<ResourceOperation> operations, List<String> problems) {
    Set<Class<?>> resources = new LinkedHashSet<>();
    operations.forEach(operation -> resources.add(operation.resource()));
    OpenAPI model = new Reader(new SwaggerConfiguration().openAPI(new OpenAPI())).read(resources);
    ObjectNode read = Json.mapper().valueToTree(model);

    ObjectNode document = NODES.objectNode();
    document.put("openapi", OPENAPI_VERSION);
    document.set("paths", read.has("paths") ? read.get("paths") : NODES.objectNode());
    ObjectNode components = document.putObject("components");
    components.set("schemas", read.at("/components/schemas").isObject()
        ? read.at("/components/schemas") : NODES.objectNode());

    addSchemas(document, ErrorBody.class);
    SchemaNames.apply(document, problems);
    errorShape(document);

    Map<Class<?>, Boolean> records = new LinkedHashMap<>();
    records.put(ErrorBody.class, false);
    for (ResourceOperation operation : operations) {
      collectRecords(operation.method().getGenericReturnType(), false, records);
      requestBodyType(operation.method()).ifPresent(body -> collectRecords(body, true, records));
    }
    records.forEach((type, request) -> describeRecord(document, type, request, !request));

    for (ResourceOperation operation : operations) {
      JsonNode node = document.path("paths").path(operation.path()).path(operation.documentMethod());
      if (!(node instanceof ObjectNode op)) {
        problems.add("swagger-core did not read " + operation.key() + " (" + operation.resource().getSimpleName()
            + "." + operation.method().getName() + ")");
        continue;
      }
      op.put("operationId", operation.defaultOperationId());
      op.set("tags", NODES.arrayNode().add(operation.defaultTag()));
      responses(op, operation);
    }

    components.set("responses", NODES.objectNode().set("Error", errorResponse(
        "Any other error, in the one error shape: its `error` field names the type (METHOD_NOT_ALLOWED, "
            + "INTERNAL with details.errorId ...).")));
    components.putObject("securitySchemes").set(BEARER, NODES.objectNode()
        .put("type", "http")
        .put("scheme", "bearer")
        .put("description", "A static token of the configuration (`lbt_...`; `lifeboat dev` prints one per role) "
            + "or a JWT of the configured OIDC issuer. Roles: " + AccessRole.names(EnumSet.allOf(AccessRole.class))
            + "; admin holds every role's rights, and any role may read."));
    return document;
  }

  /**
   * Adds the schema of {@code type} and of everything it refers to that is not there yet, under
   * swagger-core's names (for {@link SchemaNames#apply} to rename); answers their document names.
   */
  static Set<String> addSchemas(ObjectNode document, Class<?> type) {
    ObjectNode schemas = document.withObjectProperty("components").withObjectProperty("schemas");
    Set<String> added = new LinkedHashSet<>();
    ModelConverters.getInstance(false).readAll(new AnnotatedType(type)).forEach((name, schema) -> {
      if (!schemas.has(name) && !schemas.has(SchemaNames.of(name))) {
        schemas.set(name, Json.mapper().valueToTree(schema));
        added.add(SchemaNames.of(name));
      }
    });
    return added;
  }

  /** Whether the API writes {@code type} itself (a representation of api/views), not a payload it passes on. */
  static boolean isRepresentation(Class<?> type) {
    return type.getPackageName().equals(ErrorBody.class.getPackageName());
  }

  /** The class of the model packages a schema name stands for: {@code Run} is {@code RunView}. */
  static Optional<Class<?>> modelClass(String schemaName) {
    List<String> candidates = schemaName.equals(ERROR_SCHEMA)
        ? List.of(ErrorBody.class.getSimpleName()) : List.of(schemaName + "View", schemaName);
    for (String pkg : MODEL_PACKAGES) {
      for (String candidate : candidates) {
        try {
          return Optional.of(Class.forName(pkg + "." + candidate, false, CodeDocument.class.getClassLoader()));
        } catch (ClassNotFoundException e) {
          // not in this package
        }
      }
    }
    return Optional.empty();
  }

  /** The one error shape: {@code error} is an {@link ErrorType} name. */
  private static void errorShape(ObjectNode document) {
    JsonNode error = document.at("/components/schemas/" + ERROR_SCHEMA + "/properties/error");
    if (error instanceof ObjectNode property) {
      ArrayNode names = property.putArray("enum");
      Arrays.stream(ErrorType.values()).map(Enum::name).forEach(names::add);
    }
  }

  /**
   * A representation the API writes ({@code writtenWhole}: Jackson writes every component) has all
   * its fields present, and one of reference type may be null. A request body may leave any field
   * out (which ones it must not is the validators' business, told by the overlay) and may not add one.
   */
  static void describeRecord(ObjectNode document, Class<?> type, boolean request, boolean writtenWhole) {
    JsonNode node = document.path("components").path("schemas").path(SchemaNames.of(type.getSimpleName()));
    if (!(node instanceof ObjectNode schema) || !(schema.get("properties") instanceof ObjectNode properties)) {
      return;
    }
    ArrayNode required = NODES.arrayNode();
    for (RecordComponent component : type.getRecordComponents()) {
      JsonNode property = properties.get(component.getName());
      if (property == null) {
        continue;
      }
      required.add(component.getName());
      if (component.getType() == Object.class) {
        // any JSON, or text: swagger-core's "object" would be wrong
        properties.set(component.getName(), NODES.objectNode());
        property = properties.get(component.getName());
      } else if (valuesAreAnything(component.getGenericType())) {
        ((ObjectNode) property).set("additionalProperties", NODES.objectNode());
      }
      if (!component.getType().isPrimitive() && !request) {
        properties.set(component.getName(), nullable((ObjectNode) property));
      }
    }
    if (writtenWhole && !required.isEmpty()) {
      schema.set("required", required);
    }
    if (request) {
      // LifeboatApi makes Jackson refuse fields a body does not have: a misspelt one is a 400, not a default
      schema.put("additionalProperties", false);
    }
  }

  /** {@code Map<String, Object>}: values of any JSON type, not swagger-core's "object". */
  private static boolean valuesAreAnything(Type type) {
    return type instanceof ParameterizedType map && Map.class.isAssignableFrom((Class<?>) map.getRawType())
        && map.getActualTypeArguments().length == 2 && map.getActualTypeArguments()[1] == Object.class;
  }

  /** OpenAPI 3.0 ignores keywords beside a $ref, so a nullable reference is an allOf of one. */
  private static ObjectNode nullable(ObjectNode property) {
    if (property.has("$ref")) {
      ObjectNode wrapped = NODES.objectNode();
      wrapped.putArray("allOf").add(property);
      return wrapped.put("nullable", true);
    }
    return property.put("nullable", true);
  }

  private static void collectRecords(Type type, boolean request, Map<Class<?>, Boolean> records) {
    if (type instanceof ParameterizedType parameterized) {
      Arrays.stream(parameterized.getActualTypeArguments()).forEach(t -> collectRecords(t, request, records));
    } else if (type instanceof GenericArrayType array) {
      collectRecords(array.getGenericComponentType(), request, records);
    } else if (type instanceof Class<?> cls && cls.isRecord() && !records.containsKey(cls)) {
      records.put(cls, request);
      for (RecordComponent component : cls.getRecordComponents()) {
        collectRecords(component.getGenericType(), request, records);
      }
    }
  }

  /** The entity parameter: the one JAX-RS does not fill from the path, query, headers or context. */
  static Optional<Type> requestBodyType(Method method) {
    Annotation[][] annotations = method.getParameterAnnotations();
    for (int i = 0; i < annotations.length; i++) {
      boolean injected = Arrays.stream(annotations[i])
          .anyMatch(a -> a.annotationType().getPackageName().startsWith("jakarta.ws.rs"));
      if (!injected && !method.getParameterTypes()[i].getName().startsWith("jakarta.ws.rs.")) {
        return Optional.of(method.getGenericParameterTypes()[i]);
      }
    }
    return Optional.empty();
  }

  private static void responses(ObjectNode op, ResourceOperation operation) {
    ObjectNode read = op.get("responses") instanceof ObjectNode r ? r : NODES.objectNode();
    JsonNode content = read.path("default").path("content");
    ObjectNode responses = NODES.objectNode();
    Class<?> returns = operation.method().getReturnType();
    if (returns == void.class) {
      responses.set("204", NODES.objectNode().put("description", "Done; no body."));
    } else if (Response.class.isAssignableFrom(returns)) {
      ObjectNode unknown = NODES.objectNode().put("description", "Success; the status and body are described "
          + "by the prose overlay, since the method's signature does not name them.");
      if (content.isObject() && !content.isEmpty()) {
        unknown.set("content", content);
      }
      responses.set(UNKNOWN_SUCCESS, unknown);
    } else {
      ObjectNode ok = NODES.objectNode().put("description", "OK");
      if (content.isObject() && !content.isEmpty()) {
        ok.set("content", content);
      }
      responses.set("200", ok);
    }
    if (!operation.isPublic()) {
      ObjectNode unauthenticated = errorResponse(ErrorType.UNAUTHENTICATED.name() + ": no bearer token, or one this "
          + "server does not accept; the message says which. The WWW-Authenticate header carries the challenge.");
      unauthenticated.putObject("headers").putObject("WWW-Authenticate").putObject("schema").put("type", "string");
      responses.set("401", unauthenticated);
      responses.set("403", errorResponse(ErrorType.FORBIDDEN.name() + ": " + forbidden(operation)));
      op.putArray("security").addObject().putArray(BEARER);
      operation.role().ifPresent(role -> op.put(ROLE_EXTENSION, role.wireName()));
    }
    if (!READ_ONLY.contains(operation.httpMethod())) {
      responses.set("413", errorResponse(ErrorType.REQUEST_TOO_LARGE.name() + ": the body is larger than "
          + AuditFilter.MAX_BODY_BYTES / 1024 + " KiB."));
    }
    responses.set("default", NODES.objectNode().put("$ref", ERROR_RESPONSE));
    op.set("responses", responses);
  }

  static ObjectNode errorResponse(String description) {
    ObjectNode response = NODES.objectNode().put("description", description);
    response.putObject("content").putObject("application/json").putObject("schema").put("$ref", SCHEMAS + ERROR_SCHEMA);
    return response;
  }

  private static String forbidden(ResourceOperation operation) {
    return operation.role()
        .map(role -> "the caller holds none of the roles " + holders(role) + ".")
        .orElse("this operation declares no role, so nobody may call it (a defect of the server).");
  }

  /** What a person reads about access, appended to the operation's description. */
  static String access(ResourceOperation operation) {
    if (operation.isPublic()) {
      return "Access: public, no token needed.";
    }
    return operation.role()
        .map(role -> holders(role).equals(AccessRole.names(EnumSet.allOf(AccessRole.class)))
            ? "Access: a bearer token of any role (needs `" + role.wireName() + "`)."
            : "Access: a bearer token holding `" + role.wireName() + "`; roles that grant it: " + holders(role) + ".")
        .orElse("Access: nobody; the operation declares no role (a defect of the server).");
  }

  private static String holders(AccessRole required) {
    return Arrays.stream(AccessRole.values()).filter(role -> role.grants(required)).map(AccessRole::wireName)
        .collect(Collectors.joining(", "));
  }

  /** Appends the access sentence to every operation's description; run after the overlay, whose prose comes first. */
  static void describeAccess(ObjectNode document, List<ResourceOperation> operations) {
    for (ResourceOperation operation : operations) {
      JsonNode node = document.path("paths").path(operation.path()).path(operation.documentMethod());
      if (node instanceof ObjectNode op) {
        String prose = op.path("description").asText("").strip();
        op.put("description", prose.isEmpty() ? access(operation) : prose + "\n\n" + access(operation));
      }
    }
  }

  /** Every tag the operations use, the overlay's first in its order (with its descriptions). */
  static ArrayNode tags(ObjectNode document, JsonNode overlayTags) {
    ArrayNode tags = NODES.arrayNode();
    Set<String> listed = new LinkedHashSet<>();
    if (overlayTags != null && overlayTags.isArray()) {
      for (JsonNode tag : overlayTags) {
        tags.add(tag.deepCopy());
        listed.add(tag.path("name").asText());
      }
    }
    List<String> used = new ArrayList<>();
    for (JsonNode path : document.path("paths")) {
      for (JsonNode operation : path) {
        operation.path("tags").forEach(tag -> used.add(tag.asText()));
      }
    }
    used.stream().distinct().sorted().filter(listed::add).forEach(name -> tags.addObject().put("name", name));
    return tags;
  }
}
