package dev.lifeboat.app.client;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Plays the Lifeboat API on a loopback port: records every request and answers from a script,
 * per method and path (query included). Several answers for one request are given in turn, the
 * last one repeated; a request nobody scripted gets the API's own 404, and one without a bearer
 * token the API's own 401. A fresh one per test:
 * {@code @RegisterExtension final FakeApi api = new FakeApi();}.
 */
final class FakeApi implements BeforeEachCallback, AfterEachCallback {
  /** The token {@link #env()} gives the CLI; shaped like a real one, which a test must never see printed. */
  static final String TOKEN = "lbt_Fake0token0of0the0CLI0tests0AAAAAAAAAAAAAAA";

  record Request(String method, String path, Map<String, String> headers, String body) {
    /** The header's value, whatever its case; null when it was not sent. */
    String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }
  }

  private record Answer(int status, String body) {}

  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private final Map<String, Deque<Answer>> answers = new ConcurrentHashMap<>();
  private HttpServer server;

  @Override
  public void beforeEach(ExtensionContext context) throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  @Override
  public void afterEach(ExtensionContext context) {
    server.stop(0);
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** An environment pointing the CLI here with {@link #TOKEN}, to add to. */
  Map<String, String> env() {
    Map<String, String> env = new HashMap<>();
    env.put("LIFEBOAT_API", url());
    env.put("LIFEBOAT_TOKEN", TOKEN);
    return env;
  }

  /** Scripts the answers to {@code method pathAndQuery}, in turn; the last one repeats. */
  FakeApi answer(String method, String pathAndQuery, int status, String... bodies) {
    Deque<Answer> queue = answers.computeIfAbsent(method + " " + pathAndQuery, key -> new ArrayDeque<>());
    for (String body : bodies) {
      queue.add(new Answer(status, body));
    }
    return this;
  }

  List<Request> requests() {
    return List.copyOf(requests);
  }

  Request last() {
    return requests.get(requests.size() - 1);
  }

  private void handle(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getRawPath()
        + (exchange.getRequestURI().getRawQuery() == null ? "" : "?" + exchange.getRequestURI().getRawQuery());
    Map<String, String> headers = new TreeMap<>();
    exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), values.get(0)));
    String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    requests.add(new Request(exchange.getRequestMethod(), path, headers, body));

    Deque<Answer> queue = answers.get(exchange.getRequestMethod() + " " + path);
    Answer answer;
    if (headers.get("authorization") == null) {
      answer = new Answer(401, """
          {"code":401,"error":"UNAUTHENTICATED","message":"This endpoint needs a bearer token.","details":{}}
          """);
    } else if (queue == null || queue.isEmpty()) {
      answer = new Answer(404, """
          {"code":404,"error":"NOT_FOUND","message":"Nothing is served at %s.","details":{"path":"%s"}}
          """.formatted(exchange.getRequestURI().getRawPath(), exchange.getRequestURI().getRawPath()));
    } else {
      answer = queue.size() > 1 ? queue.poll() : queue.peek();
    }
    byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type",
        answer.body().startsWith("{") ? "application/json" : "text/html");
    exchange.sendResponseHeaders(answer.status(), bytes.length == 0 ? -1 : bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }
}
