package dev.lifeboat.activities.drills;

import dev.lifeboat.common.ErrorType;
import dev.lifeboat.common.LifeboatException;
import dev.lifeboat.common.model.DrillPlan;
import dev.lifeboat.common.model.DrillRequest;
import dev.lifeboat.common.model.DrillSettings;
import dev.lifeboat.common.model.DrillSource;
import dev.lifeboat.common.model.InstanceInfo;
import dev.lifeboat.common.model.InstanceRole;
import dev.lifeboat.common.model.RestorePlan;
import dev.lifeboat.common.model.RestoreWindow;
import dev.lifeboat.common.model.SnapshotInfo;
import dev.lifeboat.common.model.VerificationSuite;
import dev.lifeboat.common.platform.Platform;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides what a DR drill restores, before anything is created: the suite and targets in force,
 * the analytics replica the source is read from, the newest copy in the region and the point to
 * replay to, and the source's newest data now (the reference the RPO is measured against).
 */
public final class DrillPlanner {
  private static final Logger log = LoggerFactory.getLogger(DrillPlanner.class);
  private static final String LAST_REPLAYED_COMMIT = "select pg_last_xact_replay_timestamp()";
  /** PostgreSQL's timestamp resolution: the latest target is this much before the newest copied commit. */
  static final java.time.Duration LATEST_MARGIN = java.time.Duration.ofNanos(1_000);

  private final Platform platform;
  private final DrillSettings settings;

  public DrillPlanner(Platform platform, DrillSettings settings) {
    this.platform = platform;
    this.settings = settings;
  }

  public DrillPlan plan(DrillRequest request) {
    VerificationSuite suite = suite(settings, request.verification());
    String instance = request.instance();
    InstanceInfo source = platform.findInstance(instance).orElseThrow(() -> new LifeboatException(
        ErrorType.INSTANCE_NOT_FOUND, "No managed instance is called '" + instance + "'", details("instance", instance)));
    String region = drRegion(request.region());
    String compareOn = suite.readsSource() ? analyticsReplica(settings, platform, source.id()) : null;
    DrillSource kind = request.source() == null ? DrillSource.LATEST_COPY : request.source();

    SnapshotInfo newest = newestCopy(instance, region);
    RestoreWindow window = platform.restoreWindow(instance, region);
    // Replay to a time stops before the first commit later than it: a target at the newest copied
    // commit itself would run out of WAL, so the latest point is just before that commit.
    Instant target = window.latest() == null ? null : window.latest().minus(LATEST_MARGIN);
    if (target == null || target.isBefore(window.earliest())) {
      throw new LifeboatException(ErrorType.RESTORE_TIME_OUTSIDE_WINDOW, "Nothing in region " + region + " can be"
          + " replayed to a consistent point: no commit of " + instance + " was copied there after its copies ended"
          + " (newest copy " + newest.id() + ", ended " + newest.stoppedAt() + "); copy a snapshot to " + region
          + " again once the source has archived newer WAL", details("instance", instance, "region", region,
          "snapshotId", newest.id()));
    }
    String why;
    if (kind == DrillSource.PITR_LATEST) {
      why = "the latest restorable time of region " + region;
    } else if (!target.isBefore(newest.stoppedAt())) {
      why = "the newest copy " + newest.id() + ", replayed to the newest commit copied with it";
    } else {
      // A copy made right after its snapshot carries the WAL up to the backup's end and no commit
      // after it: nothing can replay it to a consistent point yet, so the newest point the region
      // can recover to comes from an older copy (the report names it; the RPO shows the cost).
      why = "the newest copy " + newest.id() + " has no commit copied after it (ended " + newest.stoppedAt()
          + "), so the region's newest recoverable point comes from an older copy";
      log.warn("drill of {} in {}: {}", instance, region, why);
    }
    RestorePlan restore = platform.planRestore(instance, region, target);
    SnapshotInfo laidDown = platform.findSnapshot(region, restore.snapshotId()).orElse(newest);
    Freshness freshness = compareOn == null ? Freshness.UNKNOWN : sourceNewest(suite, compareOn);
    return new DrillPlan(instance, region, kind, suite, settings.targetsFor(request.targets()), compareOn,
        restore.snapshotId(), laidDown.stoppedAt(), restore.targetTime(), freshness.newest(), freshness.basis(),
        settings.instanceTtl(), "restoring " + restore.snapshotId() + " to " + restore.targetTime() + ": " + why);
  }

