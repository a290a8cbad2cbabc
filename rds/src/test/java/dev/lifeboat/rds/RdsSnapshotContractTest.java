package dev.lifeboat.rds;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static dev.lifeboat.rds.RdsStubs.DR;
import static dev.lifeboat.rds.RdsStubs.DR_KEY;
import static dev.lifeboat.rds.RdsStubs.HOME;
import static dev.lifeboat.rds.RdsStubs.PRIMARY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import dev.lifeboat.common.ErrorType;
import dev.lifeboat.common.LifeboatException;
import dev.lifeboat.common.model.SnapshotInfo;
import dev.lifeboat.common.platform.ProgressListener;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** CreateDBSnapshot, DescribeDBSnapshots, DeleteDBSnapshot and CopyDBSnapshot against recorded RDS answers. */
class RdsSnapshotContractTest extends RdsContractTestBase {
  private static final String SNAP = "snapshot-techcorp-primary-20261130";
  private static final Instant TAKEN = Instant.parse("2026-11-30T03:00:12.345Z");


  private static String snapshot(String region, String status, Integer percent, boolean encrypted) {
    return RdsResponses.snapshot(SNAP, PRIMARY, region, status, percent, TAKEN, encrypted,
        region.equals(HOME) ? null : HOME);
  }

  private void quotas(String region, long used, long max) {
    stubs.ok(stubs.rds(region, "DescribeAccountAttributes"), RdsResponses.accountAttributes(used, max, 10, 40));
  }

  /** DescribeDBSnapshots of the id: not found until {@code action} ran, then creating at 40%, then available. */
  private void snapshotAppearsAfter(String region, String action, boolean encrypted) {
    String scenario = "snapshot-" + region;
    stubs.server.stubFor(stubs.rds(region, "DescribeDBSnapshots")
        .withFormParam("DBSnapshotIdentifier", equalTo(SNAP))
        .inScenario(scenario).whenScenarioStateIs(STARTED)
        .willReturn(aResponse().withStatus(404)
            .withBody(RdsResponses.error("DBSnapshotNotFound", "DBSnapshot " + SNAP + " not found."))));
    stubs.ok(stubs.rds(region, action).inScenario(scenario).whenScenarioStateIs(STARTED)
        .willSetStateTo("started"), RdsResponses.wrap(action + ".xml", "SNAPSHOT",
        snapshot(region, "creating", 0, encrypted)));
    stubs.ok(stubs.rds(region, "DescribeDBSnapshots").withFormParam("DBSnapshotIdentifier", equalTo(SNAP))
        .inScenario(scenario).whenScenarioStateIs("started").willSetStateTo("progress"),
        RdsResponses.describeSnapshots(List.of(snapshot(region, region.equals(HOME) ? "creating" : "copying", 40,
            encrypted))));
    stubs.ok(stubs.rds(region, "DescribeDBSnapshots").withFormParam("DBSnapshotIdentifier", equalTo(SNAP))
        .inScenario(scenario).whenScenarioStateIs("progress"),
        RdsResponses.describeSnapshots(List.of(snapshot(region, "available", 100, encrypted))));
  }

  @Test
  void createSnapshot_sendsTagsAndWaitsUntilAvailable() {
    quotas(HOME, 12, 100);
    snapshotAppearsAfter(HOME, "CreateDBSnapshot", false);
    List<Integer> percents = new ArrayList<>();

    SnapshotInfo info = platform.createSnapshot(PRIMARY, SNAP, Map.of("lifeboat:run", "run-1"),
        (detail, percent, bytes) -> percents.add(percent));

    assertThat(info.status()).isEqualTo("available");
    assertThat(info.instance()).isEqualTo(PRIMARY);
    assertThat(info.region()).isEqualTo(HOME);
    assertThat(info.startedAt()).isEqualTo(TAKEN);
    assertThat(info.stoppedAt()).isEqualTo(TAKEN);
    assertThat(info.bytes()).isEqualTo(100L << 30);
    assertThat(percents).contains(40, 100);
    List<Map<String, String>> creates = stubs.sent(HOME, "CreateDBSnapshot");
    assertThat(creates).hasSize(1);
    assertThat(creates.get(0)).containsEntry("DBInstanceIdentifier", PRIMARY)
        .containsEntry("DBSnapshotIdentifier", SNAP);
    assertThat(RdsStubs.tags(creates.get(0))).containsEntry("lifeboat:run", "run-1")
        .containsEntry("lifeboat:managed", "true");
  }

