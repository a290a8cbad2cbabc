package dev.lifeboat.app.client;

import dev.lifeboat.app.DevStack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI against {@code lifeboat dev} (embedded Temporal, the demo fleet on real PostgreSQL, the
 * API): {@code lifeboat restore ... && lifeboat runs watch RUN} exits 0 with the endpoint, a
 * refused restore exits non-zero with the API's error name, release ends the run.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class CliAgainstDevIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static DevStack stack;

  @TempDir static Path home;

  @BeforeAll
  static void startStack() throws Exception {
    stack = DevStack.start("cli");
  }

  @AfterAll
  static void stopStack() throws Exception {
    if (stack != null) {
      stack.close();
    }
  }

  /**
   * A few seconds ago, but never before the restorable window opens: on a stack that has just
   * started, its first snapshot ended only moments ago.
   */
  private static String recentRestorableTime() throws Exception {
    HttpResponse<String> window = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create(stack.apiUrl() + "/v1/instances/techcorp-primary/restore-window")).build(),
        HttpResponse.BodyHandlers.ofString());
    Instant earliest = Instant.parse(new ObjectMapper().readTree(window.body()).get("earliest").asText());
    Instant target = Instant.now().minusSeconds(3);
    if (!target.isAfter(earliest)) {
      target = earliest.plusMillis(500);
    }
    Instant past = target.plusMillis(200);
    await().atMost(Duration.ofSeconds(10)).until(() -> Instant.now().isAfter(past));
    return target.truncatedTo(ChronoUnit.MILLIS).toString();
  }

  @Test
  void restore_thenWatch_exits0WithTheEndpoint_thenReleaseEndsTheRun() throws Exception {
    String target = recentRestorableTime();

    CliRun started = cli("restore", "--instance", "techcorp-primary", "--time", target, "--ttl", "1h",
        "--reason", "test");
    assertThat(started.exitCode()).as(started.err()).isEqualTo(ExitCode.OK);
    String runId = started.out().strip();
    assertThat(runId).startsWith("restore-techcorp-primary-");

    CliRun watched = cli("runs", "watch", runId);
    assertThat(watched.exitCode()).as(watched.out() + watched.err()).isEqualTo(ExitCode.OK);
    assertThat(watched.out()).contains("restore   [").contains(runId + " is ready: postgresql://");
    assertThat(watched.err()).isEmpty();

    CliRun listed = cli("runs", "list", "--kind", "restore");
    assertThat(listed.out()).contains(runId);

    CliRun released = cli("release", runId);
    assertThat(released.exitCode()).as(released.err()).isEqualTo(ExitCode.OK);
    await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(300))
        .until(() -> phase(runId), "succeeded"::equals);
    CliRun ended = cli("runs", "watch", runId);
    assertThat(ended.exitCode()).isEqualTo(ExitCode.OK);
    assertThat(ended.out()).endsWith(runId + " succeeded" + System.lineSeparator());
  }

  @Test
  void restore_toAFutureTime_exitsNonZeroWithTheApiError() {
    CliRun run = cli("restore", "--instance", "techcorp-primary", "--time", Instant.now().plusSeconds(3600).toString(),
        "--ttl", "1h", "--reason", "test");

    assertThat(run.exitCode()).isEqualTo(ExitCode.FAILED);
    assertThat(run.out()).isEmpty();
    assertThat(run.err()).startsWith("error: RESTORE_TIME_IN_FUTURE: ");
    assertThat(run.err().lines()).hasSize(1);
  }

  private static String phase(String runId) throws Exception {
    CliRun shown = cli("runs", "show", runId, "--json");
    JsonNode run = JSON.readTree(shown.out());
    return run.path("phase").asText();
  }

  /** The CLI in this JVM, as a user would run it against this stack, polling for real. */
  private static CliRun cli(String... args) {
    return CliRun.in(new CliContext(Map.of("LIFEBOAT_API", stack.apiUrl()), "cli-it", home, false,
        Duration.ofMillis(250), duration -> Thread.sleep(duration.toMillis())), args);
  }
}
