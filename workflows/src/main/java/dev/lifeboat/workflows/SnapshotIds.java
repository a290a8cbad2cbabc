package dev.lifeboat.workflows;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** Deterministic snapshot and run ids: the same fire always names the same snapshot. */
final class SnapshotIds {
  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmm").withZone(ZoneOffset.UTC);

  private SnapshotIds() {}

  static String stamp(Instant at) {
    return STAMP.format(at);
  }

  static String snapshotId(String instance, Instant at) {
    return "lb-" + instance + "-" + stamp(at);
  }

  static String copyWorkflowId(String snapshotId, String region) {
    return "copy-" + snapshotId + "-" + region;
  }
}
