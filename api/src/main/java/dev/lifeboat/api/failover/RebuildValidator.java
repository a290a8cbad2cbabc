package dev.lifeboat.api.failover;

import dev.lifeboat.api.RequestText;
import dev.lifeboat.api.auth.Caller;
import dev.lifeboat.api.errors.InvalidRequest;
import dev.lifeboat.api.views.RebuildBody;
import dev.lifeboat.catalog.PageLimits;
import dev.lifeboat.catalog.RunFilter;
import dev.lifeboat.catalog.RunStore;
import dev.lifeboat.common.ErrorType;
import dev.lifeboat.common.Ids;
import dev.lifeboat.common.LifeboatException;
import dev.lifeboat.common.failover.RebuildRequest;
import dev.lifeboat.common.failover.RebuildTarget;
import dev.lifeboat.common.model.RunKind;
import dev.lifeboat.common.platform.Platform;
import java.util.Map;

/**
 * Checks a rebuild request before anything starts: the fields, that the instance is a former
 * primary (404 when there is no such instance) and the new primary the one a failover promoted in
 * its place; and, once the run id is known, that no other rebuild of it runs.
 */
public final class RebuildValidator {
  private final Platform platform;
  private final RunStore runs;

  public RebuildValidator(Platform platform, RunStore runs) {
    this.platform = platform;
    this.runs = runs;
  }

  public RebuildRequest validate(String instance, RebuildBody body, Caller caller) {
    if (!Ids.validInstanceId(instance)) {
      throw InvalidRequest.field("instance", "'" + instance + "' is not an instance id, e.g. techcorp-primary.");
    }
    if (body == null) {
      throw InvalidRequest.field("body", "The request needs a JSON body, e.g. {\"newPrimary\": \"techcorp-replica-1\","
          + " \"reason\": \"old primary is back\"} (newPrimary may be left out).");
    }
    String reason = RequestText.reason(body.reason());
    String requested = body.newPrimary() == null ? null : body.newPrimary().strip();
    if (requested != null && !Ids.validInstanceId(requested)) {
      throw InvalidRequest.field("newPrimary", "newPrimary '" + requested + "' is not an instance id, e.g. "
          + "techcorp-replica-1.");
    }
    return new RebuildRequest(instance, RebuildTarget.resolve(platform, instance, requested), reason, caller.name());
  }

  /**
   * Two rebuilds of one instance would overwrite each other's data directory: one at a time.
   * Checked once the run id is known, so that a repeated Idempotency-Key answers its own run.
   *
   * @param runId the run about to start (or to be answered): not a second one
   */
  public void refuseSecondRebuild(String instance, String runId) {
    runs.list(new RunFilter(RunKind.REBUILD, null, instance), null, PageLimits.MAX).items().stream()
        .filter(run -> !run.phase().terminal() && !run.runId().equals(runId))
        .findFirst()
        .ifPresent(run -> {
          throw new LifeboatException(ErrorType.RUN_ALREADY_RUNNING, "Rebuild " + run.runId() + " of " + instance
              + " is " + run.phase().wireName() + " already (requested by " + run.requester() + "): wait for it to end"
              + " instead of starting a second one.", Map.of("runId", run.runId(), "phase", run.phase().wireName()));
        });
  }
}
