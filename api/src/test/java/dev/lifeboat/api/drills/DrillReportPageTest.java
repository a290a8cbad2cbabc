package dev.lifeboat.api.drills;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeboat.api.reports.Html;
import dev.lifeboat.common.model.DrillCheck;
import dev.lifeboat.common.model.DrillMeasure;
import dev.lifeboat.common.model.DrillReport;
import dev.lifeboat.common.model.RunError;
import dev.lifeboat.common.model.StepState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class DrillReportPageTest {
  private static final Instant T0 = Instant.parse("2026-11-01T04:00:00Z");

  static DrillReport report(int week, long rtoSeconds, Duration rpo, boolean passed) {
    Instant start = T0.plus(Duration.ofDays(7L * week));
    Instant verified = start.plusSeconds(rtoSeconds);
    DrillMeasure rto = new DrillMeasure(Duration.ofSeconds(rtoSeconds), Duration.ofMinutes(2), rtoSeconds <= 120,
        "drill start to verified instance");
    DrillMeasure rpoMeasure = rpo == null ? new DrillMeasure(null, Duration.ofHours(24), null, "not measured")
        : new DrillMeasure(rpo, Duration.ofHours(24), rpo.compareTo(Duration.ofHours(24)) <= 0, "freshness");
    List<DrillCheck> checks = List.of(
        new DrillCheck("orders.orders", DrillCheck.ROW_COUNT, passed, passed ? "5000" : "0", "5000 ± 0 (replica)",
            passed ? null : "differs by 5000 rows", verified),
        new DrillCheck("rto", DrillCheck.TARGET, rtoSeconds <= 120, rto.measured().toString(), "<= PT2M", null,
            verified));
    List<StepState> steps = List.of(
        new StepState("plan", "succeeded", start, start.plusSeconds(1), "plan"),
        new StepState("restore", "succeeded", start.plusSeconds(1), verified.minusSeconds(5), "restore"),
        new StepState("verify", passed ? "succeeded" : "failed", verified.minusSeconds(5), verified, "verify"),
        new StepState("teardown", "succeeded", verified, verified.plusSeconds(2), "teardown"));
    return new DrillReport("drill-db-" + week, "db", "dr-1", "latest-copy", "suite", "schedule:weekly", "weekly",
        "lb-db-copy", start.minusSeconds(600), start.minusSeconds(60), "lb-drill-" + week, true, "db-analytics", start,
        verified.minusSeconds(5), verified, verified.plusSeconds(2), rto, rpoMeasure, passed && rtoSeconds <= 120,
        checks, steps, passed ? null : new RunError("DRILL_CHECKS_FAILED", "1 of 2 checks failed"));
  }

  @Test
  void page_hasHeaderTimelineChecksAndOnePointPerMeasuredDrill_andNoScript() throws Exception {
    List<DrillReport> history = new ArrayList<>();
    for (int week = 0; week < 6; week++) {
      history.add(0, report(week, 60 + week * 15, week == 2 ? null : Duration.ofMinutes(30 + week), week != 4));
    }
    DrillReport current = history.get(1);

    String html = DrillReportPage.render(current, history, T0.plus(Duration.ofDays(60)));
    Path sample = Path.of("target", "drill-report-sample.html");
    Files.createDirectories(sample.getParent());
    Files.writeString(sample, html);

    assertThat(html).startsWith("<!DOCTYPE html>").contains("<h1>DR drill FAILED</h1>", "<title>DR drill drill-db-4");
    assertThat(html).contains("data-step=\"plan\"", "data-step=\"teardown\"", "data-check=\"row-count:orders.orders\"");
    // nothing to fetch: no script, no image, no link or style sheet from elsewhere (xmlns names, it loads nothing)
    assertThat(html).doesNotContain("<script", "src=", "<link", "url(", "href=\"http").contains("xmlns=\"http://www.w3.org/2000/svg\"");
    String rtoChart = html.substring(html.indexOf("id=\"rto-chart\""), html.indexOf("id=\"rpo-chart\""));
    String rpoChart = html.substring(html.indexOf("id=\"rpo-chart\""));
    assertThat(Pattern.compile("<circle").matcher(rtoChart).results().count()).isEqualTo(6);
    assertThat(Pattern.compile("<circle").matcher(rpoChart).results().count()).as("week 2 had no RPO").isEqualTo(5);
    assertThat(rtoChart).contains("class=\"point met current\"", "class=\"point missed\"", "target 2 min");
    // failures first in the checks table
    assertThat(html.indexOf("data-check=\"row-count:orders.orders\"")).isLessThan(html.indexOf("data-check=\"target:rto\""));
  }

  @Test
  void escape_coversTextAndAttributes_andDurationsReadLikePeopleWriteThem() {
    assertThat(Html.escape("<a href=\"x\">'&'</a>")).isEqualTo("&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
    assertThat(Html.escape(null)).isEmpty();
    assertThat(Html.duration(Duration.ofMillis(850))).isEqualTo("850 ms");
    assertThat(Html.duration(Duration.ofMillis(41_230))).isEqualTo("41.2 s");
    assertThat(Html.duration(Duration.ofSeconds(192))).isEqualTo("3 min 12 s");
    assertThat(Html.duration(Duration.ofHours(1))).isEqualTo("1 h");
    assertThat(Html.duration(Duration.ofHours(24))).isEqualTo("24 h");
    assertThat(Html.duration(Duration.ofHours(50))).isEqualTo("2 d 2 h");
    assertThat(Html.duration((Duration) null)).isEqualTo("–");
  }

  @Test
  void trend_comparesTheNewerHalfWithTheOlderHalf() {
    assertThat(DrillTrend.direction(List.of(10.0))).isEqualTo("unknown");
    assertThat(DrillTrend.direction(List.of(20.0, 10.0))).isEqualTo("worsening");
    assertThat(DrillTrend.direction(List.of(10.0, 20.0, 30.0))).isEqualTo("improving");
    assertThat(DrillTrend.direction(List.of(10.5, 10.0, 9.8, 10.2))).isEqualTo("steady");
    var trend = DrillTrend.of(List.of(report(3, 200, Duration.ofMinutes(5), true), report(2, 100, null, true),
        report(1, 100, Duration.ofMinutes(5), false)));
    assertThat(trend.drills()).isEqualTo(3);
    assertThat(trend.passed()).isEqualTo(1);
    assertThat(trend.rto().missed()).isEqualTo(1);
    assertThat(trend.rto().maxSeconds()).isEqualTo(200.0);
    assertThat(trend.rpo().direction()).isEqualTo("steady");
  }
}
