package dev.lifeboat.fakerds;

import dev.lifeboat.activities.local.LocalPlatform;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Settings of a {@link FakeRds}.
 *
 * @param platform the local platform every call is carried out on; its home and DR region names
 *     are the AWS region names clients sign for (e.g. {@code us-east-1}, {@code us-west-2})
 * @param port the loopback port to listen on; 0 picks a free one
 * @param accountId the account in every ARN
 * @param managedInstances the local instances exposed as RDS instances (primaries and replicas);
 *     restored instances are added as the fake creates them
 * @param kmsKeyByRegion the KMS key ARN of each region; every snapshot is encrypted, originals with
 *     the home region's key, copies with the key given to CopyDBSnapshot
 * @param subnetGroup the one DB subnet group that exists in every region
 * @param securityGroups the VPC security group ids that exist in every region
 * @param walShipInterval how often the primaries' WAL is shipped ({@code archiveNow}), so that
 *     LatestRestorableTime moves as on RDS; zero or negative turns shipping off
 * @param manualSnapshotQuota manual snapshots allowed per region (RDS default 100)
 */
public record FakeRdsOptions(
    LocalPlatform platform,
    int port,
    String accountId,
    Set<String> managedInstances,
    Map<String, String> kmsKeyByRegion,
    String subnetGroup,
    List<String> securityGroups,
    Duration walShipInterval,
    int manualSnapshotQuota) {

  public static final String DEFAULT_ACCOUNT = "123456789012";
  public static final String DEFAULT_SUBNET_GROUP = "lifeboat-temp";
  public static final String DEFAULT_SECURITY_GROUP = "sg-0lifeboat";
  public static final Duration DEFAULT_WAL_SHIP_INTERVAL = Duration.ofSeconds(5);
  public static final int DEFAULT_MANUAL_SNAPSHOT_QUOTA = 100;

  public FakeRdsOptions {
    if (platform == null) {
      throw new IllegalArgumentException("a local platform is required");
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be 0..65535");
    }
    accountId = accountId == null || accountId.isBlank() ? DEFAULT_ACCOUNT : accountId;
    managedInstances = managedInstances == null ? Set.of() : Set.copyOf(managedInstances);
    kmsKeyByRegion = kmsKeyByRegion == null || kmsKeyByRegion.isEmpty()
        ? defaultKeys(platform.regions(), accountId) : Map.copyOf(kmsKeyByRegion);
    subnetGroup = subnetGroup == null || subnetGroup.isBlank() ? DEFAULT_SUBNET_GROUP : subnetGroup;
    securityGroups = securityGroups == null || securityGroups.isEmpty() ? List.of(DEFAULT_SECURITY_GROUP)
        : List.copyOf(securityGroups);
    walShipInterval = walShipInterval == null ? DEFAULT_WAL_SHIP_INTERVAL : walShipInterval;
    if (manualSnapshotQuota < 0) {
      throw new IllegalArgumentException("manualSnapshotQuota must not be negative");
    }
    for (String region : platform.regions()) {
      if (!kmsKeyByRegion.containsKey(region)) {
        throw new IllegalArgumentException("no KMS key for region " + region);
      }
    }
  }

  /** Free port, default account, one key per region of the platform, "lifeboat-temp", "sg-0lifeboat", 5 s, 100. */
  public static FakeRdsOptions defaults(LocalPlatform platform, Set<String> managedInstances) {
    return new FakeRdsOptions(platform, 0, DEFAULT_ACCOUNT, managedInstances, null, null, null, null,
        DEFAULT_MANUAL_SNAPSHOT_QUOTA);
  }

  /** {@code arn:aws:kms:<region>:<account>:key/lifeboat-<region>} for each region. */
  public static Map<String, String> defaultKeys(List<String> regions, String accountId) {
    Map<String, String> keys = new LinkedHashMap<>();
    for (String region : regions) {
      keys.put(region, "arn:aws:kms:" + region + ":" + accountId + ":key/lifeboat-" + region);
    }
    return keys;
  }

  public FakeRdsOptions withPort(int newPort) {
    return new FakeRdsOptions(platform, newPort, accountId, managedInstances, kmsKeyByRegion, subnetGroup,
        securityGroups, walShipInterval, manualSnapshotQuota);
  }

  /** The keys become the default keys of the new account (set other keys after this). */
  public FakeRdsOptions withAccountId(String newAccountId) {
    return new FakeRdsOptions(platform, port, newAccountId, managedInstances, null, subnetGroup, securityGroups,
        walShipInterval, manualSnapshotQuota);
  }

  public FakeRdsOptions withKmsKeyByRegion(Map<String, String> keys) {
    return new FakeRdsOptions(platform, port, accountId, managedInstances, keys, subnetGroup, securityGroups,
        walShipInterval, manualSnapshotQuota);
  }

  public FakeRdsOptions withSubnetGroup(String name) {
    return new FakeRdsOptions(platform, port, accountId, managedInstances, kmsKeyByRegion, name, securityGroups,
        walShipInterval, manualSnapshotQuota);
  }

  public FakeRdsOptions withSecurityGroups(List<String> groups) {
    return new FakeRdsOptions(platform, port, accountId, managedInstances, kmsKeyByRegion, subnetGroup, groups,
        walShipInterval, manualSnapshotQuota);
  }

  public FakeRdsOptions withWalShipInterval(Duration interval) {
    return new FakeRdsOptions(platform, port, accountId, managedInstances, kmsKeyByRegion, subnetGroup,
        securityGroups, interval, manualSnapshotQuota);
  }

  public FakeRdsOptions withManualSnapshotQuota(int quota) {
    return new FakeRdsOptions(platform, port, accountId, managedInstances, kmsKeyByRegion, subnetGroup,
        securityGroups, walShipInterval, quota);
  }

  /** The home region: where the managed instances run. */
  String homeRegion() {
    return platform.config().region();
  }
}
