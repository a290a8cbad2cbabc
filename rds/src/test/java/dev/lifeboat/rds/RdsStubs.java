package dev.lifeboat.rds;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A loopback WireMock server playing RDS (and the KMS and EC2 calls of the preflight) for the
 * contract tests, with the settings of a two-region fleet pointed at it. Requests are told apart
 * by the region in their SigV4 credential scope and by their Query API {@code Action}.
 */
final class RdsStubs implements AutoCloseable {
  static final String HOME = "us-east-1";
  static final String DR = "us-west-2";
  static final String PRIMARY = "techcorp-primary";
  static final String REPLICA = "techcorp-replica-1";
  static final String DR_KEY = "arn:aws:kms:us-west-2:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
  static final Instant NOW = Instant.parse("2026-11-30T12:00:00Z");
  static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

  final WireMockServer server;

  RdsStubs() {
    System.setProperty("aws.accessKeyId", "AKIDLIFEBOATTEST");
    System.setProperty("aws.secretAccessKey", "lifeboat-test-secret");
    server = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
    server.start();
  }

  RdsSettings settings(String retryMode, int maxAttempts, String drKey, int maxCopies) {
    URI endpoint = URI.create("http://127.0.0.1:" + server.port());
    return new RdsSettings(
        List.of(new RdsSettings.Region(HOME, endpoint, null, null, maxCopies, 100, null),
            new RdsSettings.Region(DR, endpoint, null, drKey, maxCopies, 100, null)),
        List.of(new RdsSettings.Instance(PRIMARY, "techcorp"), new RdsSettings.Instance(REPLICA, "techcorp")),
        Duration.ofSeconds(10), Duration.ofSeconds(5), retryMode, maxAttempts, Duration.ofMillis(10),
        new RdsSettings.Database("lifeboat", null, false, "verify-full"),
        new RdsSettings.Temporary("db.t4g.medium", Map.of(HOME, "lifeboat-temp", DR, "lifeboat-temp-dr"),
            Map.of(HOME, List.of("sg-0123456789abcdef0"), DR, List.of("sg-0fedcba9876543210"))),
        new RdsSettings.DrPrimary(null, true, Map.of(DR, "lifeboat-temp-dr"), Map.of(), Map.of()));
  }

  RdsPlatform platform() {
    return new RdsPlatform(settings("standard", 3, DR_KEY, 2), CLOCK);
  }

  /** An RDS Query API request of one action in one region. */
  MappingBuilder rds(String region, String action) {
    return post(urlEqualTo("/")).withHeader("Authorization", containing("/" + region + "/rds/aws4_request"))
        .withFormParam("Action", equalTo(action));
  }

  MappingBuilder service(String region, String service) {
    return post(urlEqualTo("/")).withHeader("Authorization", containing("/" + region + "/" + service
        + "/aws4_request"));
  }

  void ok(MappingBuilder request, String body) {
    server.stubFor(request.willReturn(aResponse().withStatus(200).withHeader("Content-Type", "text/xml")
        .withBody(body)));
  }

  void fail(MappingBuilder request, int status, String code, String message) {
    server.stubFor(request.willReturn(aResponse().withStatus(status).withHeader("Content-Type", "text/xml")
        .withBody(RdsResponses.error(code, message))));
  }

  /** The form parameters of every request of {@code action} to {@code region}, oldest first. */
  List<Map<String, String>> sent(String region, String action) {
    return server.findAll(postRequestedFor(urlEqualTo("/"))
            .withHeader("Authorization", containing("/" + region + "/rds/aws4_request"))
            .withFormParam("Action", equalTo(action)))
        .stream().map(RdsStubs::form).toList();
  }

  /** Every RDS action received, in order. */
  List<String> actions() {
    return server.findAll(postRequestedFor(urlEqualTo("/"))).stream()
        .map(r -> form(r).getOrDefault("Action", r.getHeader("X-Amz-Target"))).toList();
  }

  static Map<String, String> form(LoggedRequest request) {
    Map<String, String> form = new LinkedHashMap<>();
    String body = request.getBodyAsString();
    if (body == null || body.isBlank() || body.startsWith("{")) {
      return form;
    }
    for (String pair : body.split("&")) {
      int eq = pair.indexOf('=');
      String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      form.put(key, value);
    }
    return form;
  }

  /** The tags a request sent as {@code Tags.Tag.N.Key/Value}. */
  static Map<String, String> tags(Map<String, String> form) {
    Map<String, String> tags = new LinkedHashMap<>();
    for (int i = 1; form.containsKey("Tags.Tag." + i + ".Key"); i++) {
      tags.put(form.get("Tags.Tag." + i + ".Key"), form.get("Tags.Tag." + i + ".Value"));
    }
    return tags;
  }

  @Override
  public void close() {
    server.stop();
  }
}
