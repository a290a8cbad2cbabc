package dev.lifeboat.rds;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.matching.RequestPatternBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * RDS on loopback for the failover tests: WireMock answering the RDS Query API with the recorded
 * bodies under {@code rds-responses/failover/}, a client pointed at it, and data sources for
 * instances that refuse connections or never answer.
 */
final class RdsFailoverWireMock implements AutoCloseable {
  static final String RESPONSES = "/rds-responses/failover/";
  final WireMockServer server;

  RdsFailoverWireMock() {
    server = new WireMockServer(WireMockConfiguration.options().bindAddress("127.0.0.1").dynamicPort());
    server.start();
  }

  /** Settings of one home region served by this WireMock, polling every 10 ms. */
  RdsSettings settings() {
    return new RdsSettings(
        List.of(new RdsSettings.Region("us-east-1", URI.create(server.baseUrl()), null, null, 5, 100, null)),
        List.of(), Duration.ofSeconds(20), Duration.ofSeconds(5), "standard", 3, Duration.ofMillis(10),
        new RdsSettings.Database("lifeboat_admin", null, false, "disable"),
        new RdsSettings.Temporary("db.t4g.medium", Map.of(), Map.of()));
  }

  /** As {@link #settings()}, with DR region us-west-2 served by the same WireMock (told apart by the signature). */
  RdsSettings settingsWithDr() {
    return settingsWithDr(RdsSettings.DrPrimary.NONE);
  }

  /** As {@link #settingsWithDr()}, with a placement for the DR primary. */
  RdsSettings settingsWithDr(RdsSettings.DrPrimary drPrimary) {
    RdsSettings home = settings();
    return new RdsSettings(List.of(home.home(), new RdsSettings.Region("us-west-2", URI.create(server.baseUrl()),
        null, null, 5, 100, null)), List.of(), home.apiCallTimeout(), home.apiCallAttemptTimeout(), home.retryMode(),
        home.maxAttempts(), home.pollInterval(), home.database(),
        new RdsSettings.Temporary("db.t4g.medium", Map.of("us-west-2", "techcorp-private-dr"),
            Map.of("us-west-2", List.of("sg-0d2c1b0a9f8e7d6c5"))), drPrimary);
  }

  /** The default credential chain reads these first: no AWS account is needed, none is reached. */
  static void fakeCredentials() {
    System.setProperty("aws.accessKeyId", "AKIAIOSFODNN7EXAMPLE");
    System.setProperty("aws.secretAccessKey", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");
  }

  /** A Query API call of {@code action} naming {@code instance} as its DBInstanceIdentifier. */
  static MappingBuilder call(String action, String instance) {
    return post(urlEqualTo("/")).withRequestBody(containing("Action=" + action + "&"))
        .withRequestBody(matching("(.*&)?DBInstanceIdentifier=" + Pattern.quote(instance) + "(&.*)?"));
  }

  static MappingBuilder call(String action) {
    return post(urlEqualTo("/")).withRequestBody(containing("Action=" + action + "&"));
  }

  static RequestPatternBuilder sent(String action) {
    return postRequestedFor(urlEqualTo("/")).withRequestBody(containing("Action=" + action + "&"));
  }

  static RequestPatternBuilder sent(String action, String instance) {
    return sent(action).withRequestBody(
        matching("(.*&)?DBInstanceIdentifier=" + Pattern.quote(instance) + "(&.*)?"));
  }

  /** A recorded answer: 200 for a result, the status RDS uses for an error body. */
  static ResponseDefinitionBuilder answer(String file) {
    return answer(file, file.startsWith("error-instance-not-found") ? 404 : file.startsWith("error-") ? 400 : 200);
  }

  static ResponseDefinitionBuilder answer(String file, int status) {
    try (InputStream in = RdsFailoverWireMock.class.getResourceAsStream(RESPONSES + file)) {
      if (in == null) {
        throw new IllegalArgumentException("no recorded response " + file);
      }
      return aResponse().withStatus(status).withHeader("Content-Type", "text/xml")
          .withHeader("x-amzn-RequestId", "5e1f0a21-7c2b-4a55-9d0e-000000000000")
          .withBody(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A data source of an instance that refuses connections (nothing listens on its port). */
  static DataSource refusing() {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return dataSource(port);
  }

  /** An instance that accepts TCP connections and never answers: a host that hangs. */
  static final class Silent implements AutoCloseable {
    private final ServerSocket socket;
    private final Thread acceptor;

    Silent() throws IOException {
      socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
      acceptor = new Thread(() -> {
        List<Socket> held = new ArrayList<>();
        while (!socket.isClosed()) {
          try {
            held.add(socket.accept());
          } catch (IOException e) {
            break;
          }
        }
        held.forEach(s -> {
          try {
            s.close();
          } catch (IOException ignored) {
            // test teardown
          }
        });
      }, "silent-postgres");
      acceptor.setDaemon(true);
      acceptor.start();
    }

    DataSource dataSource() {
      return RdsFailoverWireMock.dataSource(socket.getLocalPort());
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }

  static DataSource dataSource(int port) {
    PGSimpleDataSource ds = new PGSimpleDataSource();
    ds.setServerNames(new String[] {"127.0.0.1"});
    ds.setPortNumbers(new int[] {port});
    ds.setDatabaseName("techcorp");
    ds.setUser("lifeboat_admin");
    ds.setPassword("not-used");
    ds.setSslMode("disable");
    ds.setConnectTimeout(2);
    ds.setSocketTimeout(20);
    return ds;
  }

  @Override
  public void close() {
    server.stop();
  }
}