  @Test
  void createSnapshot_whenThrottledOnce_isRetriedAndSucceeds() {
    quotas(HOME, 12, 100);
    snapshotAppearsAfter(HOME, "CreateDBSnapshot", false);
    // the first CreateDBSnapshot is throttled; the SDK's retry gets the scenario's answer
    stubs.server.stubFor(stubs.rds(HOME, "CreateDBSnapshot").inScenario("throttle").whenScenarioStateIs(STARTED)
        .willSetStateTo("throttled").atPriority(1)
        .willReturn(aResponse().withStatus(400)
            .withBody(RdsResponses.error("Throttling", "Rate exceeded"))));

    SnapshotInfo info = platform.createSnapshot(PRIMARY, SNAP, Map.of(), ProgressListener.NONE);

    assertThat(info.status()).isEqualTo("available");
    assertThat(stubs.sent(HOME, "CreateDBSnapshot")).hasSize(2);
  }

  @Test
  void createSnapshot_whenThrottledBeyondSdkRetries_isRetryableNotTyped() {
    usePlatform(stubs.settings("standard", 1, DR_KEY, 2));
    quotas(HOME, 12, 100);
    snapshotAppearsAfter(HOME, "CreateDBSnapshot", false);
    stubs.fail(stubs.rds(HOME, "CreateDBSnapshot").atPriority(1), 400, "Throttling", "Rate exceeded");

    assertThatThrownBy(() -> platform.createSnapshot(PRIMARY, SNAP, Map.of(), ProgressListener.NONE))
        .isInstanceOf(RdsTransientException.class)
        .isNotInstanceOf(LifeboatException.class)
        .hasMessageContaining("Throttling");
  }

  @Test
  void createSnapshot_whenManualSnapshotQuotaIsFull_failsTypedBeforeCreating() {
    quotas(HOME, 100, 100);
    snapshotAppearsAfter(HOME, "CreateDBSnapshot", false);

    assertThatThrownBy(() -> platform.createSnapshot(PRIMARY, SNAP, Map.of(), ProgressListener.NONE))
        .isInstanceOfSatisfying(LifeboatException.class, e -> {
          assertThat(e.type()).isEqualTo(ErrorType.SNAPSHOT_QUOTA_EXCEEDED);
          assertThat(e.details()).containsEntry("used", 100L).containsEntry("max", 100L)
              .containsEntry("region", HOME);
        });
    assertThat(stubs.sent(HOME, "CreateDBSnapshot")).isEmpty();
  }

  @Test
  void createSnapshot_whenRdsAnswersSnapshotQuotaExceeded_isTyped() {
    quotas(HOME, 12, 100);
    snapshotAppearsAfter(HOME, "CreateDBSnapshot", false);
    stubs.fail(stubs.rds(HOME, "CreateDBSnapshot").atPriority(1), 400, "SnapshotQuotaExceeded",
        "Cannot create more than 100 manual snapshots");

    assertThatThrownBy(() -> platform.createSnapshot(PRIMARY, SNAP, Map.of(), ProgressListener.NONE))
        .isInstanceOfSatisfying(LifeboatException.class, e -> {
          assertThat(e.type()).isEqualTo(ErrorType.SNAPSHOT_QUOTA_EXCEEDED);
          assertThat(e.details()).containsEntry("awsCode", "SnapshotQuotaExceeded").containsKey("requestId");
          assertThat(e.getMessage()).contains("CreateDBSnapshot", "SnapshotQuotaExceeded", "retention");
        });
  }

