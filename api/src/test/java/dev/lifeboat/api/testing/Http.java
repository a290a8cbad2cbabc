package dev.lifeboat.api.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Raw HTTP against the running API: tests send exactly the bytes and headers a client would,
 * malformed ones included, and read the JSON back as a tree.
 */
public final class Http {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String base;

  public Http(int port) {
    this.base = "http://127.0.0.1:" + port;
  }

  /** One answer: status, headers and the body, parsed when it is JSON. */
  public record Reply(HttpResponse<String> response) {
    public int status() {
      return response.statusCode();
    }

    public JsonNode json() {
      try {
        return JSON.readTree(response.body());
      } catch (IOException e) {
        throw new UncheckedIOException("not JSON: " + response.body(), e);
      }
    }

    public String header(String name) {
      return response.headers().firstValue(name).orElse(null);
    }

    public String body() {
      return response.body();
    }
  }

  public Reply get(String path) {
    return send(HttpRequest.newBuilder(uri(path)).GET());
  }

  public Reply postJson(String path, String body) {
    return postJson(path, body, "alice");
  }

  public Reply postJson(String path, String body, String user) {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri(path))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body));
    if (user != null) {
      request.header("X-Lifeboat-User", user);
    }
    return send(request);
  }

  /** A POST with no body and no Content-Type, as {@code curl -X POST} sends it. */
  public Reply postEmpty(String path) {
    return send(HttpRequest.newBuilder(uri(path)).header("X-Lifeboat-User", "alice")
        .POST(HttpRequest.BodyPublishers.noBody()));
  }

  public Reply send(HttpRequest.Builder request) {
    try {
      return new Reply(client.send(request.timeout(Duration.ofSeconds(60)).build(),
          HttpResponse.BodyHandlers.ofString()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public URI uri(String path) {
    return URI.create(base + path);
  }
}
