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
import java.util.Map;

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

  /** A GET as alice, an operator (who may read everything but the audit log). */
  public Reply get(String path) {
    return getAs("alice", path);
  }

  /** A GET as {@code user} (see {@link TestCallers}); without any token when null. */
  public Reply getAs(String user, String path) {
    return send(as(user, HttpRequest.newBuilder(uri(path)).GET()));
  }

  /** Adds {@code user}'s bearer token; none when null. */
  public static HttpRequest.Builder as(String user, HttpRequest.Builder request) {
    return user == null ? request : request.header("Authorization", "Bearer " + TestCallers.token(user));
  }

  public Reply postJson(String path, String body) {
    return postJson(path, body, "alice");
  }

  /** A JSON POST as {@code user} (see {@link TestCallers}); without any token when null. */
  public Reply postJson(String path, String body, String user) {
    return send(as(user, HttpRequest.newBuilder(uri(path))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body))));
  }

  /** A JSON POST as {@code user} with extra headers (each name once), e.g. {@code Idempotency-Key}. */
  public Reply postJson(String path, String body, String user, Map<String, String> headers) {
    HttpRequest.Builder request = as(user, HttpRequest.newBuilder(uri(path))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)));
    headers.forEach(request::header);
    return send(request);
  }

  /** A POST with no body and no Content-Type, as {@code curl -X POST} sends it. */
  public Reply postEmpty(String path) {
    return postEmptyAs("alice", path);
  }

  public Reply postEmptyAs(String user, String path) {
    return send(as(user, HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.noBody())));
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
