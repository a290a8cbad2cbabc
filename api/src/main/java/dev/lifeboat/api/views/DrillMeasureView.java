package dev.lifeboat.api.views;

import dev.lifeboat.common.model.DrillMeasure;
import java.time.Duration;

/**
 * A measured RTO or RPO against its target, as ISO-8601 durations and as seconds for charts.
 *
 * @param met null when not measured (the drill ended before) or without a target
 */
public record DrillMeasureView(String measured, Double measuredSeconds, String target, Double targetSeconds,
    Boolean met, String basis) {

  public static DrillMeasureView of(DrillMeasure measure) {
    if (measure == null) {
      return new DrillMeasureView(null, null, null, null, null, null);
    }
    return new DrillMeasureView(text(measure.measured()), seconds(measure.measured()), text(measure.target()),
        seconds(measure.target()), measure.met(), measure.basis());
  }

  static String text(Duration duration) {
    return duration == null ? null : duration.toString();
  }

  public static Double seconds(Duration duration) {
    return duration == null ? null : duration.toMillis() / 1000.0;
  }
}
