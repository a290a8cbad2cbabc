package dev.lifeboat.app.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.StringJoiner;

/**
 * The REST API over {@link HttpClient}: JSON in and out, the caller known by its bearer token.
 * Failures become {@link ApiError} (the API answered an error) or {@link ApiUnreachable} (it did
 * not answer).
 */
final class ApiClient {
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
  /** Every call answers quickly: the API starts runs and returns, it never waits for one. */
  static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
  private static final int MAX_BODY_CHARS = 200;

  private final ClientSettings settings;
  private final String token;
  private final HttpClient http;
  private final ObjectMapper json;

  /** @throws MissingToken when {@code settings} hold no token: nothing is sent without one */
  ApiClient(ClientSettings settings, ObjectMapper json) {
    this.settings = settings;
    this.token = settings.requireToken();
    this.json = json;
    // HTTP/1.1: no h2c upgrade dance with Jetty or a proxy in between.
    this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(CONNECT_TIMEOUT).build();
  }

  JsonNode get(String path) {
    return send("GET", path, HttpRequest.newBuilder(uri(path)).GET());
  }

  /** POSTs {@code body} as JSON; a null body sends none (for endpoints that take none). */
  JsonNode post(String path, JsonNode body) {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri(path));
    if (body == null) {
      request.POST(HttpRequest.BodyPublishers.noBody());
    } else {
      request.header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(write(body), StandardCharsets.UTF_8));
    }
    return send("POST", path, request);
  }

  String base() {
    return settings.api().toString();
  }

  /** One path segment, e.g. a run id typed by a user, that must not change the path. */
  static String segment(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** {@code path?name=value&...} with the values that are set, encoded. */
  static String withQuery(String path, Map<String, ?> parameters) {
    StringJoiner query = new StringJoiner("&", "?", "").setEmptyValue("");
    parameters.forEach((name, value) -> {
      if (value != null) {
        query.add(name + "=" + URLEncoder.encode(String.valueOf(value), StandardCharsets.UTF_8));
      }
    });
    return path + query;
  }

  private URI uri(String path) {
    return URI.create(base() + path);
  }

  private JsonNode send(String method, String path, HttpRequest.Builder request) {
    request.timeout(REQUEST_TIMEOUT).header("Accept", "application/json").header("Authorization", "Bearer " + token);
    HttpResponse<String> response;
    try {
      response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new ApiUnreachable("cannot reach the Lifeboat API at " + base() + " (" + describe(e) + "); "
          + "is it running? Point the CLI at it with --api or " + ClientSettings.ENV_API + ".");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ApiUnreachable("interrupted while waiting for " + method + " " + path);
    }
    int status = response.statusCode();
    if (status >= 200 && status < 300) {
      return read(response.body());
    }
    throw error(status, method, path, response.body());
  }

  private ApiError error(int status, String method, String path, String body) {
    JsonNode parsed = null;
    try {
      parsed = body == null || body.isBlank() ? null : json.readTree(body);
    } catch (JsonProcessingException e) {
      // not the API's error shape: shown as text below
    }
    if (parsed != null && parsed.path("error").isTextual()) {
      ApiError error = new ApiError(status, parsed.get("error").asText(), parsed.path("message").asText(""),
          parsed.path("details"));
      // Which token was refused: a stale LIFEBOAT_TOKEN of an earlier dev home is the usual case.
      return status == 401 ? error.withHint("(The CLI sent the token from " + settings.tokenSource() + ".)") : error;
    }
    String text = body == null ? "" : body.strip().replaceAll("\\s+", " ");
    if (text.length() > MAX_BODY_CHARS) {
      text = text.substring(0, MAX_BODY_CHARS) + "...";
    }
    return new ApiError(status, "HTTP " + status, method + " " + path + " was answered "
        + (text.isEmpty() ? "without a body" : "with: " + text), null);
  }

  private JsonNode read(String body) {
    try {
      return body == null || body.isBlank() ? json.nullNode() : json.readTree(body);
    } catch (JsonProcessingException e) {
      throw new ApiError(0, "INVALID_RESPONSE", "the API at " + base() + " answered something that is not JSON; "
          + "is --api pointing at Lifeboat?", null);
    }
  }

  private String write(JsonNode body) {
    try {
      return json.writeValueAsString(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String describe(IOException e) {
    if (e instanceof HttpConnectTimeoutException) {
      return "no connection within " + CONNECT_TIMEOUT.toSeconds() + " s";
    }
    if (e instanceof HttpTimeoutException) {
      return "no answer within " + REQUEST_TIMEOUT.toSeconds() + " s";
    }
    if (e instanceof ConnectException) {
      return e.getCause() instanceof UnresolvedAddressException ? "unknown host" : "connection refused";
    }
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }
}
