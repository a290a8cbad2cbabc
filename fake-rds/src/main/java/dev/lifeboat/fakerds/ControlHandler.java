package dev.lifeboat.fakerds;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.format.DateTimeParseException;

/** The JSON control surface under {@code /_fake/} (see {@link FakeRds} for its fields). */
final class ControlHandler implements HttpHandler {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_BODY = 64 * 1024;

  private final Faults faults;
  private final Stats stats;

  ControlHandler(Faults faults, Stats stats) {
    this.faults = faults;
    this.stats = stats;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getPath();
      String method = exchange.getRequestMethod();
      try {
        if (path.equals("/_fake/stats") && method.equals("GET")) {
          send(exchange, 200, statsJson());
        } else if (path.equals("/_fake/stats/reset") && method.equals("POST")) {
          stats.reset();
          send(exchange, 200, statsJson());
        } else if (path.equals("/_fake/faults") && method.equals("GET")) {
          send(exchange, 200, faultsJson());
        } else if (path.equals("/_fake/faults") && method.equals("POST")) {
          apply(read(exchange));
          send(exchange, 200, faultsJson());
        } else {
          send(exchange, 404, message("no such control: " + method + " " + path
              + " (GET /_fake/stats, POST /_fake/stats/reset, GET|POST /_fake/faults)"));
        }
      } catch (IllegalArgumentException e) {
        send(exchange, 400, message(e.getMessage()));
      }
    }
  }

  private void apply(JsonNode body) {
    if (!body.isObject()) {
      throw new IllegalArgumentException("the body must be a JSON object");
    }
    if (body.path("clear").asBoolean(false)) {
      faults.clear();
    }
    if (body.has("throttleEveryNth")) {
      faults.throttleEveryNth(body.get("throttleEveryNth").asInt());
    }
    if (body.has("latency")) {
      faults.latency(duration(body.get("latency")));
    }
    if (body.has("stuckCopies")) {
      faults.stuckCopies(body.get("stuckCopies").asBoolean());
    }
    if (body.has("copyDelay")) {
      faults.copyDelay(duration(body.get("copyDelay")));
    }
    if (body.has("manualSnapshotQuota")) {
      faults.manualSnapshotQuota(body.get("manualSnapshotQuota").asInt());
    }
    JsonNode fail = body.path("failNext");
    for (JsonNode f : fail.isArray() ? fail : JSON.createArrayNode().add(fail)) {
      if (f.isMissingNode() || f.isNull()) {
        continue;
      }
      String action = f.path("action").asText(null);
      String code = f.path("code").asText(null);
      if (action == null || code == null) {
        throw new IllegalArgumentException("failNext needs action and code");
      }
      faults.failNext(action, code, f.path("message").asText(code), f.path("httpStatus").asInt(400));
    }
  }

  /** Milliseconds as a number, or an ISO-8601 duration such as {@code "PT2S"}. */
  private static Duration duration(JsonNode node) {
    if (node.isNumber()) {
      return Duration.ofMillis(node.asLong());
    }
    try {
      return Duration.parse(node.asText());
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("a duration is milliseconds or ISO-8601 (PT2S): " + node.asText());
    }
  }

  private String statsJson() {
    ObjectNode root = JSON.createObjectNode();
    ObjectNode calls = root.putObject("calls");
    stats.allCalls().forEach(calls::put);
    root.put("throttled", stats.throttled());
    ObjectNode now = root.putObject("copiesInFlight");
    stats.allCopiesInFlight().forEach(now::put);
    ObjectNode max = root.putObject("maxCopiesInFlight");
    stats.allMaxCopiesInFlight().forEach(max::put);
    return root.toString();
  }

  private String faultsJson() {
    ObjectNode root = JSON.createObjectNode();
    root.put("throttleEveryNth", faults.throttleEveryNth());
    root.put("latency", faults.latency().toMillis());
    root.put("stuckCopies", faults.stuckCopies());
    root.put("copyDelay", faults.copyDelay().toMillis());
    root.put("manualSnapshotQuota", faults.manualSnapshotQuota());
    ArrayNode pending = root.putArray("failNext");
    for (Faults.InjectedError e : faults.pendingErrors()) {
      pending.addObject().put("action", e.action()).put("code", e.code()).put("message", e.message())
          .put("httpStatus", e.httpStatus());
    }
    return root.toString();
  }

  private static String message(String text) {
    return JSON.createObjectNode().put("message", text).toString();
  }

  private static JsonNode read(HttpExchange exchange) throws IOException {
    try (InputStream in = exchange.getRequestBody()) {
      byte[] bytes = in.readNBytes(MAX_BODY);
      return JSON.readTree(bytes.length == 0 ? "{}" : new String(bytes, StandardCharsets.UTF_8));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("the body is not JSON: " + e.getOriginalMessage());
    }
  }

  private static void send(HttpExchange exchange, int status, String json) throws IOException {
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }
}