  @Test
  void createSnapshot_whenInstanceIsNotAvailable_isRetriedLater_notAFailureOfTheRun() {
    quotas(HOME, 12, 100);
    snapshotAppearsAfter(HOME, "CreateDBSnapshot", false);
    stubs.fail(stubs.rds(HOME, "CreateDBSnapshot").atPriority(1), 400, "InvalidDBInstanceState",
        "Cannot create a snapshot because the database instance techcorp-primary is not currently in the available"
            + " state.");

    // backing up or in maintenance at 03:00: the activity fails retryably and Temporal tries again later
    assertThatThrownBy(() -> platform.createSnapshot(PRIMARY, SNAP, Map.of(), ProgressListener.NONE))
        .isInstanceOf(RdsTransientException.class).hasMessageContaining("current state");
  }

  @Test
  void createSnapshot_whenInstanceDoesNotExistInRds_isInstanceNotFound() {
    quotas(HOME, 12, 100);
    snapshotAppearsAfter(HOME, "CreateDBSnapshot", false);
    stubs.fail(stubs.rds(HOME, "CreateDBSnapshot").atPriority(1), 404, "DBInstanceNotFound",
        "DBInstance techcorp-primary not found.");

    assertThatThrownBy(() -> platform.createSnapshot(PRIMARY, SNAP, Map.of(), ProgressListener.NONE))
        .isInstanceOfSatisfying(LifeboatException.class,
            e -> assertThat(e.type()).isEqualTo(ErrorType.INSTANCE_NOT_FOUND));
  }

  @Test
  void createSnapshot_whenAnEarlierAttemptCreatedIt_waitsForThatOne() {
    quotas(HOME, 12, 100);
    snapshotAppearsAfter(HOME, "CreateDBSnapshot", false);
    // the earlier attempt's snapshot exists: RDS refuses a second one, and the scenario moves on regardless
    stubs.server.stubFor(stubs.rds(HOME, "CreateDBSnapshot").inScenario("snapshot-" + HOME)
        .whenScenarioStateIs(STARTED).willSetStateTo("started").atPriority(1)
        .willReturn(aResponse().withStatus(400)
            .withBody(RdsResponses.error("DBSnapshotAlreadyExists", "Cannot create the snapshot because a snapshot"
                + " with the identifier " + SNAP + " already exists."))));

    SnapshotInfo info = platform.createSnapshot(PRIMARY, SNAP, Map.of(), ProgressListener.NONE);

    assertThat(info.status()).isEqualTo("available");
  }

  @Test
  void createSnapshot_whenItExistsAlready_isReturnedWithoutCreating() {
    stubs.ok(stubs.rds(HOME, "DescribeDBSnapshots"),
        RdsResponses.describeSnapshots(List.of(snapshot(HOME, "available", 100, false))));

    SnapshotInfo info = platform.createSnapshot(PRIMARY, SNAP, Map.of(), ProgressListener.NONE);

    assertThat(info.id()).isEqualTo(SNAP);
    assertThat(stubs.sent(HOME, "CreateDBSnapshot")).isEmpty();
    assertThat(stubs.sent(HOME, "DescribeAccountAttributes")).isEmpty();
  }

  @Test
  void copySnapshot_sendsSourceArnPresignedUrlKmsKeyAndCopyTagsInTheDestination() {
    stubs.ok(stubs.rds(HOME, "DescribeDBSnapshots").withFormParam("DBSnapshotIdentifier", equalTo(SNAP)),
        RdsResponses.describeSnapshots(List.of(snapshot(HOME, "available", 100, true))));
    quotas(DR, 30, 100);
    stubs.ok(stubs.rds(DR, "DescribeDBSnapshots").atPriority(9), RdsResponses.describeSnapshots(List.of()));
    snapshotAppearsAfter(DR, "CopyDBSnapshot", true);
    List<String> details = new ArrayList<>();

    SnapshotInfo copy = platform.copySnapshot(HOME, SNAP, DR, (detail, percent, bytes) -> details.add(detail));

    assertThat(copy.region()).isEqualTo(DR);
    assertThat(copy.instance()).isEqualTo(PRIMARY);
    assertThat(copy.status()).isEqualTo("available");
    assertThat(copy.stoppedAt()).isEqualTo(TAKEN);
    assertThat(copy.tags()).containsEntry("copied-from", HOME);
    assertThat(stubs.sent(HOME, "CopyDBSnapshot")).isEmpty();
    List<Map<String, String>> copies = stubs.sent(DR, "CopyDBSnapshot");
    assertThat(copies).hasSize(1);
    Map<String, String> sent = copies.get(0);
    assertThat(sent).containsEntry("SourceDBSnapshotIdentifier", "arn:aws:rds:us-east-1:123456789012:snapshot:" + SNAP)
        .containsEntry("TargetDBSnapshotIdentifier", SNAP)
        .containsEntry("CopyTags", "true")
        .containsEntry("KmsKeyId", DR_KEY)
        .doesNotContainKey("SourceRegion");
    assertThat(sent.get("PreSignedUrl")).contains("rds.us-east-1.amazonaws.com", "Action=CopyDBSnapshot",
        "DestinationRegion=us-west-2", "X-Amz-Signature=");
    assertThat(details).anyMatch(d -> d.contains("copying"));
  }

