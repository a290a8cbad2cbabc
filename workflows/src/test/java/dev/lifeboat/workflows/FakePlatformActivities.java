package dev.lifeboat.workflows;

import dev.lifeboat.common.ErrorType;
import dev.lifeboat.common.activity.PlatformActivities;
import dev.lifeboat.common.model.Endpoint;
import dev.lifeboat.common.model.InstanceInfo;
import dev.lifeboat.common.model.InstanceRole;
import dev.lifeboat.common.model.RestorePlan;
import dev.lifeboat.common.model.RestoreSpec;
import dev.lifeboat.common.model.VerifyResult;
import io.temporal.failure.ApplicationFailure;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** Platform activities that keep instances in memory, so the workflow's logic is tested alone. */
final class FakePlatformActivities implements PlatformActivities {
  final Set<String> instances = ConcurrentHashMap.newKeySet();
  final List<String> deleted = new CopyOnWriteArrayList<>();
  final List<RestoreSpec> restores = new CopyOnWriteArrayList<>();
  volatile ErrorType planFailure;
  volatile ErrorType restoreFailure;

  @Override
  public RestorePlan planRestore(String instanceId, Instant targetTime) {
    if (planFailure != null) {
      throw ApplicationFailure.newNonRetryableFailure("plan refused", planFailure.name());
    }
    return new RestorePlan(instanceId, targetTime, "lb-snap-1", targetTime.minusSeconds(3600), null);
  }

  @Override
  public InstanceInfo restoreToPointInTime(RestoreSpec spec) {
    restores.add(spec);
    instances.add(spec.instanceId());
    if (restoreFailure != null) {
      throw ApplicationFailure.newNonRetryableFailure("recovery ended before target", restoreFailure.name());
    }
    return new InstanceInfo(spec.instanceId(), "fake", "local-1", InstanceRole.TEMPORARY, "available",
        new Endpoint("127.0.0.1", 15999, "techcorp", "postgres"), spec.sourceInstance(), spec.runId(),
        Instant.now(), spec.expiresAt());
  }

  @Override
  public VerifyResult verifyInstance(String instanceId, String schema) {
    return new VerifyResult("PostgreSQL 15", false, Map.of("orders.orders", 42L),
        Map.of("orders.order_lines", 1_000_000L));
  }

  /** Temporary instances the reaper sees, beside those restores create. */
  final List<InstanceInfo> leftovers = new CopyOnWriteArrayList<>();

  @Override
  public List<InstanceInfo> listTemporaryInstances() {
    return leftovers.stream().filter(i -> instances.contains(i.id())).toList();
  }

  @Override
  public boolean deleteTemporaryInstance(String instanceId) {
    deleted.add(instanceId);
    return instances.remove(instanceId);
  }
}
