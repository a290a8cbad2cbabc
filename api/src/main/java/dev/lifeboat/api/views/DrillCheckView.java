package dev.lifeboat.api.views;

import dev.lifeboat.common.model.DrillCheck;
import java.time.Instant;

/** One check of a drill: {@code kind} is row-count, sql, extension, role or target. */
public record DrillCheckView(String name, String kind, boolean passed, String value, String expected, String detail,
    Instant checkedAt) {

  public static DrillCheckView of(DrillCheck check) {
    return new DrillCheckView(check.name(), check.kind(), check.passed(), check.value(), check.expected(),
        check.detail(), check.checkedAt());
  }
}