  @Test
  void copySnapshot_ofEncryptedSnapshotWithoutKeyForTheDestination_isConfigurationErrorBeforeAnyCopy() {
    usePlatform(stubs.settings("standard", 3, null, 2));
    stubs.ok(stubs.rds(HOME, "DescribeDBSnapshots").withFormParam("DBSnapshotIdentifier", equalTo(SNAP)),
        RdsResponses.describeSnapshots(List.of(snapshot(HOME, "available", 100, true))));
    quotas(DR, 30, 100);
    stubs.ok(stubs.rds(DR, "DescribeDBSnapshots").atPriority(9), RdsResponses.describeSnapshots(List.of()));
    snapshotAppearsAfter(DR, "CopyDBSnapshot", true);

    assertThatThrownBy(() -> platform.copySnapshot(HOME, SNAP, DR, ProgressListener.NONE))
        .isInstanceOfSatisfying(LifeboatException.class, e -> {
          assertThat(e.type()).isEqualTo(ErrorType.CONFIGURATION_ERROR);
          assertThat(e.getMessage()).contains("kmsKeyId", DR);
        });
    assertThat(stubs.sent(DR, "CopyDBSnapshot")).isEmpty();
  }

  @Test
  void copySnapshot_whenTheDestinationQuotaIsFull_isSnapshotQuotaExceededWithoutCopying() {
    stubs.ok(stubs.rds(HOME, "DescribeDBSnapshots").withFormParam("DBSnapshotIdentifier", equalTo(SNAP)),
        RdsResponses.describeSnapshots(List.of(snapshot(HOME, "available", 100, false))));
    quotas(DR, 100, 100);
    stubs.ok(stubs.rds(DR, "DescribeDBSnapshots").atPriority(9), RdsResponses.describeSnapshots(List.of()));
    snapshotAppearsAfter(DR, "CopyDBSnapshot", false);

    assertThatThrownBy(() -> platform.copySnapshot(HOME, SNAP, DR, ProgressListener.NONE))
        .isInstanceOfSatisfying(LifeboatException.class,
            e -> assertThat(e.type()).isEqualTo(ErrorType.SNAPSHOT_QUOTA_EXCEEDED));
    assertThat(stubs.sent(DR, "CopyDBSnapshot")).isEmpty();
  }

  @Test
  void copySnapshot_whenTheCopyIsAvailableAlready_returnsItWithoutCopying() {
    stubs.ok(stubs.rds(HOME, "DescribeDBSnapshots").withFormParam("DBSnapshotIdentifier", equalTo(SNAP)),
        RdsResponses.describeSnapshots(List.of(snapshot(HOME, "available", 100, true))));
    stubs.ok(stubs.rds(DR, "DescribeDBSnapshots").withFormParam("DBSnapshotIdentifier", equalTo(SNAP)),
        RdsResponses.describeSnapshots(List.of(snapshot(DR, "available", 100, true))));

    SnapshotInfo copy = platform.copySnapshot(HOME, SNAP, DR, ProgressListener.NONE);

    assertThat(copy.status()).isEqualTo("available");
    assertThat(stubs.sent(DR, "CopyDBSnapshot")).isEmpty();
  }

