package dev.lifeboat.app.client;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code lifeboat runs watch RUN}: progress until the run ends or is ready; the exit code says how. */
@Command(name = "watch",
    description = "Follow a run with a live progress bar until it succeeds (0), fails or is cancelled (1); a "
        + "restore ends the watch when its instance is ready (0, the endpoint printed).")
final class RunsWatchCommand extends ApiCommand {
  @Parameters(paramLabel = "RUN", description = "the run id")
  String runId;

  @Option(names = "--until-waiting",
      description = "stop (exit 0) once the run waits for approval, instead of waiting for the decision")
  boolean untilWaiting;

  @Override
  public Integer call() throws InterruptedException {
    return watch(runId, untilWaiting);
  }
}
