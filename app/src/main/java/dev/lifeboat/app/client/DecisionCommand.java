package dev.lifeboat.app.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Approve or reject a run waiting for approval; the API refuses the run's own requester. */
abstract class DecisionCommand extends ApiCommand {
  @Parameters(paramLabel = "RUN", description = "the run id")
  String runId;

  @Option(names = "--comment", paramLabel = "TEXT", description = "recorded with the decision")
  String comment;

  /** {@code approve} or {@code reject}: the path's last segment. */
  abstract String action();

  abstract String done();

  @Override
  public Integer call() {
    ObjectNode body = object();
    putIfSet(body, "comment", comment);
    JsonNode run = api().post(ApiPaths.run(runId, action()), body);
    if (json()) {
      printJson(run);
    } else {
      RunStatus status = RunStatus.of(run);
      out().println(done() + " " + runId + " (phase " + status.phase()
          + (status.step() == null ? "" : ", step " + status.step()) + ")");
      out().flush();
    }
    return ExitCode.OK;
  }
}