  @Test
  void copySnapshot_whenProgressDoesNotMove_failsAsStuck() {
    stubs.ok(stubs.rds(HOME, "DescribeDBSnapshots").withFormParam("DBSnapshotIdentifier", equalTo(SNAP)),
        RdsResponses.describeSnapshots(List.of(snapshot(HOME, "available", 100, false))));
    quotas(DR, 30, 100);
    stubs.ok(stubs.rds(DR, "DescribeDBSnapshots").atPriority(9), RdsResponses.describeSnapshots(List.of()));
    snapshotAppearsAfter(DR, "CopyDBSnapshot", false);
    // stays at 40%
    stubs.ok(stubs.rds(DR, "DescribeDBSnapshots").withFormParam("DBSnapshotIdentifier", equalTo(SNAP))
        .inScenario("snapshot-" + DR).whenScenarioStateIs("progress").atPriority(1),
        RdsResponses.describeSnapshots(List.of(snapshot(DR, "copying", 40, false))));
    platform.stuckCopyAfter(Duration.ofMillis(200));

    assertThatThrownBy(() -> platform.copySnapshot(HOME, SNAP, DR, ProgressListener.NONE))
        .isInstanceOfSatisfying(LifeboatException.class, e -> {
          assertThat(e.type()).isEqualTo(ErrorType.PLATFORM_ERROR);
          assertThat(e.getMessage()).contains("stuck", "40%");
        });
  }

  @Test
  void copySnapshot_fiveAtOnceWithTwoSlots_neverHasMoreThanTwoCopiesInFlight() throws Exception {
    usePlatform(stubs.settings("standard", 3, DR_KEY, 2));
    quotas(DR, 30, 100);
    stubs.ok(stubs.rds(DR, "DescribeDBSnapshots").atPriority(9), RdsResponses.describeSnapshots(List.of()));
    List<String> ids = List.of("daily-0", "daily-1", "daily-2", "daily-3", "daily-4");
    for (String id : ids) {
      stubs.ok(stubs.rds(HOME, "DescribeDBSnapshots").withFormParam("DBSnapshotIdentifier", equalTo(id)),
          RdsResponses.describeSnapshots(List.of(RdsResponses.snapshot(id, PRIMARY, HOME, "available", 100, TAKEN,
              false, null))));
      copyTakesPolls(id, 8);
    }
    ExecutorService pool = Executors.newFixedThreadPool(ids.size());
    try {
      List<Future<SnapshotInfo>> copies = new ArrayList<>();
      for (String id : ids) {
        copies.add(pool.submit(() -> platform.copySnapshot(HOME, id, DR, ProgressListener.NONE)));
      }
      for (Future<SnapshotInfo> copy : copies) {
        assertThat(copy.get(30, TimeUnit.SECONDS).status()).isEqualTo("available");
      }
    } finally {
      pool.shutdownNow();
    }
    // a copy is in flight from its CopyDBSnapshot until RDS first answers it is available
    Map<String, Long> started = new HashMap<>();
    Map<String, Long> ended = new HashMap<>();
    List<long[]> edges = new ArrayList<>();
    for (ServeEvent event : stubs.server.getAllServeEvents()) {
      Map<String, String> form = RdsStubs.form(event.getRequest());
      String id = form.getOrDefault("TargetDBSnapshotIdentifier", form.get("DBSnapshotIdentifier"));
      boolean dr = event.getRequest().getHeader("Authorization").contains("/" + DR + "/");
      long at = event.getRequest().getLoggedDate().getTime();
      if (dr && "CopyDBSnapshot".equals(form.get("Action"))) {
        started.put(id, at);
      } else if (dr && id != null && event.getResponse().getBodyAsString().contains("<Status>available</Status>")) {
        ended.merge(id, at, Math::min);
      }
    }
    assertThat(started).containsOnlyKeys(ids);
    started.forEach((id, at) -> {
      edges.add(new long[] {at, 1});
      edges.add(new long[] {ended.get(id), -1});
    });
    // ends sort before starts at the same millisecond: a slot is released before the next copy is sent
    edges.sort(Comparator.<long[]>comparingLong(e -> e[0]).thenComparingLong(e -> e[1]));
    int inFlight = 0;
    int most = 0;
    for (long[] edge : edges) {
      inFlight += (int) edge[1];
      most = Math.max(most, inFlight);
    }
    assertThat(most).isBetween(1, 2);
  }

