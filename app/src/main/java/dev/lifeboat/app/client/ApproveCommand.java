package dev.lifeboat.app.client;

import picocli.CommandLine.Command;

/** {@code lifeboat approve RUN}: {@code POST /v1/runs/{id}/approve}. */
@Command(name = "approve", description = "Approve a run waiting for approval (a table recovery's import).")
final class ApproveCommand extends DecisionCommand {
  @Override
  String action() {
    return "approve";
  }

  @Override
  String done() {
    return "approved";
  }
}
