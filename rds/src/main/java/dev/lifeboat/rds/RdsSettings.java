package dev.lifeboat.rds;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything the RDS platform is told by configuration (the app maps YAML onto it). Instances are
 * named by their RDS identifiers; the first region is home, the others are DR regions.
 *
 * @param regions the home region first, then the DR regions
 * @param instances the managed instances, all in the home region
 * @param apiCallTimeout whole call, retries included
 * @param apiCallAttemptTimeout one HTTP attempt
 * @param retryMode {@code standard} or {@code adaptive} (client-side rate limiting on throttling)
 * @param maxAttempts SDK attempts per call before the failure reaches Temporal's retry policy
 * @param pollInterval how often DescribeDBInstances / DescribeDBSnapshots are called while waiting
 * @param database how Lifeboat connects to instances' databases (table copy, verification)
 * @param temporary what temporary instances (restores, drills) are created with
 * @param drPrimary what a restore-in-dr failover's permanent primary is created with, per DR region
 */
public record RdsSettings(
    List<Region> regions,
    List<Instance> instances,
    Duration apiCallTimeout,
    Duration apiCallAttemptTimeout,
    String retryMode,
    int maxAttempts,
    Duration pollInterval,
    Database database,
    Temporary temporary,
    DrPrimary drPrimary) {

  public RdsSettings {
    regions = List.copyOf(regions);
    instances = List.copyOf(instances);
    if (regions.isEmpty()) {
      throw new IllegalArgumentException("platform.rds.regions: name at least the home region");
    }
    Objects.requireNonNull(apiCallTimeout, "apiCallTimeout");
    Objects.requireNonNull(apiCallAttemptTimeout, "apiCallAttemptTimeout");
    Objects.requireNonNull(pollInterval, "pollInterval");
    Objects.requireNonNull(database, "database");
    Objects.requireNonNull(temporary, "temporary");
    drPrimary = drPrimary == null ? DrPrimary.NONE : drPrimary;
  }

  /** Settings without a DR primary placement (restore-in-dr then uses the temporary instances' network). */
  public RdsSettings(List<Region> regions, List<Instance> instances, Duration apiCallTimeout,
      Duration apiCallAttemptTimeout, String retryMode, int maxAttempts, Duration pollInterval, Database database,
      Temporary temporary) {
    this(regions, instances, apiCallTimeout, apiCallAttemptTimeout, retryMode, maxAttempts, pollInterval, database,
        temporary, DrPrimary.NONE);
  }

  public Region home() {
    return regions.get(0);
  }

  public Optional<Region> region(String name) {
    return regions.stream().filter(r -> r.name().equals(name)).findFirst();
  }

  public Optional<Instance> instance(String id) {
    return instances.stream().filter(i -> i.id().equals(id)).findFirst();
  }

  /**
   * One AWS region Lifeboat works in.
   *
   * @param name e.g. {@code us-east-1}
   * @param endpoint endpoint override (fake-rds, LocalStack); null for AWS itself
   * @param credentials null: the default provider chain
   * @param kmsKeyId the key encrypted snapshot copies into this region are encrypted with (ARN or
   *     alias ARN of this region); required to copy an encrypted snapshot here
   * @param maxCopiesInFlight snapshot copies into this region at once (AWS: 20 today; 5 on older
   *     accounts and Aurora)
   * @param manualSnapshotQuota the account's manual snapshot quota here (AWS default 100); the
   *     real value is read from DescribeAccountAttributes when the API answers it
   * @param exports where table exports go when this region's store is S3 (null: none here)
   */
  public record Region(
      String name,
      URI endpoint,
      Credentials credentials,
      String kmsKeyId,
      int maxCopiesInFlight,
      int manualSnapshotQuota,
      S3Exports exports) {
    public Region {
      Objects.requireNonNull(name, "region name");
      if (maxCopiesInFlight < 1) {
        throw new IllegalArgumentException("region " + name + ": maxCopiesInFlight must be at least 1");
      }
    }
  }

  /**
   * Where credentials come from: the default chain (all null), a named profile, or a role assumed
   * through STS (with the profile or the default chain as the caller).
   */
  public record Credentials(String profile, String roleArn, String externalId, String sessionName) {
    public static final Credentials DEFAULT_CHAIN = new Credentials(null, null, null, null);
  }

  /**
   * A managed instance.
   *
   * @param id the RDS DBInstanceIdentifier
   * @param database the application database on it (e.g. {@code techcorp})
   */
  public record Instance(String id, String database) {}

  /**
   * Database login for table copy and verification.
   *
   * @param user the master (or a dedicated) user
   * @param passwordEnv environment variable holding its password; null with {@code iamAuth}
   * @param iamAuth connect with RDS IAM authentication tokens instead of a password
   * @param sslMode libpq/pgJDBC sslmode, {@code verify-full} against AWS, {@code disable} on loopback
   */
  public record Database(String user, String passwordEnv, boolean iamAuth, String sslMode) {}

  /**
   * What temporary instances are created with. Never public; tagged {@code lifeboat:run},
   * {@code lifeboat:expires-at}, {@code lifeboat:requester}, {@code lifeboat:temporary=true}.
   *
   * @param subnetGroupByRegion DB subnet group per region
   * @param securityGroupsByRegion VPC security group ids per region
   */
  public record Temporary(
      String instanceClass,
      Map<String, String> subnetGroupByRegion,
      Map<String, List<String>> securityGroupsByRegion) {
    public Temporary {
      subnetGroupByRegion = Map.copyOf(subnetGroupByRegion);
      securityGroupsByRegion = Map.copyOf(securityGroupsByRegion);
    }
  }

  /**
   * What the permanent primary a restore-in-dr failover creates in a DR region is created with: it
   * takes production's traffic from then on, so production's class, Multi-AZ, network and parameter
   * group, not the temporary instances'. A DR region without a subnet group here falls back to the
   * temporary instances' network, single-AZ, and the preflight warns.
   *
   * @param instanceClass null: the snapshot's class (production's)
   * @param multiAz Multi-AZ for the DR primary of a region that has a subnet group here
   * @param subnetGroupByRegion DB subnet group per DR region
   * @param securityGroupsByRegion VPC security group ids per DR region
   * @param parameterGroupByRegion DB parameter group per DR region (null: the default group)
   */
  public record DrPrimary(
      String instanceClass,
      boolean multiAz,
      Map<String, String> subnetGroupByRegion,
      Map<String, List<String>> securityGroupsByRegion,
      Map<String, String> parameterGroupByRegion) {
    public static final DrPrimary NONE = new DrPrimary(null, false, Map.of(), Map.of(), Map.of());

    public DrPrimary {
      subnetGroupByRegion = Map.copyOf(subnetGroupByRegion);
      securityGroupsByRegion = Map.copyOf(securityGroupsByRegion);
      parameterGroupByRegion = Map.copyOf(parameterGroupByRegion);
    }

    /** Whether {@code region} has a placement of its own (else the temporary instances' network is used). */
    public boolean configured(String region) {
      String group = subnetGroupByRegion.get(region);
      return group != null && !group.isBlank();
    }
  }

  /** Table exports on S3 in one region: bucket, key prefix, and server-side encryption. */
  public record S3Exports(String bucket, String prefix, String sseKmsKeyId, URI endpoint, boolean pathStyle) {}
}
