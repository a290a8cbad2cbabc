package dev.lifeboat.api.failover;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeboat.common.model.RunKind;
import dev.lifeboat.common.model.RunPhase;
import dev.lifeboat.common.model.RunState;
import dev.lifeboat.common.model.StepState;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FailoverReportPageTest {
  private static final Instant T0 = Instant.parse("2026-11-30T02:00:00Z");

  @Test
  void page_ofAFailoverWaitingForItsApproval_isInProgress_namesWhoMustApprove_andMeasuresNothingYet() {
    RunState waiting = new RunState("failover-db-00000001", RunKind.FAILOVER, "db", "alice", "primary down",
        RunPhase.WAITING_APPROVAL, "approval", 10, null, "waiting", List.of(
            new StepState("preflight", "succeeded", T0, T0.plusMillis(850), "measured db-replica-1"),
            new StepState("approval", "running", T0.plusMillis(850), null, "waiting for an approver")),
        Map.of("instance", "db", "mode", "promote-replica", "replica", "db-replica-1", "database", "db",
            "maxDataLoss", "PT1M", "emergency", false),
        null, Map.of("preflight", Map.of("expectedDataLoss", "PT3S")), null, T0, null, null);

    String html = FailoverReportPage.render(waiting, T0.plusSeconds(5));

    assertThat(html).startsWith("<!DOCTYPE html>").contains("<title>Failover failover-db-00000001 · IN PROGRESS",
        "data-outcome=\"running\"", "db failed over to db-replica-1",
        "Not approved yet: it waits for an approver other than alice", "<dd>PT3S</dd>",
        "<div class=\"measure unknown\" id=\"rto\">", "<div class=\"measure unknown\" id=\"data-loss\">",
        "data-step=\"approval\"", "<a href=\"/v1/runs/failover-db-00000001\">");
    assertThat(html).doesNotContain("<script", "src=");
    assertThat(FailoverReportPage.path("failover-db-00000001"))
        .isEqualTo("/v1/failovers/failover-db-00000001/report.html");
  }
}
