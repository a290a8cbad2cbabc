package dev.lifeboat.app.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Errors are one line on stderr; 4xx exits 1, 401 and 403 exit 4, 5xx and no answer at all exit 3. */
class ExitCodesTest {
  private static final String WATCHED = "restore-techcorp-primary-1a2b3c4d";
  private static final String[] RESTORE = {"restore", "--instance", "techcorp-primary", "--time",
      "2020-01-01T00:00:00Z", "--reason", "r"};

  @TempDir Path home;
  @RegisterExtension final FakeApi api = new FakeApi();

  @Test
  void refusedRequest_isOneLineWithTheErrorName_exit1() {
    api.answer("POST", "/v1/restores", 400, RunJson.error(400, "RESTORE_TIME_OUTSIDE_WINDOW",
        "2020-01-01T00:00:00Z is before the earliest restorable time 2026-11-17T03:00:41Z."));

    CliRun run = CliRun.of(api.env(), home, RESTORE);

    assertThat(run.exitCode()).isEqualTo(ExitCode.FAILED);
    assertThat(run.out()).isEmpty();
    assertThat(run.err()).isEqualTo("error: RESTORE_TIME_OUTSIDE_WINDOW: 2020-01-01T00:00:00Z is before the "
        + "earliest restorable time 2026-11-17T03:00:41Z." + System.lineSeparator());
  }

  @Test
  void unknownRun_exit1() {
    api.answer("GET", "/v1/runs/nope", 404, RunJson.error(404, "RUN_NOT_FOUND", "No run nope."));

    CliRun run = CliRun.of(api.env(), home, "runs", "watch", "nope");

    assertThat(run.exitCode()).isEqualTo(ExitCode.FAILED);
    assertThat(run.err()).isEqualTo("error: RUN_NOT_FOUND: No run nope." + System.lineSeparator());
  }

  @Test
  void serverError_exit3() {
    api.answer("POST", "/v1/restores", 503, RunJson.error(503, "TEMPORAL_UNAVAILABLE", "Temporal is down; retry."));

    CliRun run = CliRun.of(api.env(), home, RESTORE);

    assertThat(run.exitCode()).isEqualTo(ExitCode.UNAVAILABLE);
    assertThat(run.err()).isEqualTo("error: TEMPORAL_UNAVAILABLE: Temporal is down; retry." + System.lineSeparator());
  }

  @Test
  void answerNotInTheErrorShape_showsStatusAndBodyStart_exit3() {
    api.answer("GET", "/v1/runs", 502, "<html><body><h1>502 Bad Gateway</h1></body></html>");

    CliRun run = CliRun.of(api.env(), home, "runs", "list");

    assertThat(run.exitCode()).isEqualTo(ExitCode.UNAVAILABLE);
    assertThat(run.err()).startsWith("error: HTTP 502: GET /v1/runs was answered with: <html><body><h1>502 Bad");
    assertThat(run.err().lines()).hasSize(1);
  }

  @Test
  void unreachableApi_exit3_withWhereItLooked() throws IOException {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }

    CliRun run = CliRun.of(Map.of("LIFEBOAT_API", "http://127.0.0.1:" + port, "LIFEBOAT_TOKEN", FakeApi.TOKEN), home,
        "runs", "list");

