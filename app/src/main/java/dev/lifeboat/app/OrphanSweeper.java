package dev.lifeboat.app;

import dev.lifeboat.catalog.Page;
import dev.lifeboat.catalog.RunFilter;
import dev.lifeboat.catalog.RunStore;
import dev.lifeboat.common.ErrorType;
import dev.lifeboat.common.LifeboatException;
import dev.lifeboat.common.failover.Rehearsal;
import dev.lifeboat.common.failover.TrafficRoute;
import dev.lifeboat.common.failover.TrafficRouter;
import dev.lifeboat.common.model.InstanceInfo;
import dev.lifeboat.common.model.RunError;
import dev.lifeboat.common.model.RunKind;
import dev.lifeboat.common.model.RunPhase;
import dev.lifeboat.common.model.RunState;
import dev.lifeboat.common.platform.Platform;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowNotFoundException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds what no live run owns any more: temporary instances whose run has ended or is unknown to
 * Temporal (the embedded server keeps its state in memory, so a crash of {@code lifeboat dev}
 * forgets every run), and catalog runs still marked as running whose workflow is gone. Deletes
 * the instances and marks the runs failed, so nothing leaks and nothing claims to be alive; removes
 * the pooler entries of failover drills that no longer run.
 */
public final class OrphanSweeper {
  private static final Logger log = LoggerFactory.getLogger(OrphanSweeper.class);

  private final WorkflowClient client;
  private final Platform platform;
  private final RunStore runs;
  private final Clock clock;
  private final TrafficRouter router;

  public OrphanSweeper(WorkflowClient client, Platform platform, RunStore runs, Clock clock) {
    this(client, platform, runs, clock, TrafficRouter.UNAVAILABLE);
  }

  /** @param router the pooler whose failover drill entries no running drill owns are removed */
  public OrphanSweeper(WorkflowClient client, Platform platform, RunStore runs, Clock clock, TrafficRouter router) {
    this.client = client;
    this.platform = platform;
    this.runs = runs;
    this.clock = clock;
    this.router = router;
  }

  /** @return the ids of the instances it deleted */
  public List<String> sweep() {
    List<String> deleted = new ArrayList<>();
    for (InstanceInfo instance : platform.listInstances()) {
      if (instance.temporary() && !isLive(instance.runId())) {
        try {
          platform.deleteTemporaryInstance(instance.id());
          deleted.add(instance.id());
          log.warn("deleted orphaned temporary instance {} (its run {} is not running)", instance.id(), instance.runId());
        } catch (LifeboatException e) {
          log.error("could not delete orphaned instance {}: {}", instance.id(), e.getMessage());
        }
      }
    }
    Set<String> liveDrills = new HashSet<>();
    for (RunPhase phase : List.of(RunPhase.PENDING, RunPhase.RUNNING, RunPhase.WAITING_APPROVAL)) {
      String cursor = null;
      do {
        Page<RunState> page = runs.list(new RunFilter(null, phase, null), cursor, 200);
        for (RunState run : page.items()) {
          if (!isLive(run.runId())) {
            markLost(run);
          } else if (run.kind() == RunKind.DRILL) {
            liveDrills.add(Rehearsal.drillSuffix(run.runId()));
          }
        }
        cursor = page.nextCursor();
      } while (cursor != null);
    }
    removeDrillEntries(liveDrills);
    return deleted;
  }

  /** A failover drill's pooler entry outlives its drill only when the drill's teardown never ran. */
  private void removeDrillEntries(Set<String> liveDrills) {
    if (router == TrafficRouter.UNAVAILABLE) {
      return;
    }
    try {
      for (TrafficRoute route : router.routes()) {
        Optional<String> owner = Rehearsal.suffixOf(route.database());
        if (owner.isPresent() && !liveDrills.contains(owner.get())) {
          router.removeRehearsalRoute(route.database());
          log.warn("removed pooler entry {}: the failover drill that added it is not running", route.database());
        }
      }
    } catch (RuntimeException e) {
      log.warn("could not look for failover drill entries left in the pooler: {}", e.getMessage());
    }
  }

  private void markLost(RunState run) {
    log.warn("run {} was {} but its workflow no longer exists: marking it failed", run.runId(), run.phase().wireName());
    runs.save(new RunState(run.runId(), run.kind(), run.instance(), run.requester(), run.reason(), RunPhase.FAILED,
        run.step(), run.percent(), run.bytes(), null, run.steps(), run.request(), null, run.result(),
        new RunError(ErrorType.RUN_LOST.name(), "the workflow of this run no longer exists (the embedded Temporal "
            + "server keeps runs in memory and was restarted); its temporary instance, if any, was deleted"),
        run.startedAt(), clock.instant(), run.expiresAt()));
  }

  private boolean isLive(String runId) {
    if (runId == null) {
      return false;
    }
    try {
      WorkflowExecutionStatus status = client.newUntypedWorkflowStub(runId).describe().getStatus();
      return status == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING;
    } catch (WorkflowNotFoundException e) {
      return false;
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() == Status.Code.NOT_FOUND) {
        return false;
      }
      throw e;
    }
  }
}
