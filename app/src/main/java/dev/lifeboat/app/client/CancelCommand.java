package dev.lifeboat.app.client;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code lifeboat cancel RUN}: {@code POST /v1/runs/{id}/cancel}. */
@Command(name = "cancel", description = "Ask a run to stop and clean up; it records its end itself.")
final class CancelCommand extends ApiCommand {
  @Parameters(paramLabel = "RUN", description = "the run id")
  String runId;

  @Override
  public Integer call() {
    JsonNode run = api().post(ApiPaths.run(runId, "cancel"), null);
    if (json()) {
      printJson(run);
    } else {
      out().println("cancelling " + runId + "; follow it with: lifeboat runs watch " + runId);
      out().flush();
    }
    return ExitCode.OK;
  }
}
