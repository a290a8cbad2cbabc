package dev.lifeboat.app.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** What each command sends: method, path, body, and always the bearer token, never a caller's name. */
class ApiRequestsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String RUN = "restore-techcorp-primary-1a2b3c4d";
  private static final String TOKEN = "lbt_0123456789abcdef";

  @TempDir Path home;
  @RegisterExtension final FakeApi api = new FakeApi();

  @Test
  void restore_postsTheBody_printsTheRunId_withTheBearerTokenAndNoUserHeader() throws Exception {
    api.answer("POST", "/v1/restores", 202, RunJson.run(RUN, "restore", "pending", null, 0, null, null));

    CliRun run = CliRun.of(api.env(), home, "restore", "--instance", "techcorp-primary", "--time",
        "2026-11-24T10:31:00Z", "--ttl", "2h", "--reason", "rows of orders deleted", "--schema", "orders");

    assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCode.OK);
    assertThat(run.out()).isEqualTo(RUN + System.lineSeparator());
    assertThat(run.err()).contains("lifeboat runs watch " + RUN);
    FakeApi.Request request = api.last();
    assertThat(request.method()).isEqualTo("POST");
    assertThat(request.path()).isEqualTo("/v1/restores");
    assertThat(request.header("Content-Type")).isEqualTo("application/json");
    assertThat(request.header("Authorization")).isEqualTo("Bearer " + FakeApi.TOKEN);
    assertThat(request.header("X-Lifeboat-User")).isNull();
    assertThat(JSON.readTree(request.body())).isEqualTo(JSON.readTree("""
        {"instance":"techcorp-primary","targetTime":"2026-11-24T10:31:00Z","ttl":"2h",
         "reason":"rows of orders deleted","schema":"orders"}"""));
  }

  @Test
  void restore_leavesOutWhatWasNotGiven() throws Exception {
    api.answer("POST", "/v1/restores", 202, RunJson.run(RUN, "restore", "pending", null, 0, null, null));

    CliRun.of(api.env(), home, "restore", "--instance", "techcorp-primary", "--time", "2026-11-24T10:31:00Z",
        "--reason", "r");

    assertThat(JSON.readTree(api.last().body()).fieldNames()).toIterable()
        .containsExactlyInAnyOrder("instance", "targetTime", "reason");
  }

  @Test
  void tokenFromTheEnvironment_isSentAsBearer_andNeverPrinted() {
    api.answer("POST", "/v1/restores", 400, RunJson.error(400, "RESTORE_TIME_IN_FUTURE", "in the future"));
    Map<String, String> env = api.env();
    env.put("LIFEBOAT_TOKEN", TOKEN);

    CliRun run = CliRun.of(env, home, "restore", "--instance", "techcorp-primary", "--time", "2099-01-01T00:00:00Z",
        "--reason", "r");

    assertThat(api.last().header("Authorization")).isEqualTo("Bearer " + TOKEN);
    assertThat(run.out() + run.err()).doesNotContain(TOKEN);
  }

  @Test
  void configFile_givesApiAndToken_theEnvironmentWins_andAUserSettingIsIgnored() throws Exception {
    api.answer("GET", "/v1/runs", 200, "{\"items\":[],\"nextCursor\":null}");
    Path config = home.resolve(".config/lifeboat/cli.properties");
    Files.createDirectories(config.getParent());
    Files.writeString(config, "api=" + api.url() + "\ntoken=" + TOKEN + "\nuser=carol\n");

    CliRun fromFile = CliRun.of(Map.of("LIFEBOAT_USER", "dave"), home, "runs", "list");
    assertThat(fromFile.exitCode()).as(fromFile.err()).isEqualTo(ExitCode.OK);
    assertThat(api.last().header("Authorization")).isEqualTo("Bearer " + TOKEN);
    assertThat(api.last().header("X-Lifeboat-User")).isNull();

    CliRun.of(Map.of("LIFEBOAT_TOKEN", "other"), home, "runs", "list");
    assertThat(api.last().header("Authorization")).isEqualTo("Bearer other");
  }

  @Test
  void everyApiCommand_sendsTheBearerToken_andNoUserHeader() {
    answerRunActions();
    api.answer("GET", "/v1/runs", 200, "{\"items\":[],\"nextCursor\":null}");
    api.answer("GET", "/v1/runs/" + RUN, 200, RunJson.held(RUN, "postgresql://postgres@127.0.0.1:55432/techcorp"));
    api.answer("GET", "/v1/snapshots", 200, "{\"items\":[]}");
    api.answer("POST", "/v1/restores", 202, RunJson.run(RUN, "restore", "pending", null, 0, null, null));
    api.answer("POST", "/v1/table-recoveries", 202, RunJson.run("tables-p-1", "table-recovery", "pending", null, 0,
        null, null));
    api.answer("POST", "/v1/drills", 202, RunJson.run("drill-p-1", "drill", "pending", null, 0, null, null));
    String[][] commands = {
        {"runs", "list"}, {"runs", "show", RUN}, {"runs", "watch", RUN}, {"snapshots"},
        {"approve", "tables-p-1"}, {"reject", "tables-p-1"}, {"release", RUN}, {"cancel", RUN},
        {"restore", "--instance", "p", "--time", "2026-11-24T10:31:00Z", "--reason", "r"},
        {"table-recovery", "--instance", "p", "--time", "2026-11-24T10:31:00Z", "--table", "a.b", "--reason", "r"},
        {"drill", "--instance", "p", "--region", "dr-1", "--reason", "r"}};

    for (String[] command : commands) {
      CliRun run = CliRun.of(api.env(), home, command);
      assertThat(run.exitCode()).as(String.join(" ", command) + ": " + run.err()).isEqualTo(ExitCode.OK);
      assertThat(run.out() + run.err()).as(String.join(" ", command)).doesNotContain(FakeApi.TOKEN);
    }

    assertThat(api.requests()).hasSizeGreaterThanOrEqualTo(commands.length).allSatisfy(request -> {
      assertThat(request.header("Authorization")).as(request.path()).isEqualTo("Bearer " + FakeApi.TOKEN);
      assertThat(request.header("X-Lifeboat-User")).as(request.path()).isNull();
    });
  }

  @Test
  void runsList_sendsTheFilters_andPrintsATable() {
    api.answer("GET", "/v1/runs?kind=restore&phase=running&instance=techcorp-primary&limit=5", 200, """
        {"items":[%s],"nextCursor":"c2"}""".formatted(RunJson.run(RUN, "restore", "running", "restore", 45, 1L << 30,
        "replaying WAL")));

    CliRun run = CliRun.of(api.env(), home, "runs", "list", "--kind", "restore", "--phase", "running",
        "--instance", "techcorp-primary", "--limit", "5");

    assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCode.OK);
    assertThat(api.last().method()).isEqualTo("GET");
    assertThat(run.out()).contains("RUN", "PHASE", RUN, "running", "45%", "techcorp-primary");
    assertThat(run.err()).contains("lifeboat runs list --cursor c2");
  }

  @Test
  void json_printsTheApiAnswerAsIs() throws Exception {
    String view = RunJson.held(RUN, "postgresql://postgres@127.0.0.1:55432/techcorp");
    api.answer("GET", "/v1/runs/" + RUN, 200, view);

    CliRun run = CliRun.of(api.env(), home, "runs", "show", RUN, "--json");

    assertThat(run.exitCode()).isEqualTo(ExitCode.OK);
    assertThat(JSON.readTree(run.out())).isEqualTo(JSON.readTree(view));
  }

  @Test
  void runsShow_printsStepsAndEndpoint() {
    api.answer("GET", "/v1/runs/" + RUN, 200, RunJson.held(RUN, "postgresql://postgres@127.0.0.1:55432/techcorp"));

    CliRun run = CliRun.of(api.env(), home, "runs", "show", RUN);

    assertThat(run.out()).contains("phase      running", "endpoint   postgresql://postgres@127.0.0.1:55432/techcorp")
        .contains("validate", "14.2s", "hold");
  }

  @Test
  void approveAndReject_postTheComment_releaseAndCancelTheirOwnPaths() throws Exception {
    answerRunActions();

    CliRun approved = CliRun.of(api.env(), home, "approve", "tables-p-1", "--comment", "sample checked");
    assertThat(approved.exitCode()).as(approved.err()).isEqualTo(ExitCode.OK);
    assertThat(approved.out()).startsWith("approved tables-p-1");
    assertThat(JSON.readTree(api.last().body())).isEqualTo(JSON.readTree("{\"comment\":\"sample checked\"}"));

    CliRun.of(api.env(), home, "reject", "tables-p-1");
    assertThat(api.last().path()).isEqualTo("/v1/runs/tables-p-1/reject");
    assertThat(api.last().body()).isEqualTo("{}");

    CliRun released = CliRun.of(api.env(), home, "release", RUN);
    assertThat(released.exitCode()).isEqualTo(ExitCode.OK);
    assertThat(api.last().path()).isEqualTo("/v1/runs/" + RUN + "/release");
    assertThat(api.last().header("Content-Type")).isEqualTo("application/json");

    CliRun cancelled = CliRun.of(api.env(), home, "cancel", RUN);
    assertThat(cancelled.exitCode()).isEqualTo(ExitCode.OK);
    assertThat(api.last().path()).isEqualTo("/v1/runs/" + RUN + "/cancel");
    assertThat(api.last().body()).isEmpty();
  }

  @Test
  void runId_cannotChangeThePath() {
    CliRun.of(api.env(), home, "runs", "show", "../instances?x=1");

    assertThat(api.last().path()).isEqualTo("/v1/runs/..%2Finstances%3Fx%3D1");
  }

  @Test
  void tableRecovery_postsTablesModeAndApproval() throws Exception {
    api.answer("POST", "/v1/table-recoveries", 202, RunJson.run("tables-p-1", "table-recovery", "pending", null, 0,
        null, null));

    CliRun run = CliRun.of(api.env(), home, "table-recovery", "--instance", "techcorp-primary", "--time",
        "2026-11-24T14:01:00Z", "--table", "payments.refunds", "--table", "\"Sales\".\"Q1\"", "--mode",
        "insert-missing", "--no-approval", "--reason", "refunds deleted");

    assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCode.OK);
    assertThat(JSON.readTree(api.last().body())).isEqualTo(JSON.readTree("""
        {"instance":"techcorp-primary","targetTime":"2026-11-24T14:01:00Z",
         "tables":["payments.refunds","\\"Sales\\".\\"Q1\\""],"mode":"insert-missing","requireApproval":false,
         "reason":"refunds deleted"}"""));

    CliRun.of(api.env(), home, "table-recovery", "--instance", "techcorp-primary", "--time", "2026-11-24T14:01:00Z",
        "--table", "payments.refunds", "--reason", "r");
    JsonNode defaults = JSON.readTree(api.last().body());
    assertThat(defaults.get("requireApproval").asBoolean()).isTrue();
    assertThat(defaults.has("mode")).isFalse();
  }

  @Test
  void drill_mapsOptionsToTheBody() throws Exception {
    api.answer("POST", "/v1/drills", 202, RunJson.run("drill-p-1", "drill", "pending", null, 0, null, null));

    CliRun run = CliRun.of(api.env(), home, "drill", "--instance", "techcorp-primary", "--region", "dr-1", "--source",
        "latest-copy", "--verification", "smoke", "--rto", "30m", "--rpo", "15m", "--reason", "monthly drill");

    assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCode.OK);
    assertThat(run.out()).startsWith("drill-p-1");
    assertThat(JSON.readTree(api.last().body())).isEqualTo(JSON.readTree("""
        {"instance":"techcorp-primary","region":"dr-1","source":"latest-copy","verification":"smoke",
         "targets":{"rto":"30m","rpo":"15m"},"reason":"monthly drill"}"""));
  }

  @Test
  void drill_againstAnApiWithoutDrills_saysSoInOneLine() {
    CliRun run = CliRun.of(api.env(), home, "drill", "--instance", "techcorp-primary", "--region", "dr-1",
        "--reason", "r");

    assertThat(run.exitCode()).isEqualTo(ExitCode.FAILED);
    assertThat(run.err().lines()).hasSize(1);
    assertThat(run.err()).startsWith("error: NOT_FOUND: Nothing is served at /v1/drills.")
        .contains("does not offer drills");
    assertThat(api.last().path()).isEqualTo("/v1/drills");
  }

  @Test
  void snapshots_sendTheInstance_andListCopies() {
    api.answer("GET", "/v1/snapshots?instance=techcorp-primary", 200, """
        {"items":[{"id":"lb-techcorp-primary-20261124-0300","instance":"techcorp-primary","region":"local-1",
          "status":"available","bytes":52428800,"ageSeconds":3700,
          "copies":[{"region":"dr-1","status":"available","bytes":52428800}]}]}""");

    CliRun run = CliRun.of(api.env(), home, "snapshots", "--instance", "techcorp-primary");

    assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCode.OK);
    assertThat(run.out()).contains("lb-techcorp-primary-20261124-0300", "available", "50.0 MiB", "1h01m",
        "dr-1:available");
  }

  @Test
  void preflight_printsEveryCheck_andExits1WhenOneFailed() {
    api.answer("POST", "/v1/preflight", 200, """
        {"ok":false,"platform":"rds","checkedAt":"2026-11-30T02:00:00Z","failed":1,"warnings":0,"checks":[
          {"check":"credentials","instance":null,"region":"us-east-1","status":"ok","message":"credentials work"},
          {"check":"kms-key","instance":null,"region":"us-west-2","status":"fail",
           "message":"key alias/techcorp-rds-dr is disabled: enable it"}]}""");

    CliRun run = CliRun.of(api.env(), home, "preflight");

    assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCode.FAILED);
    assertThat(run.out()).contains("FAIL", "kms-key", "us-west-2", "is disabled", "preflight FAILED on rds");
    assertThat(api.last().path()).isEqualTo("/v1/preflight");
  }

  /** Approve and reject of {@code tables-p-1}, release and cancel of {@code RUN}. */
  private void answerRunActions() {
    String waiting = RunJson.run("tables-p-1", "table-recovery", "waiting-approval", "approval", 72, null, "w");
    api.answer("POST", "/v1/runs/tables-p-1/approve", 200, waiting);
    api.answer("POST", "/v1/runs/tables-p-1/reject", 200, waiting);
    api.answer("POST", "/v1/runs/" + RUN + "/release", 200, RunJson.run(RUN, "restore", "running", "teardown", 95,
        null, null));
    api.answer("POST", "/v1/runs/" + RUN + "/cancel", 202, RunJson.run(RUN, "restore", "running", "hold", 90,
        null, null));
  }
}
