package dev.lifeboat.rds;

import static dev.lifeboat.rds.RdsErrors.details;

import dev.lifeboat.common.ErrorType;
import dev.lifeboat.common.LifeboatException;
import dev.lifeboat.common.platform.ProgressListener;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.DBInstance;
import software.amazon.awssdk.services.rds.model.DBSnapshot;
import software.amazon.awssdk.services.rds.model.DescribeDbSnapshotsRequest;

/**
 * What the parts of the RDS platform share: settings, clients, clock, and the describe calls
 * every part needs, each answering "absent" for a not-found instead of an error.
 */
final class RdsContext {
  /** Longest silence between progress reports while waiting (activities heartbeat on each report). */
  static final Duration HEARTBEAT_EVERY = Duration.ofSeconds(5);

  final RdsSettings settings;
  final RdsClients clients;
  final Clock clock;

  RdsContext(RdsClients clients, Clock clock) {
    this.settings = clients.settings();
    this.clients = clients;
    this.clock = clock;
  }

  Instant now() {
    return clock.instant();
  }

  String home() {
    return settings.home().name();
  }

  boolean isHome(String region) {
    return region == null || home().equals(region);
  }

  List<String> regionNames() {
    return settings.regions().stream().map(RdsSettings.Region::name).toList();
  }

  /** A configured region; null means home. */
  RdsSettings.Region region(String name) {
    if (name == null) {
      return settings.home();
    }
    return settings.region(name).orElseThrow(() -> new LifeboatException(ErrorType.REGION_NOT_FOUND,
        "The RDS platform serves no region '" + name + "'; its regions are " + regionNames()
            + " (platform.rds.regions)", details("region", name, "regions", regionNames())));
  }

  RdsClient rds(String region) {
    return clients.rds(region);
  }

  /** A managed instance of the configuration, or INSTANCE_NOT_FOUND. */
  RdsSettings.Instance managed(String instanceId) {
    return settings.instance(instanceId).orElseThrow(() -> new LifeboatException(ErrorType.INSTANCE_NOT_FOUND,
        "No managed instance is called '" + instanceId + "'; the RDS platform manages "
            + settings.instances().stream().map(RdsSettings.Instance::id).toList() + " (platform.rds.instances)",
        details("instance", instanceId)));
  }

  boolean isManaged(String instanceId) {
    return settings.instance(instanceId).isPresent();
  }

  Optional<DBInstance> describeInstance(String region, String id) {
    try {
      return rds(region).describeDBInstances(b -> b.dbInstanceIdentifier(id)).dbInstances().stream().findFirst();
    } catch (SdkException e) {
      if (RdsErrors.hasCode(e, RdsErrors.DB_INSTANCE_NOT_FOUND)) {
        return Optional.empty();
      }
      throw RdsErrors.translate(e, "DescribeDBInstances", region, details("instance", id));
    }
  }

  List<DBInstance> describeAllInstances(String region) {
    return RdsErrors.call("DescribeDBInstances", region, Map.of(), () -> {
      List<DBInstance> all = new ArrayList<>();
      rds(region).describeDBInstancesPaginator(b -> { }).dbInstances().forEach(all::add);
      return all;
    });
  }

  Optional<DBSnapshot> describeSnapshot(String region, String snapshotId) {
    try {
      return rds(region).describeDBSnapshots(b -> b.dbSnapshotIdentifier(snapshotId)).dbSnapshots().stream()
          .findFirst();
    } catch (SdkException e) {
      if (RdsErrors.hasCode(e, RdsErrors.DB_SNAPSHOT_NOT_FOUND)) {
        return Optional.empty();
      }
      throw RdsErrors.translate(e, "DescribeDBSnapshots", region, details("snapshotId", snapshotId));
    }
  }

  /** Snapshots of one region (of one instance when not null), of the given type (all but shared/public when null). */
  List<DBSnapshot> describeSnapshots(String region, String instanceId, String snapshotType) {
    return RdsErrors.call("DescribeDBSnapshots", region, details("instance", instanceId), () -> {
      DescribeDbSnapshotsRequest.Builder request = DescribeDbSnapshotsRequest.builder();
      if (instanceId != null) {
        request.dbInstanceIdentifier(instanceId);
      }
      if (snapshotType != null) {
        request.snapshotType(snapshotType);
      }
      List<DBSnapshot> all = new ArrayList<>();
      rds(region).describeDBSnapshotsPaginator(request.build()).dbSnapshots().forEach(all::add);
      return all;
    });
  }

  void sleepPoll() {
    CopyScheduler.sleep(settings.pollInterval());
  }

  /**
   * Sleeps one poll interval, repeating the last progress report every few seconds: each report
   * heartbeats, and a poll interval longer than the activity's heartbeat timeout must not read as
   * a dead worker.
   */
  void sleepPoll(ProgressListener progress, String detail, Integer percent) {
    long left = settings.pollInterval().toMillis();
    while (true) {
      long slice = Math.min(left, HEARTBEAT_EVERY.toMillis());
      CopyScheduler.sleep(Duration.ofMillis(slice));
      left -= slice;
      if (left <= 0) {
        return;
      }
      progress.progress(detail, percent, null);
    }
  }
}
