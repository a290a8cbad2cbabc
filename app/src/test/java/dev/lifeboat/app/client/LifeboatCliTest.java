package dev.lifeboat.app.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Which arguments reach the client, and usage and settings errors: exit 2, one clear line, nothing sent. */
class LifeboatCliTest {
  @TempDir Path home;
  @RegisterExtension final FakeApi api = new FakeApi();

  @Test
  void handles_clientCommandsAndGlobalOptions_notTheServerCommands() {
    assertThat(LifeboatCli.handles("restore", "--instance", "x")).isTrue();
    assertThat(LifeboatCli.handles("runs", "list")).isTrue();
    assertThat(LifeboatCli.handles("table-recovery")).isTrue();
    assertThat(LifeboatCli.handles("--api", "http://h:1", "runs", "list")).isTrue();
    assertThat(LifeboatCli.handles("--api=http://h:1", "runs", "list")).isTrue();
    assertThat(LifeboatCli.handles("--json", "snapshots")).isTrue();
    assertThat(LifeboatCli.handles("token", "--name", "alice", "--role", "operator")).isTrue();

    assertThat(LifeboatCli.handles()).isFalse();
    for (String server : new String[] {"dev", "server", "worker", "check", "-h", "--help", "-v", "--version"}) {
      assertThat(LifeboatCli.handles(server, "lifeboat.yml")).as(server).isFalse();
    }
  }

  @Test
  void handles_knowsEveryClientCommand() {
    CliContext context = new CliContext(Map.of(), home, false, Duration.ZERO, d -> { });
    assertThat(LifeboatCli.commandLine(context).getSubcommands().keySet())
        .containsExactlyInAnyOrderElementsOf(LifeboatCli.COMMANDS);
  }

  @Test
  void restore_withoutReason_isAUsageErrorAndSendsNothing() {
    CliRun run = CliRun.of(api.env(), home, "restore", "--instance", "techcorp-primary", "--time",
        "2026-11-24T10:31:00Z");

    assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
    assertThat(run.err()).contains("error: Missing required option: '--reason=TEXT'")
        .contains("recorded with the run and in the audit log")
        .contains("Try 'lifeboat restore --help'")
        .doesNotContain("Exception");
    assertThat(api.requests()).isEmpty();
  }

  @Test
  void tableRecoveryAndDrill_withoutReason_areUsageErrors() {
    assertThat(CliRun.of(api.env(), home, "table-recovery", "--instance", "p", "--time", "t", "--table", "a.b")
        .exitCode()).isEqualTo(ExitCode.USAGE);
    assertThat(CliRun.of(api.env(), home, "drill", "--instance", "p", "--region", "dr-1").exitCode())
        .isEqualTo(ExitCode.USAGE);
    assertThat(api.requests()).isEmpty();
  }

  @Test
  void unknownOptionOrCommand_isAUsageError() {
    CliRun option = CliRun.of(api.env(), home, "runs", "list", "--kinds", "restore");
    CliRun command = CliRun.of(api.env(), home, "runs", "lst");
    CliRun none = CliRun.of(api.env(), home, "runs");

    assertThat(option.exitCode()).isEqualTo(ExitCode.USAGE);
    assertThat(option.err()).startsWith("error: Unknown options: '--kinds', 'restore'")
        .contains("Possible solutions: --kind");
    assertThat(command.exitCode()).isEqualTo(ExitCode.USAGE);
    assertThat(none.exitCode()).isEqualTo(ExitCode.USAGE);
    assertThat(none.err()).contains("Missing a command: list, show or watch");
    assertThat(api.requests()).isEmpty();
  }

  @Test
  void help_listsTheCommandsAndExitCodes() {
    CliRun run = CliRun.of(api.env(), home, "help");

    assertThat(run.exitCode()).isEqualTo(ExitCode.OK);
    assertThat(run.out()).contains("restore", "table-recovery", "drill", "runs", "approve", "snapshots", "token")
        .contains("Exit codes:", "lifeboat -h", "LIFEBOAT_TOKEN", "dev-tokens.env")
        .containsPattern("4\\s+the API refused the caller")
        .doesNotContain("--user", "X-Lifeboat-User", "LIFEBOAT_USER");
  }

