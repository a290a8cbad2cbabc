package dev.lifeboat.api.drills;

import dev.lifeboat.api.views.DrillMeasureView;
import dev.lifeboat.api.views.DrillTrendView;
import dev.lifeboat.api.views.DrillTrendView.MeasureTrendView;
import dev.lifeboat.common.model.DrillMeasure;
import dev.lifeboat.common.model.DrillReport;
import java.util.List;
import java.util.function.Function;

/** The trend of the newest drills: averages, extremes, misses and a direction per measure. */
public final class DrillTrend {
  /** How many of the newest drills a trend covers. */
  public static final int WINDOW = 10;
  /** A change of less than this share between the older and the newer half is steady. */
  static final double STEADY = 0.10;

  private DrillTrend() {}

  /** @param newestFirst the newest drills, newest first */
  public static DrillTrendView of(List<DrillReport> newestFirst) {
    List<DrillReport> drills = newestFirst.subList(0, Math.min(WINDOW, newestFirst.size()));
    int passed = (int) drills.stream().filter(DrillReport::passed).count();
    return new DrillTrendView(drills.size(), passed, measure(drills, DrillReport::rto),
        measure(drills, DrillReport::rpo));
  }

  private static MeasureTrendView measure(List<DrillReport> newestFirst, Function<DrillReport, DrillMeasure> which) {
    List<DrillMeasure> measures = newestFirst.stream().map(which).filter(m -> m != null && m.measured() != null)
        .toList();
    int missed = (int) measures.stream().filter(m -> Boolean.FALSE.equals(m.met())).count();
    if (measures.isEmpty()) {
      return new MeasureTrendView(null, null, null, null, "unknown", 0);
    }
    List<Double> seconds = measures.stream().map(m -> DrillMeasureView.seconds(m.measured())).toList();
    double average = seconds.stream().mapToDouble(Double::doubleValue).average().orElse(0);
    double min = seconds.stream().mapToDouble(Double::doubleValue).min().orElse(0);
    double max = seconds.stream().mapToDouble(Double::doubleValue).max().orElse(0);
    return new MeasureTrendView(seconds.get(0), round(average), min, max, direction(seconds), missed);
  }

  /** The newer half against the older half (newest first); lower is better for both RTO and RPO. */
  static String direction(List<Double> newestFirst) {
    if (newestFirst.size() < 2) {
      return "unknown";
    }
    int half = newestFirst.size() / 2;
    double newer = newestFirst.subList(0, half).stream().mapToDouble(Double::doubleValue).average().orElse(0);
    double older = newestFirst.subList(newestFirst.size() - half, newestFirst.size()).stream()
        .mapToDouble(Double::doubleValue).average().orElse(0);
    if (older == 0) {
      return newer == 0 ? "steady" : "worsening";
    }
    double change = (newer - older) / older;
    return change > STEADY ? "worsening" : change < -STEADY ? "improving" : "steady";
  }

  private static double round(double seconds) {
    return Math.round(seconds * 1000) / 1000.0;
  }
}
