package dev.lifeboat.app.client;

import java.io.PrintWriter;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.MissingParameterException;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;
import picocli.CommandLine;

/**
 * Entry point of the {@code lifeboat} client commands. It starts nothing but an HTTP client: no
 * Dropwizard, no Temporal, no logging, so a command answers in well under a second and prints
 * only what it was asked for. Errors are one line on stderr, never a stack trace; the exit code
 * follows {@link ExitCode}.
 */
public final class LifeboatCli {
  /** The first arguments that make {@code lifeboat} a client; everything else goes to Dropwizard. */
  static final Set<String> COMMANDS = Set.of(
      "restore", "table-recovery", "drill", "runs", "approve", "reject", "release", "cancel", "snapshots", "preflight",
      "token", "help");
  private static final List<String> GLOBAL_OPTIONS = List.of("--api", "--json");

  private LifeboatCli() {}

  public static void main(String... args) {
    System.exit(run(args));
  }

  /** True when {@code args} name a client command (or start with a client option such as {@code --api}). */
  public static boolean handles(String... args) {
    if (args.length == 0) {
      return false;
    }
    String first = args[0];
    return COMMANDS.contains(first)
        || GLOBAL_OPTIONS.stream().anyMatch(option -> first.equals(option) || first.startsWith(option + "="));
  }

  /** Runs one command in this process against the real environment; returns its exit code. */
  public static int run(String... args) {
    return commandLine(CliContext.system()).execute(args);
  }

  /** The command line, ready to {@code execute}; set its out and err to capture what it prints. */
  public static CommandLine commandLine(CliContext context) {
    CommandLine cli = new CommandLine(new LifeboatCommand(context));
    cli.setParameterExceptionHandler(LifeboatCli::usageError);
    cli.setExecutionExceptionHandler(LifeboatCli::failure);
    return cli;
  }

  private static int usageError(ParameterException e, String[] args) {
    CommandLine command = e.getCommandLine();
    PrintWriter err = command.getErr();
    err.println("error: " + e.getMessage() + reasonHint(e));
    if (e instanceof UnmatchedArgumentException unmatched) {
      UnmatchedArgumentException.printSuggestions(unmatched, err);
    }
    err.println("Try '" + command.getCommandSpec().qualifiedName() + " --help' for more information.");
    err.flush();
    return ExitCode.USAGE;
  }

  /** Everything a command throws ends here: one line, and the exit code that says what kind of failure. */
  private static int failure(Exception e, CommandLine command, ParseResult parsed) {
    PrintWriter err = command.getErr();
    command.getOut().flush();
    int code;
    if (e instanceof ApiError error) {
      err.println(error.line());
      code = exitCode(error);
    } else if (e instanceof MissingToken missing) {
      err.println("error: " + missing.getMessage());
      code = ExitCode.USAGE;
    } else if (e instanceof ApiUnreachable unreachable) {
      err.println("error: " + unreachable.getMessage());
      code = ExitCode.UNAVAILABLE;
    } else if (e instanceof InterruptedException) {
      Thread.currentThread().interrupt();
      err.println("error: interrupted");
      code = ExitCode.FAILED;
    } else {
      err.println("error: " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
      code = ExitCode.FAILED;
    }
    err.flush();
    return code;
  }

  private static int exitCode(ApiError error) {
    if (error.status() == 401 || error.status() == 403) {
      return ExitCode.DENIED;
    }
    return error.status() >= 500 ? ExitCode.UNAVAILABLE : ExitCode.FAILED;
  }

  /** The API requires a reason for every run; say why the CLI asks for one. */
  private static String reasonHint(ParameterException e) {
    if (e instanceof MissingParameterException missing) {
      for (ArgSpec arg : missing.getMissing()) {
        if (arg instanceof OptionSpec option && "--reason".equals(option.longestName())) {
          return " (say why: the reason is recorded with the run and in the audit log)";
        }
      }
    }
    return "";
  }
}
