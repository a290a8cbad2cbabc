package dev.lifeboat.api.testing;

import dev.lifeboat.common.ErrorType;
import dev.lifeboat.common.LifeboatException;
import dev.lifeboat.common.model.Endpoint;
import dev.lifeboat.common.model.InstanceInfo;
import dev.lifeboat.common.model.InstanceRole;
import dev.lifeboat.common.model.PreflightCheck;
import dev.lifeboat.common.model.RestorePlan;
import dev.lifeboat.common.model.RestoreSpec;
import dev.lifeboat.common.model.RestoreWindow;
import dev.lifeboat.common.model.SnapshotInfo;
import dev.lifeboat.common.model.VerifyResult;
import dev.lifeboat.common.platform.Platform;
import dev.lifeboat.common.platform.ProgressListener;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import javax.sql.DataSource;

/**
 * A platform with a fixed fleet and a restorable window of the last seven days up to a minute
 * ago, a home region and two DR regions, and the snapshots a test adds, for HTTP-level tests of
 * the API; the real platforms are tested end to end elsewhere.
 */
public final class FakePlatform implements Platform {
  public static final String PRIMARY = "techcorp-primary";
  public static final String REPLICA = "techcorp-replica-1";
  public static final String TEMPORARY = "lb-pitr-0badcafe";
  public static final String INTERNAL = "lifeboat-catalog";
  /** Looking this one up fails like a bug would: for the catch-all error mapping. */
  public static final String BROKEN = "broken-platform";
  /** Where the fleet lives; the DR regions follow it in {@link #regions()}. */
  public static final String HOME_REGION = "local-a";
  public static final String DR_1 = "dr-1";
  public static final String DR_2 = "dr-2";

  private final Clock clock;
  private final List<SnapshotInfo> snapshots = new CopyOnWriteArrayList<>();

  public FakePlatform(Clock clock) {
    this.clock = clock;
  }

  public Instant earliest() {
    return clock.instant().minus(Duration.ofDays(7));
  }

  public Instant latest() {
    return clock.instant().minus(Duration.ofMinutes(1));
  }

  @Override
  public String name() {
    return "fake";
  }

  /** Instances a test adds to the fixed fleet (a former primary and the primary that replaced it, say). */
  private final List<InstanceInfo> added = new CopyOnWriteArrayList<>();

  public void addInstance(InstanceInfo instance) {
    added.add(instance);
  }

  @Override
  public List<InstanceInfo> listInstances() {
    return Stream.concat(fleet().stream(), added.stream()).toList();
  }

  private static List<InstanceInfo> fleet() {
    Endpoint endpoint = new Endpoint("127.0.0.1", 55432, "techcorp", "postgres");
    return List.of(
        new InstanceInfo(PRIMARY, "fake", HOME_REGION, InstanceRole.PRIMARY, "available", endpoint, null, null,
            Instant.parse("2026-01-01T00:00:00Z"), null),
        new InstanceInfo(REPLICA, "fake", HOME_REGION, InstanceRole.REPLICA, "available", endpoint, PRIMARY, null,
            Instant.parse("2026-01-01T00:00:00Z"), null),
        new InstanceInfo(TEMPORARY, "fake", HOME_REGION, InstanceRole.TEMPORARY, "available", endpoint, PRIMARY,
            "restore-techcorp-primary-0badcafe", Instant.parse("2026-01-01T00:00:00Z"),
            Instant.parse("2026-01-01T04:00:00Z")),
        new InstanceInfo(INTERNAL, "fake", HOME_REGION, InstanceRole.INTERNAL, "available", endpoint, null, null,
            Instant.parse("2026-01-01T00:00:00Z"), null));
  }

  @Override
  public Optional<InstanceInfo> findInstance(String instanceId) {
    if (BROKEN.equals(instanceId)) {
      throw new IllegalStateException("simulated platform bug with internal detail /var/lib/secret");
    }
    return listInstances().stream().filter(i -> i.id().equals(instanceId)).findFirst();
  }

  @Override
  public RestoreWindow restoreWindow(String instanceId) {
    InstanceInfo instance = existing(instanceId);
    SnapshotInfo snapshot = new SnapshotInfo("snap-1", instanceId, instance.region(), "available",
        earliest().minusSeconds(30), earliest(), 1_048_576L, Map.of());
    return new RestoreWindow(instanceId, instance.region(), earliest(), latest(), List.of(snapshot), List.of());
  }

