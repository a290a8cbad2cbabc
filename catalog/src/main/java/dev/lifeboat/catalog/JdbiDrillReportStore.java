package dev.lifeboat.catalog;

import static dev.lifeboat.catalog.CatalogFailures.guard;

import dev.lifeboat.common.model.DrillReport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/** {@link DrillReportStore} on the {@code drill_reports} table. */
public final class JdbiDrillReportStore implements DrillReportStore {
  private static final String UPSERT = """
      INSERT INTO drill_reports (run_id, instance, region, source, suite, passed, started_at, stopped_at,
                                 rto_ms, rto_target_ms, rto_met, rpo_ms, rpo_target_ms, rpo_met, failed_checks,
                                 error_type, report)
      VALUES (:runId, :instance, :region, :source, :suite, :passed, :startedAt, :stoppedAt,
              :rtoMs, :rtoTargetMs, :rtoMet, :rpoMs, :rpoTargetMs, :rpoMet, :failedChecks,
              :errorType, CAST(:report AS jsonb))
      ON CONFLICT (run_id) DO UPDATE SET
        instance = excluded.instance, region = excluded.region, source = excluded.source, suite = excluded.suite,
        passed = excluded.passed, started_at = excluded.started_at, stopped_at = excluded.stopped_at,
        rto_ms = excluded.rto_ms, rto_target_ms = excluded.rto_target_ms, rto_met = excluded.rto_met,
        rpo_ms = excluded.rpo_ms, rpo_target_ms = excluded.rpo_target_ms, rpo_met = excluded.rpo_met,
        failed_checks = excluded.failed_checks, error_type = excluded.error_type, report = excluded.report,
        recorded_at = now()
      """;

  private final Jdbi jdbi;

  JdbiDrillReportStore(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  @Override
  public void save(DrillReport report) {
    Objects.requireNonNull(report.runId(), "runId");
    Objects.requireNonNull(report.instance(), "instance");
    Objects.requireNonNull(report.region(), "region");
    Objects.requireNonNull(report.startedAt(), "startedAt");
    guard(() -> jdbi.useHandle(handle -> handle.createUpdate(UPSERT)
        .bind("runId", report.runId())
        .bind("instance", report.instance())
        .bind("region", report.region())
        .bind("source", report.source())
        .bind("suite", report.suite())
        .bind("passed", report.passed())
        .bind("startedAt", DbTime.bind(report.startedAt()))
        .bind("stoppedAt", DbTime.bind(report.stoppedAt()))
        .bind("rtoMs", millis(report.rto() == null ? null : report.rto().measured()))
        .bind("rtoTargetMs", millis(report.rto() == null ? null : report.rto().target()))
        .bind("rtoMet", report.rto() == null ? null : report.rto().met())
        .bind("rpoMs", millis(report.rpo() == null ? null : report.rpo().measured()))
        .bind("rpoTargetMs", millis(report.rpo() == null ? null : report.rpo().target()))
        .bind("rpoMet", report.rpo() == null ? null : report.rpo().met())
        .bind("failedChecks", report.failedChecks().size())
        .bind("errorType", report.error() == null ? null : report.error().type())
        .bind("report", CatalogJson.write(report))
        .execute()));
  }

  @Override
  public Optional<DrillReport> find(String runId) {
    return guard(() -> jdbi.withHandle(handle -> handle
        .createQuery("SELECT report::text AS report FROM drill_reports WHERE run_id = :runId")
        .bind("runId", runId)
        .map((rs, ctx) -> CatalogJson.read(rs.getString("report"), DrillReport.class))
        .findOne()));
  }

  @Override
  public Page<DrillReport> list(String instance, String region, String cursor, int limit) {
    int size = PageLimits.clamp(limit);
    Map<String, Object> params = new LinkedHashMap<>();
    List<String> where = filters(instance, region, params);
    if (cursor != null && !cursor.isEmpty()) {
      Cursors.RunPosition after = Cursors.run(cursor);
      where.add("(started_at, run_id) < (:afterStartedAt, :afterRunId)");
      params.put("afterStartedAt", DbTime.bind(after.startedAt()));
      params.put("afterRunId", after.runId());
    }
    List<DrillReport> rows = query(where, params, Pages.fetchSize(size));
    return Pages.of(rows, size, last -> Cursors.run(last.startedAt(), last.runId()));
  }

  @Override
  public List<DrillReport> recent(String instance, String region, int limit) {
    Map<String, Object> params = new LinkedHashMap<>();
    return query(filters(instance, region, params), params, PageLimits.clamp(limit));
  }

  private List<DrillReport> query(List<String> where, Map<String, Object> params, int fetch) {
    String sql = "SELECT report::text AS report FROM drill_reports"
        + (where.isEmpty() ? "" : " WHERE " + String.join(" AND ", where))
        + " ORDER BY started_at DESC, run_id DESC LIMIT :fetch";
    return guard(() -> jdbi.withHandle(handle -> handle.createQuery(sql)
        .bindMap(params)
        .bind("fetch", fetch)
        .map((rs, ctx) -> CatalogJson.read(rs.getString("report"), DrillReport.class))
        .list()));
  }

  private static List<String> filters(String instance, String region, Map<String, Object> params) {
    List<String> where = new ArrayList<>();
    if (instance != null) {
      where.add("instance = :instance");
      params.put("instance", instance);
    }
    if (region != null) {
      where.add("region = :region");
      params.put("region", region);
    }
    return where;
  }

  private static Long millis(Duration duration) {
    return duration == null ? null : duration.toMillis();
  }
}
