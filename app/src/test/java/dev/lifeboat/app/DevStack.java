package dev.lifeboat.app;

import dev.lifeboat.activities.local.LocalPlatform;
import dev.lifeboat.app.cli.DevCommand;
import dev.lifeboat.app.config.FileOrResourceSourceProvider;
import io.dropwizard.configuration.EnvironmentVariableSubstitutor;
import io.dropwizard.configuration.SubstitutingSourceProvider;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.DropwizardTestSupport;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * {@code lifeboat dev} inside the test JVM, exactly as a user starts it (the dev command, the
 * built-in configuration), on free ports and under target/, without the demo write load so the
 * tests control every row.
 */
public final class DevStack implements AutoCloseable {
  final Path home;
  final int temporalPort;
  final DropwizardTestSupport<LifeboatConfiguration> support;
  final Http http;
  final LocalPlatform platform;

  private DevStack(Path home, int temporalPort, DropwizardTestSupport<LifeboatConfiguration> support) {
    this.home = home;
    this.temporalPort = temporalPort;
    this.support = support;
    dev.lifeboat.app.dev.DevTokens tokens = dev.lifeboat.app.dev.DevTokens.ensure(home);
    this.http = new Http("http://127.0.0.1:" + support.getLocalPort(), tokens::token);
    // A second view of the same data root: what a user would see with their own tools.
    this.platform = support.getConfiguration().getPlatform().buildLocal(Clock.systemUTC());
  }

  public static DevStack start(String name) throws Exception {
    return start(name, new ConfigOverride[0]);
  }

  /** With configuration overrides beyond the test defaults (e.g. {@code platform.type=rds}). */
  public static DevStack start(String name, ConfigOverride... extra) throws Exception {
    Path home = testHome(name);
    int temporalPort = freePort();
    List<ConfigOverride> overrides = new ArrayList<>(List.of(
        ConfigOverride.config("server.connector.port", "0"),
        ConfigOverride.config("dev.home", home.toString()),
        ConfigOverride.config("dev.temporalPort", String.valueOf(temporalPort)),
        ConfigOverride.config("dev.writeLoad", "false"),
        ConfigOverride.config("platform.dataRoot", home.resolve("platform").toString())));
    overrides.addAll(List.of(extra));
    DropwizardTestSupport<LifeboatConfiguration> support = new DropwizardTestSupport<>(LifeboatApplication.class,
        "lifeboat.yml",
        new SubstitutingSourceProvider(new FileOrResourceSourceProvider(), new EnvironmentVariableSubstitutor(false)),
        "dw.",
        DevCommand::new,
        overrides.toArray(ConfigOverride[]::new));
    try {
      support.before();
    } catch (Exception | Error e) {
      // a start that failed half-way (in the demo fleet, say) must not leave its servers running
      try {
        LocalPlatform started = new LocalPlatform(
            dev.lifeboat.activities.local.LocalPlatformConfig.defaults(home.resolve("platform")));
        started.pgBouncer().stop();
        started.listInstances().forEach(i -> started.stop(i.id()));
      } catch (RuntimeException stopping) {
        e.addSuppressed(stopping);
      }
      throw e;
    }
    return new DevStack(home, temporalPort, support);
  }

  /** A directory under target/ that the unprivileged PostgreSQL user can traverse. */
  static Path testHome(String name) throws IOException {
    Path dir = Path.of("target", "it-homes", name + "-" + UUID.randomUUID().toString().substring(0, 6))
        .toAbsolutePath();
    Files.createDirectories(dir);
    for (Path p = dir; p != null && p.startsWith(Path.of("").toAbsolutePath()); p = p.getParent()) {
      Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
    return dir;
  }

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  /** The bearer token {@code lifeboat dev} made for {@code role} (caller {@code dev-<role>}). */
  public String token(dev.lifeboat.api.auth.AccessRole role) {
    return dev.lifeboat.app.dev.DevTokens.ensure(home).token(role);
  }

  /** The API's base URL, e.g. {@code http://127.0.0.1:41234}. */
  public String apiUrl() {
    return "http://127.0.0.1:" + support.getLocalPort();
  }

  /** Stops the application, which stops the fleet as {@code lifeboat dev} does on exit. */
  @Override
  public void close() {
    support.after();
  }
}