  @Override
  public RestorePlan planRestore(String instanceId, Instant targetTime) {
    existing(instanceId);
    if (targetTime.isAfter(clock.instant())) {
      throw new LifeboatException(ErrorType.RESTORE_TIME_IN_FUTURE, "target time " + targetTime + " is in the future");
    }
    if (targetTime.isBefore(earliest()) || targetTime.isAfter(latest())) {
      throw new LifeboatException(ErrorType.RESTORE_TIME_OUTSIDE_WINDOW,
          "target time " + targetTime + " is outside the window " + earliest() + " .. " + latest(),
          Map.of("earliest", earliest().toString(), "latest", latest().toString()));
    }
    return new RestorePlan(instanceId, targetTime, "snap-1", earliest(), null);
  }

  private InstanceInfo existing(String instanceId) {
    return findInstance(instanceId).orElseThrow(() -> new LifeboatException(ErrorType.INSTANCE_NOT_FOUND,
        "no instance " + instanceId));
  }

  @Override
  public InstanceInfo restoreToPointInTime(RestoreSpec spec, ProgressListener progress) {
    throw new UnsupportedOperationException("the API never restores itself");
  }

  /** Where {@link #dataSource} points an instance; a test sets it to a real cluster for name lookups. */
  private final Map<String, DataSource> dataSources = new java.util.concurrent.ConcurrentHashMap<>();

  public void useDataSource(String instanceId, DataSource dataSource) {
    dataSources.put(instanceId, dataSource);
  }

  @Override
  public DataSource dataSource(String instanceId) {
    existing(instanceId);
    DataSource ds = dataSources.get(instanceId);
    if (ds == null) {
      throw new UnsupportedOperationException("no database behind " + instanceId + " in this test");
    }
    return ds;
  }

  @Override
  public VerifyResult verify(String instanceId, String schema) {
    throw new UnsupportedOperationException("the API never verifies itself");
  }

  @Override
  public boolean deleteTemporaryInstance(String instanceId) {
    throw new UnsupportedOperationException("the API never deletes itself");
  }

  @Override
  public SnapshotInfo createSnapshot(String instanceId, String snapshotId, Map<String, String> tags,
      ProgressListener progress) {
    throw new UnsupportedOperationException("not part of this API yet");
  }

  /** Adds a snapshot (or a copy: same id, a DR region) that the listings return. */
  public void addSnapshot(SnapshotInfo snapshot) {
    snapshots.add(snapshot);
  }

  @Override
  public List<SnapshotInfo> listSnapshots(String instanceId) {
    return snapshots.stream()
        .filter(s -> instanceId == null || s.instance().equals(instanceId))
        .sorted(Comparator.comparing(SnapshotInfo::startedAt))
        .toList();
  }

  /** Findings {@link #preflight()} answers; tests set them. */
  public final List<PreflightCheck> preflightChecks = new java.util.concurrent.CopyOnWriteArrayList<>();

  @Override
  public List<PreflightCheck> preflight() {
    return List.copyOf(preflightChecks);
  }

  @Override
  public List<String> regions() {
    return List.of(HOME_REGION, DR_1, DR_2);
  }

  @Override
  public List<SnapshotInfo> listSnapshots(String instanceId, String region) {
    if (!regions().contains(region)) {
      throw new LifeboatException(ErrorType.REGION_NOT_FOUND, "no region " + region);
    }
    return listSnapshots(instanceId).stream().filter(s -> s.region().equals(region)).toList();
  }

  @Override
  public Optional<SnapshotInfo> findSnapshot(String region, String snapshotId) {
    return snapshots.stream().filter(s -> s.region().equals(region) && s.id().equals(snapshotId)).findFirst();
  }

  @Override
  public SnapshotInfo copySnapshot(String sourceRegion, String snapshotId, String targetRegion,
      dev.lifeboat.common.platform.ProgressListener progress) {
    throw new UnsupportedOperationException("not used by the API tests");
  }

  @Override
  public boolean deleteSnapshot(String region, String snapshotId) {
    return false;
  }

  @Override
  public RestorePlan planRestore(String instanceId, String region, Instant targetTime) {
    return planRestore(instanceId, targetTime);
  }
}
