package dev.lifeboat.api.views;

/**
 * How the newest drills of a history went, whatever page is shown.
 *
 * @param drills how many drills the trend covers (the newest, at most a fixed number)
 * @param passed how many of them passed
 */
public record DrillTrendView(int drills, int passed, MeasureTrendView rto, MeasureTrendView rpo) {

  /**
   * One measure over those drills, in seconds.
   *
   * @param direction {@code improving}, {@code worsening} or {@code steady}: the newer half of the
   *     drills against the older half; {@code unknown} below two measured drills
   * @param missed drills that missed the target
   */
  public record MeasureTrendView(Double latestSeconds, Double averageSeconds, Double minSeconds, Double maxSeconds,
      String direction, int missed) {}
}
