package dev.lifeboat.activities;

import static dev.lifeboat.activities.Failures.typed;

import dev.lifeboat.catalog.RunStore;
import dev.lifeboat.common.activity.PlatformActivities;
import dev.lifeboat.common.model.InstanceInfo;
import dev.lifeboat.common.model.RestorePlan;
import dev.lifeboat.common.model.RestoreSpec;
import dev.lifeboat.common.model.VerifyResult;
import dev.lifeboat.common.platform.Platform;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

public class PlatformActivitiesImpl implements PlatformActivities {
  private static final Logger log = LoggerFactory.getLogger(PlatformActivitiesImpl.class);

  private final Platform platform;
  private final RunStore runs;
  private final Clock clock;

  /** @param runs where live progress goes; null when no catalog is wired (progress then only heartbeats) */
  public PlatformActivitiesImpl(Platform platform, RunStore runs, Clock clock) {
    this.platform = platform;
    this.runs = runs;
    this.clock = clock;
  }

  @Override
  public RestorePlan planRestore(String instanceId, Instant targetTime) {
    return typed(() -> platform.planRestore(instanceId, targetTime));
  }

  @Override
  public InstanceInfo restoreToPointInTime(RestoreSpec spec) {
    try (MDC.MDCCloseable ignored = MDC.putCloseable("runId", spec.runId())) {
      log.info("restoring {} to {} into {} from snapshot {}", spec.sourceInstance(), spec.targetTime(),
          spec.instanceId(), spec.snapshotId());
      try (KeepAlive progress = KeepAlive.runProgress(runs, spec.runId(), spec::runPercent, clock)) {
        return typed(() -> platform.restoreToPointInTime(spec, progress));
      }
    }
  }

  @Override
  public VerifyResult verifyInstance(String instanceId, String schema) {
    return typed(() -> platform.verify(instanceId, schema));
  }

  @Override
  public boolean deleteTemporaryInstance(String instanceId) {
    return typed(() -> platform.deleteTemporaryInstance(instanceId));
  }

  @Override
  public List<InstanceInfo> listTemporaryInstances() {
    return platform.listInstances().stream().filter(InstanceInfo::temporary).toList();
  }
}
