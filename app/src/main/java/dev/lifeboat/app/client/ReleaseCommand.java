package dev.lifeboat.app.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code lifeboat release RUN}: {@code POST /v1/runs/{id}/release}. */
@Command(name = "release", description = "End the hold of a restored instance now; it is deleted right after.")
final class ReleaseCommand extends ApiCommand {
  @Parameters(paramLabel = "RUN", description = "the run id of a restore")
  String runId;

  @Option(names = "--reason", paramLabel = "TEXT", description = "recorded with the run")
  String reason;

  @Override
  public Integer call() {
    ObjectNode body = object();
    putIfSet(body, "reason", reason);
    JsonNode run = api().post(ApiPaths.run(runId, "release"), body);
    if (json()) {
      printJson(run);
    } else {
      out().println("released " + runId + "; its instance is being deleted (phase " + run.path("phase").asText() + ")");
      out().flush();
    }
    return ExitCode.OK;
  }
}
