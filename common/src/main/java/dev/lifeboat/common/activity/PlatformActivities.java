package dev.lifeboat.common.activity;

import dev.lifeboat.common.model.InstanceInfo;
import dev.lifeboat.common.model.RestorePlan;
import dev.lifeboat.common.model.RestoreSpec;
import dev.lifeboat.common.model.VerifyResult;
import io.temporal.activity.ActivityInterface;
import java.time.Instant;
import java.util.List;

/** The platform operations workflows call; method names are activity type names: never rename one. */
@ActivityInterface
public interface PlatformActivities {
  RestorePlan planRestore(String instanceId, Instant targetTime);

  /** Heartbeats while it lays down the snapshot and replays WAL. */
  InstanceInfo restoreToPointInTime(RestoreSpec spec);

  VerifyResult verifyInstance(String instanceId, String schema);

  boolean deleteTemporaryInstance(String instanceId);

  /** Every temporary instance of the platform, with its owner run and expiry. */
  List<InstanceInfo> listTemporaryInstances();
}
