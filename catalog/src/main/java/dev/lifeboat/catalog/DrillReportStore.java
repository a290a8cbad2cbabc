package dev.lifeboat.catalog;

import dev.lifeboat.common.model.DrillReport;
import java.util.List;
import java.util.Optional;

/** DR drill reports, stored by the drill workflow whatever the drill's outcome. */
public interface DrillReportStore {
  /** Upserts by run id: a retried store replaces the earlier attempt's report. */
  void save(DrillReport report);

  Optional<DrillReport> find(String runId);

  /** Newest first (by startedAt, then runId); null filters mean any. */
  Page<DrillReport> list(String instance, String region, String cursor, int limit);

  /** The newest {@code limit} reports of the filters, newest first: for trends and charts. */
  List<DrillReport> recent(String instance, String region, int limit);
}
