package dev.lifeboat.api.metrics;

import dev.lifeboat.api.preflight.Preflight;
import dev.lifeboat.common.model.PreflightCheck;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.time.Duration;
import java.util.List;

/**
 * The platform's preflight as series: one per failing or warning check (value 1), and the count of
 * checks per status. Checked at most every five minutes (on RDS a preflight is a dozen API calls).
 * {@code lifeboat_preflight_failed_checks > 0} is the alert that finds a broken KMS key or IAM
 * policy before the 03:00 snapshots need it.
 */
final class PreflightSeries implements MetricSource {
  static final Duration MAX_AGE = Duration.ofMinutes(5);

  private final Preflight preflight;

  PreflightSeries(Preflight preflight) {
    this.preflight = preflight;
  }

  @Override
  public String name() {
    return "preflight";
  }

  @Override
  public List<MetricSnapshot> collect(Scrape scrape) {
    Preflight.Result result = preflight.recent(MAX_AGE);
    var problems = Families.gauge("lifeboat_preflight_problem",
        "A preflight check that failed (status fail) or needs attention (status warn), per check, instance, region.");
    for (PreflightCheck check : result.checks()) {
      if (check.status() != PreflightCheck.Status.OK) {
        problems.add(1, "check", check.check(), "status", check.status().name().toLowerCase(),
            "instance", check.instance() == null ? "" : check.instance(),
            "region", check.region() == null ? "" : check.region());
      }
    }
    var failed = Families.gauge("lifeboat_preflight_failed_checks",
        "Preflight checks that failed at the last preflight: a run needing them will fail.");
    failed.add(result.count(PreflightCheck.Status.FAIL));
    var age = Families.gauge("lifeboat_preflight_age_seconds", "Seconds since the last preflight.");
    age.add(Scrape.seconds(Duration.between(result.checkedAt(), scrape.now())));
    return Families.snapshots(problems, failed, age);
  }
}
