package dev.lifeboat.app.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The watch loop: what it prints while a run moves, and the exit code of where it ends. */
class RunsWatchTest {
  private static final String RUN = "restore-techcorp-primary-1a2b3c4d";
  private static final String URI = "postgresql://postgres@127.0.0.1:55432/techcorp";
  private static final String NL = System.lineSeparator();

  @TempDir Path home;
  @RegisterExtension final FakeApi api = new FakeApi();

  @Test
  void restore_runningToHold_printsALinePerChange_thenTheEndpoint_exit0() {
    api.answer("GET", "/v1/runs/" + RUN, 200,
        RunJson.run(RUN, "restore", "pending", null, 0, null, null),
        RunJson.run(RUN, "restore", "running", "restore", 5, null, "restoring snapshot"),
        RunJson.run(RUN, "restore", "running", "restore", 5, 1024L, "restoring snapshot"),
        RunJson.run(RUN, "restore", "running", "restore", 45, 1L << 30, "replaying WAL"),
        RunJson.held(RUN, URI));

    CliRun run = CliRun.of(api.env(), home, "runs", "watch", RUN);

    assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCode.OK);
    assertThat(run.out()).isEqualTo(
        "pending   [------------------------]   0%" + NL
        + "restore   [#-----------------------]   5%  restoring snapshot" + NL
        + "restore   [##########--------------]  45%  1.0 GiB  replaying WAL" + NL
        + "hold      [#####################---]  90%  ready at " + URI + NL
        + RUN + " is ready: " + URI + NL
        + "held until 2026-11-24T12:31:20Z or released; release it with: lifeboat release " + RUN + NL);
    assertThat(run.err()).isEmpty();
    assertThat(api.requests()).hasSize(5);
  }

  @Test
  void running_toFailed_printsTheErrorTypeAndMessage_exit1() {
    api.answer("GET", "/v1/runs/" + RUN, 200,
        RunJson.run(RUN, "restore", "running", "restore", 20, null, "replaying WAL"),
        RunJson.failed(RUN, "restore", "restore", "WAL_MISSING", "segment 000000010000000000000042 is missing"));

    CliRun run = CliRun.of(api.env(), home, "runs", "watch", RUN);

    assertThat(run.exitCode()).isEqualTo(ExitCode.FAILED);
    assertThat(run.out()).endsWith(RUN + " failed at step restore" + NL);
    assertThat(run.err()).isEqualTo("error: WAL_MISSING: segment 000000010000000000000042 is missing" + NL);
  }

  @Test
  void drill_succeeded_printsWhereItsReportIs() {
    String drill = "drill-techcorp-primary-1a2b3c4d";
    api.answer("GET", "/v1/runs/" + drill, 200, """
        {"runId":"%s","kind":"drill","phase":"succeeded","step":"report","progress":{"percent":100},
         "links":{"reportHtml":"/v1/drills/%s/report.html"}}""".formatted(drill, drill));

    CliRun run = CliRun.of(api.env(), home, "runs", "watch", drill);

    assertThat(run.exitCode()).isEqualTo(ExitCode.OK);
    assertThat(run.out()).endsWith(drill + " succeeded" + NL + "report: /v1/drills/" + drill + "/report.html on the API" + NL);
  }

  @Test
  void cancelled_exit1() {
    api.answer("GET", "/v1/runs/" + RUN, 200, """
        {"runId":"%s","kind":"restore","phase":"cancelled","step":"teardown","progress":{},
         "error":{"type":"CANCELLED","message":"cancelled by alice"}}""".formatted(RUN));

    CliRun run = CliRun.of(api.env(), home, "runs", "watch", RUN);

    assertThat(run.exitCode()).isEqualTo(ExitCode.FAILED);
    assertThat(run.err()).isEqualTo("error: CANCELLED: cancelled by alice" + NL);
  }

  @Test
  void onATerminal_redrawsOneLineInPlaceWhenItChanges_andKeepsEachFinishedStep() {
    api.answer("GET", "/v1/runs/" + RUN, 200,
        RunJson.run(RUN, "restore", "running", "restore", 5, null, "restoring a long detail"),
        RunJson.run(RUN, "restore", "running", "restore", 50, null, "short"),
        RunJson.run(RUN, "restore", "running", "restore", 50, null, "short"),
        RunJson.held(RUN, URI));

    CliRun run = CliRun.of(api.env(), home, true, "runs", "watch", RUN);

    assertThat(run.exitCode()).isEqualTo(ExitCode.OK);
    String first = "restore   [#-----------------------]   5%  restoring a long detail";
    String second = "restore   [############------------]  50%  short";
    // 80 columns (no COLUMNS set): the held line is cut so that the terminal never wraps it.
    String held = ("hold      [#####################---]  90%  ready at " + URI).substring(0, 76) + "...";
    assertThat(run.out()).isEqualTo("\r" + first + "\r" + second + " ".repeat(first.length() - second.length())
        + "\n\r" + held + "\n" + RUN + " is ready: " + URI + NL
        + "held until 2026-11-24T12:31:20Z or released; release it with: lifeboat release " + RUN + NL);
  }

  @Test
  void tableRecovery_waitingApproval_untilWaiting_printsWhatItWaitsFor_exit0() {
    String waiting = RunJson.run("tables-p-1", "table-recovery", "waiting-approval", "approval", 72, null,
        "waiting for an approver other than alice; 3 exported rows are missing now");
    api.answer("GET", "/v1/runs/tables-p-1", 200,
        RunJson.run("tables-p-1", "table-recovery", "running", "compare", 60, null, "comparing"), waiting);

    CliRun run = CliRun.of(api.env(), home, "runs", "watch", "tables-p-1", "--until-waiting");

    assertThat(run.exitCode()).isEqualTo(ExitCode.OK);
    assertThat(run.out()).contains("tables-p-1 waits for approval: waiting for an approver other than alice; "
        + "3 exported rows are missing now" + NL + "approve: lifeboat approve tables-p-1");
  }

  @Test
  void tableRecovery_waitingApproval_withoutUntilWaiting_keepsWatchingUntilItEnds() {
    String waiting = RunJson.run("tables-p-1", "table-recovery", "waiting-approval", "approval", 72, null,
        "waiting for an approver");
    api.answer("GET", "/v1/runs/tables-p-1", 200, waiting, waiting, waiting,
        RunJson.run("tables-p-1", "table-recovery", "running", "import", 80, null, "importing"),
        RunJson.run("tables-p-1", "table-recovery", "succeeded", null, 100, null, null));

    CliRun run = CliRun.of(api.env(), home, "runs", "watch", "tables-p-1");

    assertThat(run.exitCode()).isEqualTo(ExitCode.OK);
    assertThat(run.out()).containsOnlyOnce("waits for approval").contains("importing")
        .endsWith("tables-p-1 succeeded" + NL);
  }

  @Test
  void shortOutage_isRiddenOut_longOne_exit3() {
    api.answer("GET", "/v1/runs/" + RUN, 200, RunJson.run(RUN, "restore", "running", "restore", 5, null, null));
    api.answer("GET", "/v1/runs/" + RUN, 503, RunJson.error(503, "CATALOG_UNAVAILABLE", "catalog down"));

    CliRun run = CliRun.of(api.env(), home, "runs", "watch", RUN);

    assertThat(run.exitCode()).isEqualTo(ExitCode.UNAVAILABLE);
    assertThat(run.err()).startsWith("note: lost the API (CATALOG_UNAVAILABLE: catalog down); retrying for up to")
        .endsWith("error: CATALOG_UNAVAILABLE: catalog down" + NL);
  }

  @Test
  void restoreWatch_startsThenFollows() {
    api.answer("POST", "/v1/restores", 202, RunJson.run(RUN, "restore", "pending", null, 0, null, null));
    api.answer("GET", "/v1/runs/" + RUN, 200, RunJson.held(RUN, URI));

    CliRun run = CliRun.of(api.env(), home, "restore", "--instance", "techcorp-primary", "--time",
        "2026-11-24T10:31:00Z", "--ttl", "1h", "--reason", "r", "--watch");

    assertThat(run.exitCode()).isEqualTo(ExitCode.OK);
    assertThat(run.out()).startsWith(RUN + NL).contains(RUN + " is ready: " + URI);
    assertThat(api.requests()).extracting(FakeApi.Request::method).containsExactly("POST", "GET");
  }
}
