package dev.lifeboat.common.model;

import java.time.Instant;
import java.util.List;

/**
 * The report of one DR drill, stored in the catalog whatever the outcome.
 *
 * @param source {@code latest-copy} or {@code pitr-latest}
 * @param suite the verification suite's name
 * @param snapshotId the copy restored; null when the drill failed before choosing one
 * @param restoredTo the point in time the drill instance was restored to
 * @param drillInstance the temporary instance the drill restored into
 * @param drillInstanceDeleted whether the drill instance is gone (deleted or never created)
 * @param compareOn the analytics replica the source was read from
 * @param startedAt start of the drill: the RTO clock starts here
 * @param restoredAt when the drill instance was promoted and accepted connections
 * @param verifiedAt when the verification suite finished: the RTO clock stops here
 * @param rto drill start to verified instance
 * @param rpo the source's newest data at the start against the newest recoverable data
 * @param passed every check passed and both targets were met
 * @param steps the run's steps with their timings
 * @param error why the drill failed or was cancelled; null when it passed
 */
public record DrillReport(
    String runId,
    String instance,
    String region,
    String source,
    String suite,
    String requester,
    String reason,
    String snapshotId,
    Instant snapshotStoppedAt,
    Instant restoredTo,
    String drillInstance,
    boolean drillInstanceDeleted,
    String compareOn,
    Instant startedAt,
    Instant restoredAt,
    Instant verifiedAt,
    Instant stoppedAt,
    DrillMeasure rto,
    DrillMeasure rpo,
    boolean passed,
    List<DrillCheck> checks,
    List<StepState> steps,
    RunError error) {

  public DrillReport {
    checks = checks == null ? List.of() : List.copyOf(checks);
    steps = steps == null ? List.of() : List.copyOf(steps);
  }

  /** The checks that failed, targets included. */
  public List<DrillCheck> failedChecks() {
    return checks.stream().filter(c -> !c.passed()).toList();
  }
}
