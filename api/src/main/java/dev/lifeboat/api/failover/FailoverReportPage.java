package dev.lifeboat.api.failover;

import dev.lifeboat.api.reports.Html;
import dev.lifeboat.api.reports.ReportPage;
import dev.lifeboat.api.views.RunView;
import dev.lifeboat.common.model.RunPhase;
import dev.lifeboat.common.model.RunState;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A failover run as one self-contained HTML page, the same shape as a drill's report: a pass/fail
 * header with who requested and who approved (or declared the emergency), the measured RTO and
 * data loss (against {@code maxDataLoss}), what each step did, and the step timeline. It renders
 * from the run's recorded state alone (the catalog's), so it also shows a failover that failed or
 * still runs.
 */
public final class FailoverReportPage {
  private FailoverReportPage() {}

  public static String path(String runId) {
    return "/v1/failovers/" + runId + "/report.html";
  }

  /** {@code passed}, {@code failed}, {@code cancelled} or {@code running} (not ended yet). */
  public static String outcome(RunState run) {
    if (run.phase() == RunPhase.SUCCEEDED) {
      return "passed";
    }
    if (run.phase() == RunPhase.FAILED) {
      return "failed";
    }
    return run.phase() == RunPhase.CANCELLED ? "cancelled" : "running";
  }

  public static String render(RunState run, Instant now) {
    Map<String, Object> request = run.request() == null ? Map.of() : run.request();
    Map<String, Object> result = run.result() == null ? Map.of() : run.result();
    String outcome = outcome(run);
    String verdict = switch (outcome) {
      case "passed" -> "SUCCEEDED";
      case "running" -> "IN PROGRESS (" + run.phase().wireName() + ")";
      default -> outcome.toUpperCase(Locale.ROOT);
    };
    boolean inDr = "restore-in-dr".equals(text(request.get("mode")));
    String newPrimary = text(first(result.get("newPrimary"),
        inDr ? request.get("newInstance") : request.get("replica")));
    StringBuilder html = ReportPage.begin("Failover " + run.runId() + " · " + verdict);
    List<String> lines = new ArrayList<>();
    lines.add(run.instance() + (inDr ? " restored in " + text(request.get("region")) + " as " + newPrimary
        : " failed over to " + newPrimary) + " · mode " + text(request.get("mode")) + " · pooler database "
        + text(request.get("database")) + " · run " + run.runId());
    lines.add("Started " + Html.time(run.startedAt()) + " · stopped " + Html.time(run.stoppedAt())
        + " · requested by " + run.requester() + (run.reason() == null ? "" : ": " + run.reason()));
    lines.add(approval(run, request, result));
    ReportPage.verdict(html, outcome, "Failover " + verdict, lines, run.error());
    html.append("<main>\n");
    measures(html, request, result);
    steps(html, run, request, result, inDr, newPrimary);
    ReportPage.timeline(html, run.steps(), run.startedAt(), run.stoppedAt());
    Map<String, String> links = new LinkedHashMap<>();
    links.put("run", RunView.path(run.runId()));
    return ReportPage.end(html, "Lifeboat failover report", now, links);
  }

  /** Who let the failover change anything: the approver, or the admin who declared an emergency. */
  private static String approval(RunState run, Map<String, Object> request, Map<String, Object> result) {
    Map<String, Object> approval = map(result.get("approval"));
    if (Boolean.TRUE.equals(approval.get("emergency"))) {
      return "Emergency declared by " + text(approval.get("by")) + ": no approval was required";
    }
    if (approval.get("by") != null) {
      boolean approved = !Boolean.FALSE.equals(approval.get("approved"));
      Object comment = approval.get("comment");
      return (approved ? "Approved by " : "Rejected by ") + text(approval.get("by")) + " at "
          + Html.time(instant(approval.get("at"))) + (comment == null ? "" : ": " + comment);
    }
    if (Boolean.TRUE.equals(request.get("emergency"))) {
      return "Emergency declared by " + run.requester() + ": no approval was required";
    }
    return run.phase().terminal() ? "Never approved: this run fenced, promoted, restored and switched nothing"
        : "Not approved yet: it waits for an approver other than " + run.requester();
  }

  private static void measures(StringBuilder html, Map<String, Object> request, Map<String, Object> result) {
    html.append("<section id=\"summary\"><h2>Recovery measures</h2><div class=\"measures\">");
    Duration rto = seconds(result.get("rtoSeconds"));
    Duration approvalWait = seconds(result.get("approvalWaitSeconds"));
    Duration switchTook = seconds(result.get("switchSeconds"));
    ReportPage.measure(html, "RTO", "rto", "request to traffic switched", rto, null,
        rto == null ? "unknown" : "measured", rto == null ? "not measured: the run did not switch traffic"
            : "approval wait " + Html.duration(approvalWait) + ", approval to switch " + Html.duration(switchTook));
    Duration loss = seconds(result.get("dataLossSeconds"));
    Duration max = duration(request.get("maxDataLoss"));
    ReportPage.measure(html, "Data loss", "data-loss", "old primary's newest commit against the new primary's",
        loss, max, ReportPage.state(loss == null || max == null ? null : loss.compareTo(max) <= 0),
        result.get("dataLossBasis") == null ? "not measured" : text(result.get("dataLossBasis")));
    html.append("</div><dl>");
    Map<String, Object> preflight = map(result.get("preflight"));
    ReportPage.item(html, "Expected data loss at preflight", text(preflight.get("expectedDataLoss")));
    Map<String, Object> atApproval = map(result.get("atApproval"));
    if (!atApproval.isEmpty()) {
      ReportPage.item(html, "Expected data loss at approval", text(atApproval.get("expectedDataLoss")));
    }
    ReportPage.item(html, "maxDataLoss", text(request.get("maxDataLoss"))
        + (Boolean.TRUE.equals(request.get("force")) ? " (force: a larger loss was accepted)" : ""));
    if (result.get("forced") != null) {
      ReportPage.item(html, "Forced", text(result.get("forced")));
    }
    html.append("</dl></section>\n");
  }

