package dev.lifeboat.app.client;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

/**
 * {@code lifeboat} as a client of the REST API. The global options may come before or after the
 * command ({@code lifeboat --json runs list}, {@code lifeboat runs list --json}).
 */
@Command(
    name = "lifeboat",
    description = "Client of the Lifeboat REST API: start restores, table recoveries and drills; follow, "
        + "approve, release and cancel runs; make tokens for the API's configuration.",
    subcommands = {
        RestoreCommand.class,
        TableRecoveryCommand.class,
        DrillCommand.class,
        RunsCommand.class,
        ApproveCommand.class,
        RejectCommand.class,
        ReleaseCommand.class,
        CancelCommand.class,
        SnapshotsCommand.class,
        PreflightCommand.class,
        TokenCommand.class,
        HelpCommand.class},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
        "0:success; for a watch: the run succeeded, a restore is ready (step hold), or with --until-waiting "
            + "a run waits for approval",
        "1:the run failed or was cancelled, or the API refused the request (4xx other than 401, 403)",
        "2:usage error, or a bad setting: no token, an API address that is not a URL",
        "3:the API cannot be reached or answered 5xx",
        "4:the API refused the caller: the token is not valid (401), or the caller may not do this (403: a "
            + "role missing, another's run, one's own approval)"},
    footer = {
        "%nThe API: --api, else LIFEBOAT_API, else `api` in the config file,",
        "else http://127.0.0.1:8080. The config file: LIFEBOAT_CONFIG, else",
        "~/.config/lifeboat/cli.properties (keys api, token). Every API call needs a",
        "bearer token, from LIFEBOAT_TOKEN, else `token` in the config file; it names",
        "the caller and brings their roles. lifeboat dev writes one per role to",
        "dev-tokens.env in its home: source .lifeboat/dev-tokens.env (the",
        "operator's becomes LIFEBOAT_TOKEN). lifeboat token makes one for a server.",
        "Server commands (dev, server, worker, check): lifeboat -h"})
final class LifeboatCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--api", scope = ScopeType.INHERIT, paramLabel = "URL",
      description = "the Lifeboat API (default: LIFEBOAT_API, else the config file, else http://127.0.0.1:8080)")
  String apiOption;

  @Option(names = "--json", scope = ScopeType.INHERIT,
      description = "print the API's JSON instead of text")
  boolean json;

  @Option(names = {"-h", "--help"}, usageHelp = true, description = "show this help")
  boolean help;

  final CliContext context;
  final ObjectMapper mapper = new ObjectMapper();
  private ApiClient api;

  LifeboatCommand(CliContext context) {
    this.context = context;
  }

  @Override
  public Integer call() {
    throw new ParameterException(spec.commandLine(), "Missing a command; see lifeboat help");
  }

  /**
   * The client for the settings of this invocation; a bad setting is a usage error of {@code command}.
   *
   * @throws MissingToken when no token is set: the command stops before it sends anything
   */
  ApiClient api(CommandLine command) {
    if (api == null) {
      ClientSettings settings;
      try {
        settings = ClientSettings.resolve(apiOption, context);
      } catch (IllegalArgumentException e) {
        throw new ParameterException(command, e.getMessage());
      }
      api = new ApiClient(settings, mapper);
    }
    return api;
  }
}
