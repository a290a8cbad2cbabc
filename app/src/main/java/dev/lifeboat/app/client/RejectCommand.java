package dev.lifeboat.app.client;

import picocli.CommandLine.Command;

/** {@code lifeboat reject RUN}: {@code POST /v1/runs/{id}/reject}. */
@Command(name = "reject",
    description = "Reject a run waiting for approval: it ends cancelled, production untouched, export kept.")
final class RejectCommand extends DecisionCommand {
  @Override
  String action() {
    return "reject";
  }

  @Override
  String done() {
    return "rejected";
  }
}
