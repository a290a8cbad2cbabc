package dev.lifeboat.api.openapi;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks a JSON value against an OpenAPI 3.0 schema of a document, strictly enough to catch drift
 * between the document and what the server writes: types, formats of times, enums, required and
 * nullable fields, and no field the schema does not list (unless it allows additional ones).
 */
final class SchemaCheck {
  private final JsonNode document;
  private final List<String> errors = new ArrayList<>();

  private SchemaCheck(JsonNode document) {
    this.document = document;
  }

  /** What in {@code value} the schema does not allow, each with where it is; empty when it fits. */
  static List<String> errors(JsonNode document, JsonNode schema, JsonNode value) {
    SchemaCheck check = new SchemaCheck(document);
    check.check(schema, value, "$");
    return check.errors;
  }

  private void check(JsonNode schema, JsonNode value, String at) {
    if (schema.has("$ref")) {
      JsonNode target = document.at(schema.get("$ref").asText().substring(1));
      if (target.isMissingNode()) {
        errors.add(at + ": " + schema.get("$ref").asText() + " is not in the document");
        return;
      }
      check(target, value, at);
      return;
    }
    if (value.isNull()) {
      if (!schema.path("nullable").asBoolean(false) && schema.has("type")) {
        errors.add(at + ": null, but the schema is not nullable");
      }
      return;
    }
    for (JsonNode part : schema.path("allOf")) {
      check(part, value, at);
    }
    String type = schema.path("type").asText("");
    switch (type) {
      case "object" -> object(schema, value, at);
      case "array" -> {
        if (!value.isArray()) {
          errors.add(at + ": " + value.getNodeType() + ", documented as an array");
        } else if (schema.has("items")) {
          for (int i = 0; i < value.size(); i++) {
            check(schema.get("items"), value.get(i), at + "[" + i + "]");
          }
        }
      }
      case "string" -> {
        if (!value.isTextual()) {
          errors.add(at + ": " + value + ", documented as a string");
        } else if ("date-time".equals(schema.path("format").asText())) {
          try {
            OffsetDateTime.parse(value.asText());
          } catch (DateTimeParseException e) {
            errors.add(at + ": " + value + " is not an ISO-8601 date-time");
          }
        }
      }
      case "integer" -> {
        if (!value.isIntegralNumber()) {
          errors.add(at + ": " + value + ", documented as an integer");
        }
      }
      case "number" -> {
        if (!value.isNumber()) {
          errors.add(at + ": " + value + ", documented as a number");
        }
      }
      case "boolean" -> {
        if (!value.isBoolean()) {
          errors.add(at + ": " + value + ", documented as a boolean");
        }
      }
      default -> {
        if (schema.has("properties")) {
          object(schema, value, at);
        }
      }
    }
    if (schema.has("enum")) {
      boolean listed = false;
      for (JsonNode allowed : schema.get("enum")) {
        listed |= allowed.equals(value);
      }
      if (!listed) {
        errors.add(at + ": " + value + " is not one of " + schema.get("enum"));
      }
    }
  }

  private void object(JsonNode schema, JsonNode value, String at) {
    if (!value.isObject()) {
      errors.add(at + ": " + value.getNodeType() + ", documented as an object");
      return;
    }
    JsonNode properties = schema.path("properties");
    for (JsonNode name : schema.path("required")) {
      if (!value.has(name.asText())) {
        errors.add(at + ": required field '" + name.asText() + "' is missing");
      }
    }
    value.properties().forEach(field -> {
      String where = at + "." + field.getKey();
      if (properties.has(field.getKey())) {
        check(properties.get(field.getKey()), field.getValue(), where);
      } else if (schema.path("additionalProperties").isObject()) {
        check(schema.get("additionalProperties"), field.getValue(), where);
      } else if (!schema.path("additionalProperties").asBoolean(false) && properties.size() > 0) {
        errors.add(where + ": the server writes a field the document does not list");
      }
    });
  }
}
