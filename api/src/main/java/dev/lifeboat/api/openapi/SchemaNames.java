package dev.lifeboat.api.openapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The names schemas go by in the document: a representation without its Java suffix
 * ({@code RunView} is {@code Run}), the error body as {@code Error}; request bodies keep theirs
 * ({@code RestoreBody}). Applied to swagger-core's output, references included.
 */
final class SchemaNames {
  private SchemaNames() {}

  static String of(String javaName) {
    if (javaName.equals("ErrorBody")) {
      return CodeDocument.ERROR_SCHEMA;
    }
    return javaName.endsWith("View") && javaName.length() > "View".length()
        ? javaName.substring(0, javaName.length() - "View".length()) : javaName;
  }

  /** Renames the schemas under components and every reference to them; a clash is a problem, not a silent merge. */
  static void apply(ObjectNode document, List<String> problems) {
    JsonNode node = document.path("components").path("schemas");
    if (!(node instanceof ObjectNode schemas)) {
      return;
    }
    ObjectNode renamed = schemas.objectNode();
    List<String> names = new ArrayList<>();
    schemas.fieldNames().forEachRemaining(names::add);
    for (String name : names) {
      String wanted = of(name);
      if (!wanted.equals(name) && schemas.has(wanted)) {
        problems.add("schema " + name + " would be named " + wanted + ", which another type already is");
        renamed.set(name, schemas.get(name));
      } else {
        renamed.set(wanted, schemas.get(name));
      }
    }
    schemas.removeAll();
    schemas.setAll(renamed);
    renameReferences(document);
  }

  static void renameReferences(JsonNode node) {
    if (node instanceof ObjectNode object) {
      for (Map.Entry<String, JsonNode> field : object.properties()) {
        String ref = field.getValue().asText();
        if (field.getKey().equals("$ref") && field.getValue().isTextual() && ref.startsWith(CodeDocument.SCHEMAS)) {
          field.setValue(TextNode.valueOf(CodeDocument.SCHEMAS + of(ref.substring(CodeDocument.SCHEMAS.length()))));
        } else {
          renameReferences(field.getValue());
        }
      }
    } else if (node != null && node.isArray()) {
      node.forEach(SchemaNames::renameReferences);
    }
  }
}