  @Test
  void withoutAToken_everyApiCommandStopsBeforeSending_exit2_sayingWhereToGetOne() {
    Map<String, String> env = api.env();
    env.remove("LIFEBOAT_TOKEN");
    String[][] commands = {
        {"runs", "list"}, {"runs", "watch", "r-1"}, {"runs", "show", "r-1"}, {"snapshots"}, {"approve", "r-1"},
        {"release", "r-1"}, {"cancel", "r-1"}, {"restore", "--instance", "p", "--time", "t", "--reason", "r"}};

    for (String[] command : commands) {
      CliRun run = CliRun.of(env, home, command);

      assertThat(run.exitCode()).as(String.join(" ", command)).isEqualTo(ExitCode.USAGE);
      assertThat(run.out()).isEmpty();
      assertThat(run.err().lines()).as(run.err()).hasSize(1);
      assertThat(run.err()).startsWith("error: no token: ")
          .contains("source .lifeboat/dev-tokens.env", "LIFEBOAT_TOKEN",
              "token=... in " + home.resolve(".config/lifeboat/cli.properties"), "lifeboat token");
    }
    assertThat(api.requests()).isEmpty();
  }

  @Test
  void withoutAToken_theHintNamesTheDevHomeAndTheConfigFileInUse() throws Exception {
    Path config = home.resolve("cli.properties");
    Files.writeString(config, "api=" + api.url() + "\n");

    CliRun run = CliRun.of(Map.of("LIFEBOAT_HOME", "/srv/lifeboat", "LIFEBOAT_CONFIG", config.toString()), home,
        "runs", "list");

    assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
    assertThat(run.err()).contains("source /srv/lifeboat/dev-tokens.env", "token=... in " + config);
    assertThat(api.requests()).isEmpty();
  }

  @Test
  void userOption_isGone_theTokenNamesTheCaller() {
    CliRun run = CliRun.of(api.env(), home, "runs", "list", "--user", "bob");

    assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
    assertThat(run.err()).startsWith("error: Unknown option");
    assertThat(LifeboatCli.handles("--user", "bob", "runs", "list")).isFalse();
    assertThat(api.requests()).isEmpty();
  }

  @Test
  void apiThatIsNotAnHttpUrl_isAUsageError() {
    CliRun run = CliRun.of(Map.of(), home, "--api", "ftp://host", "runs", "list");

    assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
    assertThat(run.err()).contains("must be an http or https URL");
  }

  @Test
  void configNamedByEnvironment_mustExist() {
    CliRun run = CliRun.of(Map.of("LIFEBOAT_API", api.url(), "LIFEBOAT_CONFIG", home.resolve("nope").toString()),
        home, "runs", "list");

    assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
    assertThat(run.err()).contains("LIFEBOAT_CONFIG names").contains("does not exist");
  }

  @Test
  void tokenThatCannotBeAHeader_isAUsageError_withoutShowingIt() {
    Map<String, String> env = api.env();
    env.put("LIFEBOAT_TOKEN", "s3cret\u0001token");

    CliRun run = CliRun.of(env, home, "runs", "list");

    assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
    assertThat(run.err()).contains("the token (from LIFEBOAT_TOKEN) contains characters")
        .doesNotContain("s3cret");
    assertThat(api.requests()).isEmpty();
  }

  @Test
  void malformedConfigFile_isNamedWithoutQuotingItsContent() throws Exception {
    Path config = home.resolve("cli.properties");
    Files.writeString(config, "token=s3cret-token\\u12");

    CliRun run = CliRun.of(Map.of("LIFEBOAT_API", api.url(), "LIFEBOAT_CONFIG", config.toString()), home,
        "runs", "list");

    assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
    assertThat(run.err()).contains("cannot read the CLI config file " + config).doesNotContain("s3cret");
  }
}
