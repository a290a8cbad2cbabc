package dev.lifeboat.app.dev;

import dev.lifeboat.activities.local.LocalPlatform;
import dev.lifeboat.common.failover.FailoverOperations;
import dev.lifeboat.fakerds.FakeRds;
import dev.lifeboat.fakerds.FakeRdsOptions;
import dev.lifeboat.rds.RdsClients;
import dev.lifeboat.rds.RdsFailover;
import dev.lifeboat.rds.RdsPlatform;
import dev.lifeboat.rds.RdsSettings;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code LIFEBOAT_PLATFORM=rds lifeboat dev}: the demo fleet served through fake RDS on loopback,
 * and Lifeboat's real {@link RdsPlatform} talking to it, so every workflow runs through the AWS
 * SDK, the RDS Query API and the RDS adapter on one machine, on real clusters. The regions keep
 * the local platform's names ({@code local-1}, {@code dr-1}): the fake maps the signing region by name.
 */
public final class DevRds implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(DevRds.class);

  private final FakeRds fake;
  private final RdsPlatform platform;
  private final RdsFailover failover;

  private DevRds(FakeRds fake, RdsPlatform platform, RdsFailover failover) {
    this.fake = fake;
    this.platform = platform;
    this.failover = failover;
  }

  /** Serves {@code instances} of the local platform as RDS and builds the RDS platform against it. */
  public static DevRds start(LocalPlatform local, Set<String> instances, Map<String, String> databases, int port,
      Clock clock) {
    // WAL reaches "RDS" as often as the primaries' archive_timeout ships it anyway: no extra segments
    FakeRdsOptions options = FakeRdsOptions.defaults(local, instances).withPort(port)
        .withWalShipInterval(local.config().archiveTimeout());
    FakeRds fake = FakeRds.start(options);
    // The SDK's default chain reads these; the fake checks no signature. Real credentials win when set.
    if (System.getenv("AWS_ACCESS_KEY_ID") == null && System.getProperty("aws.accessKeyId") == null) {
      System.setProperty("aws.accessKeyId", "AKIDLIFEBOATDEV");
      System.setProperty("aws.secretAccessKey", "lifeboat-dev-secret");
    }
    RdsSettings settings = settings(fake.endpoint(), options, instances, databases);
    RdsPlatform platform = new RdsPlatform(new RdsClients(settings, Duration.ofMillis(50)), clock);
    log.info("fake RDS at {} serves {}; the RDS platform runs every workflow through it", fake.endpoint(),
        instances);
    return new DevRds(fake, platform, new RdsFailover(platform.clients(), platform::dataSource, clock));
  }

  static RdsSettings settings(URI endpoint, FakeRdsOptions fake, Set<String> instances,
      Map<String, String> databases) {
    List<String> regions = fake.platform().config().regions();
    Map<String, String> subnets = new LinkedHashMap<>();
    Map<String, List<String>> groups = new LinkedHashMap<>();
    List<RdsSettings.Region> regionSettings = regions.stream().map(name -> {
      subnets.put(name, fake.subnetGroup());
      groups.put(name, fake.securityGroups());
      return new RdsSettings.Region(name, endpoint, RdsSettings.Credentials.DEFAULT_CHAIN,
          fake.kmsKeyByRegion().get(name), 20, 100, null);
    }).toList();
    List<RdsSettings.Instance> managed = instances.stream()
        .map(id -> new RdsSettings.Instance(id, databases.getOrDefault(id, "postgres"))).toList();
    // Standard retries, and a short first backoff after throttling (above): fake RDS throttles by count (every
    // n-th call), not by load, which adaptive mode and a second's backoff answer by slowing every later call;
    // right against AWS (config/rds.yml), only slow for a demo on one machine.
    return new RdsSettings(regionSettings, managed, Duration.ofSeconds(60), Duration.ofSeconds(20), "standard", 8,
        Duration.ofMillis(500), new RdsSettings.Database("postgres", null, false, "disable"),
        new RdsSettings.Temporary("db.t4g.medium", subnets, groups));
  }

  public FakeRds fake() {
    return fake;
  }

  public RdsPlatform platform() {
    return platform;
  }

  public FailoverOperations failover() {
    return failover;
  }

  @Override
  public void close() {
    platform.close();
    fake.close();
  }
}
