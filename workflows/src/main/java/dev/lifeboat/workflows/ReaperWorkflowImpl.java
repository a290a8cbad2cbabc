package dev.lifeboat.workflows;

import dev.lifeboat.common.activity.CatalogActivities;
import dev.lifeboat.common.activity.PlatformActivities;
import dev.lifeboat.common.activity.TableActivities;
import dev.lifeboat.common.model.InstanceInfo;
import dev.lifeboat.common.model.ReapRequest;
import dev.lifeboat.common.model.ReapResult;
import dev.lifeboat.common.model.RunKind;
import dev.lifeboat.common.workflow.ReaperWorkflow;
import io.temporal.failure.TemporalFailure;
import io.temporal.workflow.Workflow;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;

public class ReaperWorkflowImpl implements ReaperWorkflow {
  private static final Logger log = Workflow.getLogger(ReaperWorkflowImpl.class);

  private final PlatformActivities platform = Workflow.newActivityStub(PlatformActivities.class, ActivityStubs.quick());
  private final CatalogActivities catalog = ActivityStubs.catalog();
  private final TableActivities tables = Workflow.newActivityStub(TableActivities.class, ActivityStubs.quick());

  /** Change id: from version 1 on, the reaper also deletes table exports past their retention. */
  static final String EXPIRE_EXPORTS = "expire-exports";

  @Override
  public ReapResult reap(ReapRequest request) {
    RunTracker run = new RunTracker(RunKind.REAPER, "temporary instances", request.requester(), request.reason(),
        RunTracker.map("grace", request.grace().toString()));
    try {
      return reap(request, run);
    } catch (TemporalFailure e) {
      Failures.recordEnd(run, e, catalog);
      throw e;
    }
  }

  private ReapResult reap(ReapRequest request, RunTracker run) {
    run.begin("reap", 0, "deleting temporary instances more than " + request.grace() + " past their TTL");
    catalog.recordRun(run.snapshot());
    Instant deadline = RunTracker.now().minus(request.grace());
    List<String> deleted = new ArrayList<>();
    for (InstanceInfo instance : platform.listTemporaryInstances()) {
      if (instance.expiresAt() != null && instance.expiresAt().isBefore(deadline)) {
        log.warn("reaper {}: {} of run {} expired at {}: deleting it", run.runId(), instance.id(), instance.runId(),
            instance.expiresAt());
        if (platform.deleteTemporaryInstance(instance.id())) {
          deleted.add(instance.id());
          catalog.recordAudit(String.valueOf(request.requester()), "reaper: delete temporary instance", run.runId(),
              "{\"instance\": \"" + instance.id() + "\", \"ownerRun\": \"" + instance.runId() + "\", \"expiresAt\": \""
                  + instance.expiresAt() + "\"}");
        }
      }
    }
    List<String> expiredExports = List.of();
    if (Workflow.getVersion(EXPIRE_EXPORTS, Workflow.DEFAULT_VERSION, 1) == 1) {
      run.detail("deleting table exports past their retention");
      expiredExports = tables.expireExports(RunTracker.now());
    }
    run.succeeded(RunTracker.map("deleted", deleted, "expiredExports", expiredExports));
    catalog.recordRun(run.snapshot());
    return new ReapResult(deleted);
  }
}
