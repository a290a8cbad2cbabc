package dev.lifeboat.api.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Takes secrets out of text kept for later (the audit log): values of fields whose name says
 * secret, passwords inside connection strings and URLs, bearer tokens and Lifeboat tokens.
 */
public final class Secrets {
  public static final String MASK = "***";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern SECRET_FIELD = Pattern.compile(
      "(?i).*(password|passwd|secret|token|credential|apikey|api_key|private_?key|authorization).*");
  /** {@code postgresql://user:pw@host}, {@code https://user:pw@host}. */
  private static final Pattern URL_PASSWORD = Pattern.compile("(?i)(\\b[a-z][a-z0-9+.-]*://[^:/@\\s\"]+:)[^\\s\"]+(@)");
  /** {@code "password": "..."} in text that is not valid JSON (kept as sent by the audit log). */
  private static final Pattern JSON_SECRET = Pattern.compile("(?i)(\"[^\"]*"
      + "(?:password|passwd|secret|token|credential|apikey|api_key|private_?key|authorization)"
      + "[^\"]*\"\\s*:\\s*\")(?:[^\"\\\\]|\\\\.)*(\")");
  /** libpq {@code password=...} and JDBC {@code ?password=...&}. */
  private static final Pattern KEY_VALUE_PASSWORD = Pattern.compile("(?i)(\\bpassword\\s*=\\s*)('[^']*'|[^\\s&;\"]+)");
  private static final Pattern BEARER = Pattern.compile("(?i)(\\bbearer\\s+)[A-Za-z0-9._~+/=-]+");
  private static final Pattern LIFEBOAT_TOKEN = Pattern.compile("\\blbt_[A-Za-z0-9_-]{10,}");
  private static final Pattern JWT = Pattern.compile("\\beyJ[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+");

  private Secrets() {}

  /** The body with secrets masked: JSON stays JSON (fields masked by name), other text by pattern. */
  public static String redact(String body) {
    if (body == null || body.isEmpty()) {
      return body;
    }
    try {
      JsonNode tree = JSON.readTree(body);
      if (tree != null && (tree.isObject() || tree.isArray())) {
        return JSON.writeValueAsString(redact(tree));
      }
    } catch (JsonProcessingException e) {
      // not JSON: masked as plain text below
    }
    return redactText(body);
  }

  public static String redactText(String text) {
    String masked = JSON_SECRET.matcher(text).replaceAll("$1" + MASK + "$2");
    masked = URL_PASSWORD.matcher(masked).replaceAll("$1" + MASK + "$2");
    masked = KEY_VALUE_PASSWORD.matcher(masked).replaceAll("$1" + MASK);
    masked = BEARER.matcher(masked).replaceAll("$1" + MASK);
    masked = LIFEBOAT_TOKEN.matcher(masked).replaceAll(MASK);
    return JWT.matcher(masked).replaceAll(MASK);
  }

  private static JsonNode redact(JsonNode node) {
    if (node instanceof ObjectNode object) {
      List<Map.Entry<String, JsonNode>> fields = new ArrayList<>();
      object.fields().forEachRemaining(fields::add);
      for (Map.Entry<String, JsonNode> field : fields) {
        if (SECRET_FIELD.matcher(field.getKey()).matches() && !field.getValue().isNull()) {
          object.set(field.getKey(), TextNode.valueOf(MASK));
        } else {
          object.set(field.getKey(), redact(field.getValue()));
        }
      }
      return object;
    }
    if (node instanceof ArrayNode array) {
      for (int i = 0; i < array.size(); i++) {
        array.set(i, redact(array.get(i)));
      }
      return array;
    }
    if (node.isTextual()) {
      return TextNode.valueOf(redactText(node.asText()));
    }
    return node;
  }
}
