package dev.lifeboat.app.client;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code lifeboat runs list|show|watch}. */
@Command(name = "runs", description = "List, show and watch runs of every kind.",
    subcommands = {RunsListCommand.class, RunsShowCommand.class, RunsWatchCommand.class})
final class RunsCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = {"-h", "--help"}, usageHelp = true, description = "show this help")
  boolean help;

  @Override
  public Integer call() {
    throw new ParameterException(spec.commandLine(), "Missing a command: list, show or watch");
  }
}