    assertThat(run.exitCode()).isEqualTo(ExitCode.UNAVAILABLE);
    assertThat(run.err()).isEqualTo("error: cannot reach the Lifeboat API at http://127.0.0.1:" + port
        + " (connection refused); is it running? Point the CLI at it with --api or LIFEBOAT_API."
        + System.lineSeparator());
  }

  @Test
  void unknownToken_exit4_withTheServersReasonAndWhereTheTokenCameFrom_neverTheToken() {
    api.answer("GET", "/v1/runs", 401, RunJson.error(401, "UNAUTHENTICATED",
        "The bearer token is not one this server knows."));

    CliRun run = CliRun.of(api.env(), home, "runs", "list");

    assertThat(run.exitCode()).isEqualTo(ExitCode.DENIED);
    assertThat(run.out()).isEmpty();
    assertThat(run.err()).isEqualTo("error: UNAUTHENTICATED: The bearer token is not one this server knows. "
        + "(The CLI sent the token from LIFEBOAT_TOKEN.)" + System.lineSeparator());
    assertThat(run.err()).doesNotContain(FakeApi.TOKEN);
  }

  @Test
  void refusedTokenOfTheConfigFile_namesTheFile() throws Exception {
    api.answer("GET", "/v1/runs", 401, RunJson.error(401, "UNAUTHENTICATED", "The JWT has expired: get a new one."));
    Path config = home.resolve("cli.properties");
    Files.writeString(config, "api=" + api.url() + "\ntoken=" + FakeApi.TOKEN + "\n");

    CliRun run = CliRun.of(Map.of("LIFEBOAT_CONFIG", config.toString()), home, "runs", "list");

    assertThat(run.exitCode()).isEqualTo(ExitCode.DENIED);
    assertThat(run.err()).isEqualTo("error: UNAUTHENTICATED: The JWT has expired: get a new one. (The CLI sent the "
        + "token from the config file " + config + ".)" + System.lineSeparator());
  }

  @Test
  void missingRole_exit4_withTheServersMessage() {
    api.answer("POST", "/v1/restores", 403, """
        {"code":403,"error":"FORBIDDEN","message":"POST /v1/restores needs the operator role; dev-viewer has viewer. \
        Ask an admin for that role, or have someone who holds it do this.",
         "details":{"action":"POST /v1/restores","required":"operator","roles":["viewer"]}}""");

    CliRun run = CliRun.of(api.env(), home, RESTORE);

    assertThat(run.exitCode()).isEqualTo(ExitCode.DENIED);
    assertThat(run.out()).isEmpty();
    assertThat(run.err()).isEqualTo("error: FORBIDDEN: POST /v1/restores needs the operator role; dev-viewer has "
        + "viewer. Ask an admin for that role, or have someone who holds it do this." + System.lineSeparator());
  }

  @Test
  void notTheRunsOwner_andOwnApproval_exit4() {
    api.answer("POST", "/v1/runs/r-1/cancel", 403, RunJson.error(403, "NOT_RUN_OWNER",
        "Run r-1 was requested by alice; only alice or an admin may cancel it."));
    api.answer("POST", "/v1/runs/r-1/approve", 403, RunJson.error(403, "SELF_APPROVAL",
        "alice requested run r-1 and cannot approve it; another approver must."));

    CliRun cancel = CliRun.of(api.env(), home, "cancel", "r-1");
    CliRun approve = CliRun.of(api.env(), home, "approve", "r-1");

    assertThat(cancel.exitCode()).isEqualTo(ExitCode.DENIED);
    assertThat(cancel.err()).isEqualTo("error: NOT_RUN_OWNER: Run r-1 was requested by alice; only alice or an "
        + "admin may cancel it." + System.lineSeparator());
    assertThat(approve.exitCode()).isEqualTo(ExitCode.DENIED);
    assertThat(approve.err()).startsWith("error: SELF_APPROVAL: alice requested run r-1");
  }

  @Test
  void tokenRefusedDuringAWatch_exit4_atOnce() {
    api.answer("GET", "/v1/runs/" + WATCHED, 200,
        RunJson.run(WATCHED, "restore", "running", "restore", 40, null, "replaying WAL"));
    api.answer("GET", "/v1/runs/" + WATCHED, 401,
        RunJson.error(401, "UNAUTHENTICATED", "The JWT has expired: get a new one."));

    CliRun run = CliRun.of(api.env(), home, "runs", "watch", WATCHED);

    assertThat(run.exitCode()).isEqualTo(ExitCode.DENIED);
    assertThat(run.err()).contains("error: UNAUTHENTICATED: The JWT has expired").doesNotContain("retrying");
    assertThat(api.requests()).hasSize(2);
  }

  @Test
  void success_exit0() {
    api.answer("GET", "/v1/runs", 200, "{\"items\":[],\"nextCursor\":null}");

    CliRun run = CliRun.of(api.env(), home, "runs", "list");

    assertThat(run.exitCode()).isEqualTo(ExitCode.OK);
    assertThat(run.out()).isEqualTo("no runs" + System.lineSeparator());
    assertThat(run.err()).isEmpty();
  }
}
