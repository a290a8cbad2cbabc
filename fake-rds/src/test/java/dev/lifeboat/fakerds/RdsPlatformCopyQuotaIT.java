package dev.lifeboat.fakerds;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeboat.activities.local.LocalPlatform;
import dev.lifeboat.activities.testing.TestLocalPlatform;
import dev.lifeboat.common.model.SnapshotInfo;
import dev.lifeboat.common.platform.ProgressListener;
import dev.lifeboat.rds.RdsPlatform;
import dev.lifeboat.rds.RdsSettings;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The real RDS platform against fake RDS: five instances snapshotted and copied to the DR region at
 * once, with the DR region's copy quota at 2. Every copy ends available, and the fake saw two
 * copies in flight at the most (each copy takes a few seconds there, so they do overlap). Throttled
 * calls are RdsDevIT's and the contract tests' subject: adaptive retries slow every call down.
 */
class RdsPlatformCopyQuotaIT {
  private static final String HOME = "us-east-1";
  private static final String DR = "us-west-2";
  private static final List<String> INSTANCES = IntStream.rangeClosed(1, 5).mapToObj(i -> "quota-db-" + i).toList();

  private static TestLocalPlatform local;
  private static FakeRds fake;
  private static RdsPlatform rds;

  @BeforeAll
  static void fiveInstancesBehindFakeRds() {
    local = TestLocalPlatform.create("copy-quota", c -> c.withRegion(HOME).withDrRegions(List.of(DR)));
    LocalPlatform platform = local.platform();
    INSTANCES.forEach(platform::createPrimary);
    FakeRdsOptions options = FakeRdsOptions.defaults(platform, Set.copyOf(INSTANCES));
    fake = FakeRds.start(options);
    // the SDK's default chain reads these; the fake checks no signature
    System.setProperty("aws.accessKeyId", "AKIDCOPYQUOTA");
    System.setProperty("aws.secretAccessKey", "secret");
    RdsSettings settings = new RdsSettings(
        List.of(new RdsSettings.Region(HOME, fake.endpoint(), null, options.kmsKeyByRegion().get(HOME), 20, 100, null),
            new RdsSettings.Region(DR, fake.endpoint(), null, options.kmsKeyByRegion().get(DR), 2, 100, null)),
        INSTANCES.stream().map(id -> new RdsSettings.Instance(id, "postgres")).toList(),
        Duration.ofSeconds(60), Duration.ofSeconds(20), "adaptive", 8, Duration.ofMillis(200),
        new RdsSettings.Database("postgres", null, false, "disable"),
        new RdsSettings.Temporary("db.t4g.micro", Map.of(HOME, options.subnetGroup(), DR, options.subnetGroup()),
            Map.of(HOME, options.securityGroups(), DR, options.securityGroups())));
    rds = new RdsPlatform(settings, Clock.systemUTC());
  }

  @AfterAll
  static void tearDown() {
    if (rds != null) {
      rds.close();
    }
    if (fake != null) {
      fake.close();
    }
    if (local != null) {
      local.close();
    }
  }

  @Test
  void fiveCopiesAtOnce_withTheQuotaAtTwo_neverHaveMoreThanTwoInFlight_andAllEndAvailable() throws Exception {
    fake.faults().copyDelay(Duration.ofSeconds(3));
    ExecutorService pool = Executors.newFixedThreadPool(INSTANCES.size());
    try {
      List<Future<SnapshotInfo>> snapshots = new ArrayList<>();
      for (String instance : INSTANCES) {
        snapshots.add(pool.submit(() -> rds.createSnapshot(instance, "lb-" + instance + "-1",
            Map.of("policy", "it"), ProgressListener.NONE)));
      }
      for (Future<SnapshotInfo> snapshot : snapshots) {
        assertThat(snapshot.get().status()).isEqualTo("available");
      }
      List<Future<SnapshotInfo>> copies = new ArrayList<>();
      for (String instance : INSTANCES) {
        copies.add(pool.submit(() -> rds.copySnapshot(HOME, "lb-" + instance + "-1", DR, ProgressListener.NONE)));
      }
      for (Future<SnapshotInfo> copy : copies) {
        SnapshotInfo info = copy.get();
        assertThat(info.region()).isEqualTo(DR);
        assertThat(info.status()).isEqualTo("available");
      }
    } finally {
      pool.shutdownNow();
    }

    assertThat(rds.listSnapshots(null, DR)).extracting(SnapshotInfo::id)
        .containsExactlyInAnyOrderElementsOf(INSTANCES.stream().map(id -> "lb-" + id + "-1").toList());
    assertThat(fake.stats().calls("CopyDBSnapshot")).isGreaterThanOrEqualTo(5);
    assertThat(fake.stats().maxCopiesInFlight(DR)).as("copies in flight in " + DR + " at most").isEqualTo(2);
  }
}
