package dev.lifeboat.app.dev;

import dev.lifeboat.activities.local.LocalPlatform;
import dev.lifeboat.api.auth.AccessRole;
import dev.lifeboat.app.LifeboatConfiguration;
import dev.lifeboat.common.model.InstanceInfo;
import io.dropwizard.core.server.SimpleServerFactory;
import io.dropwizard.jetty.HttpConnectorFactory;
import java.io.PrintStream;
import java.net.URI;
import java.util.Comparator;
import java.util.Locale;

/** What {@code lifeboat dev} prints once it is ready: where every part listens. */
public final class DevBanner {
  private final LifeboatConfiguration config;
  private final LocalPlatform platform;
  private final EmbeddedTemporal temporal;
  private final long startedNanos;
  private final DevTokens tokens;
  private URI fakeRds;

  public DevBanner(LifeboatConfiguration config, LocalPlatform platform, EmbeddedTemporal temporal, long startedNanos,
      DevTokens tokens) {
    this.config = config;
    this.platform = platform;
    this.temporal = temporal;
    this.startedNanos = startedNanos;
    this.tokens = tokens;
  }

  /** With {@code LIFEBOAT_PLATFORM=rds}: where fake RDS serves the fleet the workflows reach through the AWS SDK. */
  public DevBanner withFakeRds(URI endpoint) {
    this.fakeRds = endpoint;
    return this;
  }

  public void print() {
    PrintStream out = System.out;
    double seconds = (System.nanoTime() - startedNanos) / 1e9;
    String api = "http://" + host() + ":" + port();
    out.println();
    out.printf(Locale.ROOT, "Lifeboat dev is ready (%.1f s). Data under %s%n", seconds, config.getDev().getHome());
    out.printf("  API        %s/v1   (OpenAPI: %s/openapi.json, health: %s/admin/healthcheck)%n", api, api, api);
    out.printf("  Temporal   %s   namespace %s (embedded test server: state is kept in memory only)%n",
        temporal.target(), config.getTemporal().getNamespace());
    out.printf("  Catalog    %s%n", config.getDatabase().getUrl());
    if (fakeRds != null) {
      out.printf("  fake RDS   %s   (platform rds: every workflow goes through the AWS SDK to here; faults:"
          + " POST %s/_fake/faults)%n", fakeRds, fakeRds);
    }
    platform.pgBouncer().runningEndpoint(DemoFleet.DATABASE).ifPresent(e ->
        out.printf("  PgBouncer  %s   (applications connect here; a failover switches it)%n", e.uri()));
    platform.listInstances().stream()
        .sorted(Comparator.comparing(InstanceInfo::role).thenComparing(InstanceInfo::id))
        .forEach(i -> out.printf("  %-20s %-14s %-9s %s%n", i.id(), i.role().name().toLowerCase(Locale.ROOT).replace('_', '-'),
            i.status(), i.endpoint() == null ? "-" : i.endpoint().uri()));
    out.println();
    if (tokens != null) {
      out.printf("Bearer tokens, one per role (kept in %s):%n", tokens.file());
      for (AccessRole role : AccessRole.values()) {
        out.printf("  %-9s %-13s %s%n", role.wireName(), DevTokens.callerName(role), tokens.token(role));
      }
      out.println();
      out.printf("Try:  source %s      # LIFEBOAT_TOKEN is the operator's%n", tokens.file());
    } else {
      out.printf("Try:  export LIFEBOAT_TOKEN=<a token of auth.tokens>%n");
    }
    String auth = "-H \"Authorization: Bearer $LIFEBOAT_TOKEN\"";
    out.printf("      curl -s %s %s/v1/instances%n", auth, api);
    out.printf("      curl -s %s %s/v1/instances/%s/restore-window%n", auth, api, DemoFleet.PRIMARY);
    out.printf("      curl -s %s -X POST %s/v1/drills -H 'Content-Type: application/json' \\%n"
        + "        -d '{\"instance\": \"%s\", \"region\": \"dr-1\", \"reason\": \"first DR drill\"}'%n"
        + "      curl -s %s %s/v1/drills/<runId>/report.html > drill.html   (history: %s/v1/drills)%n", auth, api,
        DemoFleet.PRIMARY, auth, api, api);
    out.println();
  }

  private String host() {
    if (config.getServerFactory() instanceof SimpleServerFactory simple
        && simple.getConnector() instanceof HttpConnectorFactory http && http.getBindHost() != null) {
      return http.getBindHost();
    }
    return "127.0.0.1";
  }

  private int port() {
    if (config.getServerFactory() instanceof SimpleServerFactory simple
        && simple.getConnector() instanceof HttpConnectorFactory http) {
      return http.getPort();
    }
    return 8080;
  }
}
