package dev.lifeboat.workflows;

import dev.lifeboat.common.ErrorType;
import dev.lifeboat.common.activity.CatalogActivities;
import dev.lifeboat.common.activity.SnapshotActivities;
import dev.lifeboat.common.model.PitrFinding;
import dev.lifeboat.common.model.RestoreWindow;
import dev.lifeboat.common.model.RetentionDecision;
import dev.lifeboat.common.model.RetentionRequest;
import dev.lifeboat.common.model.RetentionResult;
import dev.lifeboat.common.model.RunKind;
import dev.lifeboat.common.model.RunPhase;
import dev.lifeboat.common.workflow.RetentionWorkflow;
import io.temporal.failure.TemporalFailure;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;

public class RetentionWorkflowImpl implements RetentionWorkflow {
  private static final Logger log = Workflow.getLogger(RetentionWorkflowImpl.class);

  private final SnapshotActivities snapshots = Workflow.newActivityStub(SnapshotActivities.class, ActivityStubs.quick());
  private final CatalogActivities catalog = ActivityStubs.catalog();

  @Override
  public RetentionResult expire(RetentionRequest request) {
    RunTracker run = new RunTracker(RunKind.RETENTION, request.policy(), request.requester(), request.reason(),
        RunTracker.map("policy", request.policy(), "instances", request.instances(),
            "retention", request.retention().toString(), "minimumKept", request.minimumKept(),
            "dryRun", request.dryRun()));
    try {
      return expire(request, run);
    } catch (TemporalFailure e) {
      Failures.recordEnd(run, e, catalog);
      throw e;
    }
  }

  private RetentionResult expire(RetentionRequest request, RunTracker run) {
    Instant now = RunTracker.now();

    run.begin("plan", 0, "listing snapshots in every region");
    catalog.recordRun(run.snapshot());
    List<RetentionDecision> decisions = new ArrayList<>();
    for (String instance : request.instances()) {
      boolean restoring = snapshots.restoreInProgress(instance);
      for (String region : snapshots.platformRegions()) {
        List<RetentionDecision> planned = RetentionPolicy.decide(snapshots.listRegionSnapshots(instance, region), now,
            request.retention(), request.minimumKept());
        // A restore still reading this instance's snapshot and WAL keeps them all until it is done.
        decisions.addAll(restoring ? RetentionPolicy.keepAll(planned, "in-use-by-restore") : planned);
      }
    }

    List<RetentionDecision> outcome = new ArrayList<>();
    run.begin("expire", 30, request.dryRun() ? "dry run: nothing is deleted" : "deleting expired snapshots");
    catalog.recordRun(run.snapshot());
    for (RetentionDecision decision : decisions) {
      if (!"expire".equals(decision.action()) || request.dryRun()) {
        outcome.add(decision);
        continue;
      }
      snapshots.deleteRegionSnapshot(decision.region(), decision.snapshotId());
      if (Workflow.getVersion(ActivityStubs.INVENTORY_CHANGE, Workflow.DEFAULT_VERSION, 1) == 1) {
        catalog.recordSnapshotDeleted(decision.region(), decision.snapshotId());
      }
      catalog.recordAudit(String.valueOf(request.requester()), "retention: delete snapshot", run.runId(),
          "{\"region\": \"" + decision.region() + "\", \"snapshotId\": \"" + decision.snapshotId()
              + "\", \"policy\": \"" + request.policy() + "\"}");
      outcome.add(new RetentionDecision(decision.region(), decision.instance(), decision.snapshotId(), "deleted",
          decision.reason()));
    }

    run.begin("check-window", 70, "checking each instance's point-in-time window");
    catalog.recordRun(run.snapshot());
    List<PitrFinding> findings = new ArrayList<>();
    for (String instance : request.instances()) {
      findings.addAll(check(instance, snapshots.instanceRestoreWindow(instance), now, request));
    }

    RetentionResult result = new RetentionResult(request.dryRun(), outcome, findings);
    List<PitrFinding> broken = findings.stream().filter(PitrFinding::broken).toList();
    if (broken.isEmpty()) {
      run.succeeded(RunTracker.map("dryRun", request.dryRun(),
          "expired", outcome.stream().filter(d -> !"keep".equals(d.action())).map(d -> d.region() + "/" + d.snapshotId()).toList(),
          "kept", outcome.stream().filter(d -> "keep".equals(d.action())).map(d -> d.region() + "/" + d.snapshotId()).toList(),
          "findings", findings.stream().map(f -> f.type() + " " + f.instance() + ": " + f.message()).toList()));
    } else {
      String message = String.join("; ", broken.stream().map(f -> f.instance() + ": " + f.message()).toList());
      log.error("retention {}: point-in-time window broken: {}", run.runId(), message);
      run.failed(RunPhase.FAILED, ErrorType.PITR_WINDOW_BROKEN.name(), message);
    }
    catalog.recordRun(run.snapshot());
    return result;
  }

  static List<PitrFinding> check(String instance, RestoreWindow window, Instant now, RetentionRequest request) {
    List<PitrFinding> findings = new ArrayList<>();
    if (window.earliest() == null || window.latest() == null) {
      findings.add(new PitrFinding(instance, window.region(), "NO_SNAPSHOT",
          "no restorable window: no available snapshot with archived WAL after it"));
      return findings;
    }
    Duration lag = Duration.between(window.latest(), now);
    if (lag.compareTo(request.maxArchiveLag()) > 0) {
      findings.add(new PitrFinding(instance, window.region(), "PITR_WINDOW_STALE", "the newest restorable time "
          + window.latest() + " is " + lag.toSeconds() + " s old (allowed: " + request.maxArchiveLag().toSeconds()
          + " s): is WAL archiving failing?"));
    }
    if (!window.gaps().isEmpty()) {
      findings.add(new PitrFinding(instance, window.region(), "WAL_GAP", window.gaps().size()
          + " gap(s) in the archived WAL, the first missing " + window.gaps().get(0).missingFrom()));
    }
    if (window.earliest().isAfter(now.minus(request.retention()))) {
      findings.add(new PitrFinding(instance, window.region(), "PITR_WINDOW_SHORT", "restores reach back to "
          + window.earliest() + ", not yet the " + request.retention().toDays() + " days of the policy"));
    }
    return findings;
  }
}
