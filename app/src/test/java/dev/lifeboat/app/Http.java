package dev.lifeboat.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lifeboat.api.auth.AccessRole;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.Function;

/** A small JSON client for the API under test. */
final class Http {
  record Response(int status, JsonNode body, String location) {}

  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String base;
  private final Function<AccessRole, String> tokens;

  /** @param tokens the bearer token of each role (the dev stack's {@code dev-<role>} callers) */
  Http(String base, Function<AccessRole, String> tokens) {
    this.base = base;
    this.tokens = tokens;
  }

  /** A GET as the viewer. */
  Response get(String path) {
    return getAs(AccessRole.VIEWER, path);
  }

  Response getAs(AccessRole role, String path) {
    return send(as(role, HttpRequest.newBuilder(URI.create(base + path)).GET()));
  }

  /** A POST with this exact bearer token (a forged one, say). */
  Response postWithToken(String token, String path, String json) {
    return send(HttpRequest.newBuilder(URI.create(base + path))
        .header("Content-Type", "application/json")
        .header("Authorization", "Bearer " + token)
        .POST(HttpRequest.BodyPublishers.ofString(json)));
  }

  /** The body of a GET as the viewer, as text (an HTML page, say). */
  String getText(String path) {
    try {
      HttpResponse<String> response = client.send(as(AccessRole.VIEWER, HttpRequest.newBuilder(URI.create(base + path))
          .GET()).timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new IllegalStateException("GET " + path + " answered " + response.statusCode() + ": " + response.body());
      }
      return response.body();
    } catch (IOException e) {
      throw new IllegalStateException("request failed: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** A POST as the operator ({@code dev-operator}). */
  Response post(String path, String json) {
    return postAs(AccessRole.OPERATOR, path, json);
  }

  /** A POST by the dev caller of {@code role} ({@code dev-<role>}). */
  Response postAs(AccessRole role, String path, String json) {
    return send(as(role, HttpRequest.newBuilder(URI.create(base + path))
        .header("Content-Type", "application/json")
        .POST(json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json))));
  }

  private HttpRequest.Builder as(AccessRole role, HttpRequest.Builder request) {
    return request.header("Authorization", "Bearer " + tokens.apply(role));
  }

  private Response send(HttpRequest.Builder request) {
    try {
      HttpResponse<String> response = client.send(request.timeout(Duration.ofSeconds(120)).build(),
          HttpResponse.BodyHandlers.ofString());
      JsonNode body = response.body().isEmpty() ? JSON.nullNode() : JSON.readTree(response.body());
      return new Response(response.statusCode(), body, response.headers().firstValue("Location").orElse(null));
    } catch (IOException e) {
      throw new IllegalStateException("request failed: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
