package dev.lifeboat.app.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lifeboat.api.auth.AccessRole;
import dev.lifeboat.app.DevStack;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI against {@code lifeboat dev} (embedded Temporal, the demo fleet on real PostgreSQL, the
 * API), with the dev stack's tokens: {@code lifeboat restore ... && lifeboat runs watch RUN} exits
 * 0 with the endpoint, a refused restore exits non-zero with the API's error name, release ends the
 * run; no token, a wrong token or a missing role stop with their own exit codes.
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
        URI.create(stack.apiUrl() + "/v1/instances/techcorp-primary/restore-window"))
            .header("Authorization", "Bearer " + stack.token(AccessRole.VIEWER)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(window.statusCode()).as(window.body()).isEqualTo(200);
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

    CliRun listed = cli(AccessRole.VIEWER, "runs", "list", "--kind", "restore");
    assertThat(listed.out()).contains(runId);

    CliRun byApprover = cli(AccessRole.APPROVER, "release", runId);
    assertThat(byApprover.exitCode()).as(byApprover.err()).isEqualTo(ExitCode.DENIED);
    assertThat(byApprover.err()).startsWith("error: FORBIDDEN: ").contains("operator");

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

  @Test
  void tableRecovery_waitsForAnApprover_theOperatorMayNotApprove_theApproverDoes() throws Exception {
    String target = recentRestorableTime();

    CliRun started = cli("table-recovery", "--instance", "techcorp-primary", "--time", target, "--table",
        "payments.refunds", "--reason", "test", "--watch", "--until-waiting");
    assertThat(started.exitCode()).as(started.out() + started.err()).isEqualTo(ExitCode.OK);
    String runId = started.out().lines().findFirst().orElseThrow();
    assertThat(runId).startsWith("tables-");
    assertThat(started.out()).contains(runId + " waits for approval");

    CliRun byOperator = cli("approve", runId, "--comment", "mine");
    assertThat(byOperator.exitCode()).as(byOperator.err()).isEqualTo(ExitCode.DENIED);
    assertThat(byOperator.err()).startsWith("error: FORBIDDEN: ").contains("approver");

    CliRun approved = cli(AccessRole.APPROVER, "approve", runId, "--comment", "checked");
    assertThat(approved.exitCode()).as(approved.err()).isEqualTo(ExitCode.OK);
    assertThat(approved.out()).startsWith("approved " + runId);

    CliRun watched = cli(AccessRole.VIEWER, "runs", "watch", runId);
    assertThat(watched.exitCode()).as(watched.out() + watched.err()).isEqualTo(ExitCode.OK);
    assertThat(watched.out()).endsWith(runId + " succeeded" + System.lineSeparator());
  }

  @Test
  void viewer_cannotStartARestore_exit4_withTheRoleItLacks() {
    CliRun run = cli(AccessRole.VIEWER, "restore", "--instance", "techcorp-primary", "--time",
        Instant.now().minusSeconds(60).toString(), "--reason", "test");

    assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCode.DENIED);
    assertThat(run.out()).isEmpty();
    assertThat(run.err()).startsWith("error: FORBIDDEN: ").contains("operator", "dev-viewer");
    assertThat(run.err().lines()).hasSize(1);
  }

  @Test
  void wrongToken_exit4_unauthenticated_withoutPrintingIt() {
    String wrong = "lbt_" + "x".repeat(43);

    CliRun run = cli(Map.of("LIFEBOAT_API", stack.apiUrl(), "LIFEBOAT_TOKEN", wrong), "runs", "list");

    assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCode.DENIED);
    assertThat(run.err()).startsWith("error: UNAUTHENTICATED: ").contains("LIFEBOAT_TOKEN").doesNotContain(wrong);
  }

  @Test
  void noToken_exit2_beforeAnyRequest() {
    CliRun run = cli(Map.of("LIFEBOAT_API", stack.apiUrl()), "runs", "list");

    assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
    assertThat(run.err()).startsWith("error: no token: ").contains("dev-tokens.env");
  }

  private static String phase(String runId) throws Exception {
    CliRun shown = cli("runs", "show", runId, "--json");
    JsonNode run = JSON.readTree(shown.out());
    return run.path("phase").asText();
  }

  /** The CLI as the dev stack's operator ({@code source dev-tokens.env} sets that token). */
  private static CliRun cli(String... args) {
    return cli(AccessRole.OPERATOR, args);
  }

  private static CliRun cli(AccessRole role, String... args) {
    Map<String, String> env = new HashMap<>();
    env.put("LIFEBOAT_API", stack.apiUrl());
    env.put("LIFEBOAT_TOKEN", stack.token(role));
    return cli(env, args);
  }

  /** The CLI in this JVM, as a user would run it against this stack, polling for real. */
  private static CliRun cli(Map<String, String> env, String... args) {
    return CliRun.in(new CliContext(env, home, false, Duration.ofMillis(250),
        duration -> Thread.sleep(duration.toMillis())), args);
  }
}