  /** The suite of that name (the default one for null); SUITE_NOT_FOUND lists the configured ones. */
  public static VerificationSuite suite(DrillSettings settings, String name) {
    return settings.suite(name).orElseThrow(() -> new LifeboatException(ErrorType.SUITE_NOT_FOUND,
        (name == null ? "No verification suite is named and no default suite is configured"
            : "No verification suite is called '" + name + "'") + "; configured suites: "
            + (settings.suites().isEmpty() ? "none (drills.suites)" : String.join(", ", settings.suiteNames())),
        details("field", "verification", "suite", name, "suites", settings.suiteNames())));
  }

  /**
   * The configured analytics replica of {@code instance}, checked to be a replica of it: the
   * source's current data is never read from the primary.
   */
  public static String analyticsReplica(DrillSettings settings, Platform platform, String instance) {
    String replica = settings.analyticsReplicaOf(instance).orElseThrow(() -> new LifeboatException(
        ErrorType.NO_COMPARE_REPLICA, "No analytics replica is configured for " + instance
            + " (drills.analyticsReplicas): a drill's row counts and freshness read the source from its analytics"
            + " replica, never from the primary", details("instance", instance)));
    InstanceInfo info = platform.findInstance(replica).orElseThrow(() -> new LifeboatException(
        ErrorType.NO_COMPARE_REPLICA, "The analytics replica " + replica + " configured for " + instance
            + " does not exist", details("instance", instance, "replica", replica)));
    if (info.role() != InstanceRole.REPLICA || !instance.equals(info.source())) {
      throw new LifeboatException(ErrorType.NO_COMPARE_REPLICA, "Instance " + replica + " is configured as the"
          + " analytics replica of " + instance + " but is " + (info.role() == null ? "unknown"
          : info.role().name().toLowerCase()) + (info.source() == null ? "" : " of " + info.source())
          + ": the source is only ever read from a replica of it", details("instance", instance, "replica", replica));
    }
    return replica;
  }

  private String drRegion(String region) {
    List<String> regions = platform.regions();
    List<String> dr = regions.subList(1, regions.size());
    if (region != null && dr.contains(region)) {
      return region;
    }
    throw new LifeboatException(ErrorType.REGION_NOT_FOUND, "A drill runs in a DR region; '" + region + "' is "
        + (regions.isEmpty() || !regions.get(0).equals(region) ? "not one" : "the home region") + ". DR regions: "
        + (dr.isEmpty() ? "none" : String.join(", ", dr)), details("region", region, "drRegions", dr));
  }

  private SnapshotInfo newestCopy(String instance, String region) {
    return platform.listSnapshots(instance, region).stream()
        .filter(s -> "available".equals(s.status()) && s.stoppedAt() != null)
        .max(Comparator.comparing(SnapshotInfo::stoppedAt))
        .orElseThrow(() -> new LifeboatException(ErrorType.NO_COPY_IN_REGION, "Region " + region
            + " holds no available snapshot copy of " + instance + "; copy one there first (POST /v1/snapshots"
            + " with drRegions [" + region + "])", details("instance", instance, "region", region)));
  }

  record Freshness(Instant newest, String basis) {
    static final Freshness UNKNOWN = new Freshness(null, null);
  }

  /**
   * The source's newest data, read from its analytics replica: the suite's freshness query, or the
   * newest commit the replica replayed. Unknown (the drill's start is used) when neither answers.
   */
  private Freshness sourceNewest(VerificationSuite suite, String replica) {
    try (Connection c = platform.dataSource(replica).getConnection()) {
      if (suite.freshnessQuery() != null && !suite.freshnessQuery().isBlank()) {
        Instant newest = Queries.instant(c, suite.freshnessQuery(), Queries.CHECK_TIMEOUT);
        if (newest != null) {
          return new Freshness(newest, "the newest row on " + replica + " (freshness query)");
        }
      }
      Instant replayed = Queries.instant(c, LAST_REPLAYED_COMMIT, Queries.CHECK_TIMEOUT);
      return replayed == null ? Freshness.UNKNOWN
          : new Freshness(replayed, "the newest commit " + replica + " replayed from the source");
    } catch (SQLException | LifeboatException e) {
      log.warn("cannot read the newest data of {} from {}: {}; the RPO is measured from the drill's start", suite.name(),
          replica, e.getMessage());
      return Freshness.UNKNOWN;
    }
  }

  static Map<String, Object> details(Object... keyValues) {
    Map<String, Object> map = new LinkedHashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      if (keyValues[i + 1] != null) {
        map.put((String) keyValues[i], keyValues[i + 1]);
      }
    }
    return map;
  }
}