  /** What each step did, from what the run published. */
  private static void steps(StringBuilder html, RunState run, Map<String, Object> request, Map<String, Object> result,
      boolean inDr, String newPrimary) {
    html.append("<section id=\"outcomes\"><h2>What changed</h2><dl>");
    ReportPage.item(html, "Old primary", run.instance());
    ReportPage.item(html, "New primary", newPrimary);
    Map<String, Object> preflight = map(result.get("preflight"));
    Map<String, Object> before = map(preflight.get("routeBefore"));
    if (!before.isEmpty()) {
      ReportPage.item(html, "Pooler before", route(before));
    }
    Map<String, Object> fence = map(result.get("fence"));
    ReportPage.item(html, "Fence", fence.isEmpty() ? "–" : text(fence.get("instance")) + ": " + text(fence.get("how"))
        + " · last commit " + Html.time(instant(fence.get("lastCommit"))) + " · at "
        + Html.time(instant(fence.get("fencedAt"))));
    if (inDr) {
      Map<String, Object> restore = map(result.get("restore"));
      ReportPage.item(html, "Restore", restore.isEmpty() ? "–" : "from " + text(restore.get("snapshotId")) + " in "
          + text(restore.get("region")) + " to " + Html.time(instant(restore.get("restoredTo"))) + " · timeline "
          + text(restore.get("timeline")) + (Boolean.TRUE.equals(restore.get("alreadyRestored"))
              ? " (restored by an earlier attempt)" : ""));
      List<String> replicas = list(result.get("replica")).stream().map(FailoverReportPage::map)
          .map(r -> text(r.get("replica")) + " (" + text(r.get("how")) + ", in place of " + text(r.get("replaces"))
              + ")").toList();
      ReportPage.item(html, "Replica", replicas.isEmpty() ? "–" : String.join("; ", replicas));
    } else {
      Map<String, Object> promote = map(result.get("promote"));
      ReportPage.item(html, "Promote", promote.isEmpty() ? "–" : text(promote.get("instance")) + " · timeline "
          + text(promote.get("timeline")) + " · last replayed commit "
          + Html.time(instant(promote.get("lastReplayedCommit")))
          + (Boolean.TRUE.equals(promote.get("alreadyPromoted")) ? " (promoted by an earlier attempt)" : ""));
      List<String> repointed = list(result.get("repoint")).stream().map(FailoverReportPage::map)
          .map(r -> text(r.get("replica")) + " (" + text(r.get("how")) + ")").toList();
      ReportPage.item(html, "Repointed replicas", repointed.isEmpty() ? "–" : String.join("; ", repointed));
    }
    Map<String, Object> switched = map(result.get("switch"));
    Map<String, Object> check = map(switched.get("check"));
    ReportPage.item(html, "Switch", switched.isEmpty() ? "–" : route(map(switched.get("route"))));
    ReportPage.item(html, "Check through the pooler", check.isEmpty() ? "–"
        : "in recovery: " + text(check.get("inRecovery")) + " · server port " + text(check.get("port"))
            + " · system identifier " + text(check.get("systemIdentifier")));
    html.append("</dl></section>\n");
  }

  private static String route(Map<String, Object> route) {
    return text(route.get("database")) + " → " + text(route.get("host")) + ":" + text(route.get("port"))
        + (route.get("instance") == null ? "" : " (" + route.get("instance") + ")");
  }

  private static Object first(Object a, Object b) {
    return a != null ? a : b;
  }

  private static String text(Object value) {
    return value == null ? "–" : String.valueOf(value);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object value) {
    return value instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
  }

  private static List<?> list(Object value) {
    return value instanceof List<?> list ? list : List.of();
  }

  private static Duration seconds(Object value) {
    return value instanceof Number n ? Duration.ofMillis(Math.round(n.doubleValue() * 1000)) : null;
  }

  private static Duration duration(Object value) {
    try {
      return value == null ? null : Duration.parse(String.valueOf(value));
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  /** ISO-8601 text, or epoch seconds where a converter wrote the time as a number. */
  private static Instant instant(Object value) {
    if (value instanceof Number n) {
      return Instant.ofEpochMilli(Math.round(n.doubleValue() * 1000));
    }
    try {
      return value == null ? null : Instant.parse(String.valueOf(value));
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