  /** In the DR region: not found until copied, then copying for {@code polls} polls, then available. */
  private void copyTakesPolls(String id, int polls) {
    String scenario = "copy-" + id;
    stubs.server.stubFor(stubs.rds(DR, "DescribeDBSnapshots").withFormParam("DBSnapshotIdentifier", equalTo(id))
        .inScenario(scenario).whenScenarioStateIs(STARTED)
        .willReturn(aResponse().withStatus(404).withBody(RdsResponses.error("DBSnapshotNotFound", "not found"))));
    stubs.ok(stubs.rds(DR, "CopyDBSnapshot").withFormParam("TargetDBSnapshotIdentifier", equalTo(id))
        .inScenario(scenario).willSetStateTo("copying-1"), RdsResponses.wrap("CopyDBSnapshot.xml", "SNAPSHOT",
        RdsResponses.snapshot(id, PRIMARY, DR, "pending", 0, TAKEN, false, HOME)));
    for (int poll = 1; poll <= polls; poll++) {
      stubs.ok(stubs.rds(DR, "DescribeDBSnapshots").withFormParam("DBSnapshotIdentifier", equalTo(id))
          .inScenario(scenario).whenScenarioStateIs("copying-" + poll).willSetStateTo("copying-" + (poll + 1)),
          RdsResponses.describeSnapshots(List.of(RdsResponses.snapshot(id, PRIMARY, DR, "copying",
              poll * 100 / (polls + 1), TAKEN, false, HOME))));
    }
    stubs.ok(stubs.rds(DR, "DescribeDBSnapshots").withFormParam("DBSnapshotIdentifier", equalTo(id))
        .inScenario(scenario).whenScenarioStateIs("copying-" + (polls + 1)),
        RdsResponses.describeSnapshots(List.of(RdsResponses.snapshot(id, PRIMARY, DR, "available", 100, TAKEN, false,
            HOME))));
  }

  @Test
  void deleteSnapshot_sendsDeleteAndAnswersFalseWhenAbsent() {
    stubs.ok(stubs.rds(HOME, "DescribeDBSnapshots").withFormParam("DBSnapshotIdentifier", equalTo(SNAP)),
        RdsResponses.describeSnapshots(List.of(snapshot(HOME, "available", 100, false))));
    stubs.ok(stubs.rds(HOME, "DeleteDBSnapshot"), RdsResponses.wrap("DeleteDBSnapshot.xml", "SNAPSHOT",
        snapshot(HOME, "deleted", 100, false)));
    stubs.fail(stubs.rds(HOME, "DescribeDBSnapshots").withFormParam("DBSnapshotIdentifier", equalTo("gone")), 404,
        "DBSnapshotNotFound", "DBSnapshot gone not found.");

    assertThat(platform.deleteSnapshot(HOME, SNAP)).isTrue();
    assertThat(platform.deleteSnapshot(HOME, "gone")).isFalse();
    assertThat(stubs.sent(HOME, "DeleteDBSnapshot")).singleElement()
        .satisfies(f -> assertThat(f).containsEntry("DBSnapshotIdentifier", SNAP));
  }

  @Test
  void listSnapshots_readsManualSnapshotsOfEveryRegionOldestFirst() {
    Instant older = Instant.parse("2026-11-29T03:00:00Z");
    stubs.ok(stubs.rds(HOME, "DescribeDBSnapshots"), RdsResponses.describeSnapshots(List.of(
        snapshot(HOME, "available", 100, false),
        RdsResponses.snapshot("snap-old", PRIMARY, HOME, "creating", 10, older, false, null))));
    stubs.ok(stubs.rds(DR, "DescribeDBSnapshots"), RdsResponses.describeSnapshots(List.of(
        snapshot(DR, "copying", 30, false))));

    List<SnapshotInfo> all = platform.listSnapshots(PRIMARY);

    assertThat(all).extracting(SnapshotInfo::id).containsExactly("snap-old", SNAP, SNAP);
    assertThat(all).extracting(SnapshotInfo::status).containsExactly("creating", "available", "creating");
    assertThat(stubs.sent(HOME, "DescribeDBSnapshots").get(0)).containsEntry("SnapshotType", "manual")
        .containsEntry("DBInstanceIdentifier", PRIMARY);
  }
}
