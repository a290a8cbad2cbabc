package dev.lifeboat.rds;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static dev.lifeboat.rds.RdsStubs.DR;
import static dev.lifeboat.rds.RdsStubs.HOME;
import static dev.lifeboat.rds.RdsStubs.NOW;
import static dev.lifeboat.rds.RdsStubs.PRIMARY;
import static dev.lifeboat.rds.RdsStubs.REPLICA;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lifeboat.common.ErrorType;
import dev.lifeboat.common.LifeboatException;
import dev.lifeboat.common.model.InstanceInfo;
import dev.lifeboat.common.model.InstanceRole;
import dev.lifeboat.common.model.RestorePlan;
import dev.lifeboat.common.model.RestoreSpec;
import dev.lifeboat.common.model.RestoreWindow;
import dev.lifeboat.common.platform.ProgressListener;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Restorable windows, point-in-time and DR restores, instance listing and the deletion guard,
 * against recorded RDS answers.
 */
class RdsRestoreContractTest extends RdsContractTestBase {
  private static final Instant LATEST = NOW.minus(Duration.ofMinutes(4));
  private static final Instant EARLIEST = Instant.parse("2026-11-23T12:03:00Z");
  private static final String TEMP = "lb-pitr-1a2b3c4d";
  private static final String RUN = "restore-techcorp-primary-1a2b3c4d";
  private static final Instant EXPIRES = NOW.plus(Duration.ofHours(4));


  private static String primary() {
    return RdsResponses.instance(PRIMARY, HOME, "available", 7, LATEST, null, true, Map.of("team", "platform"));
  }

  private static Map<String, String> tempTags(String run) {
    Map<String, String> tags = new LinkedHashMap<>();
    tags.put("lifeboat:temporary", "true");
    tags.put("lifeboat:run", run);
    tags.put("lifeboat:expires-at", EXPIRES.toString());
    tags.put("lifeboat:requester", "alice");
    tags.put("lifeboat:source", PRIMARY);
    return tags;
  }

  private void homeInstance() {
    stubs.ok(stubs.rds(HOME, "DescribeDBInstances").withFormParam("DBInstanceIdentifier", equalTo(PRIMARY)),
        RdsResponses.describeInstances(List.of(primary())));
    stubs.ok(stubs.rds(HOME, "DescribeDBInstanceAutomatedBackups"),
        RdsResponses.render("DescribeDBInstanceAutomatedBackups.xml", Map.of("ID", PRIMARY, "REGION", HOME,
            "EARLIEST", EARLIEST, "LATEST", LATEST)));
    stubs.ok(stubs.rds(HOME, "DescribeDBSnapshots"), RdsResponses.describeSnapshots(List.of(
        RdsResponses.snapshot("daily-1", PRIMARY, HOME, "available", 100, Instant.parse("2026-11-30T03:00:00Z"),
            true, null))));
  }

  /** DescribeDBInstances of the temporary id: not found until {@code action}, then creating, then available. */
  private void tempAppearsAfter(String region, String action) {
    String scenario = "temp-" + region;
    stubs.server.stubFor(stubs.rds(region, "DescribeDBInstances").withFormParam("DBInstanceIdentifier", equalTo(TEMP))
        .inScenario(scenario).whenScenarioStateIs(STARTED)
        .willReturn(aResponse().withStatus(404).withBody(RdsResponses.error("DBInstanceNotFound",
            "DBInstance " + TEMP + " not found."))));
    stubs.ok(stubs.rds(region, action).inScenario(scenario).whenScenarioStateIs(STARTED).willSetStateTo("created"),
        RdsResponses.wrap(action + ".xml", "INSTANCE",
            RdsResponses.instance(TEMP, region, "creating", 0, null, null, true, tempTags(RUN))));
    stubs.ok(stubs.rds(region, "DescribeDBInstances").withFormParam("DBInstanceIdentifier", equalTo(TEMP))
        .inScenario(scenario).whenScenarioStateIs("created").willSetStateTo("backing-up"),
        RdsResponses.describeInstances(List.of(RdsResponses.instance(TEMP, region, "creating", 0, null, null, true,
            tempTags(RUN)))));
    stubs.ok(stubs.rds(region, "DescribeDBInstances").withFormParam("DBInstanceIdentifier", equalTo(TEMP))
        .inScenario(scenario).whenScenarioStateIs("backing-up").willSetStateTo("available"),
        RdsResponses.describeInstances(List.of(RdsResponses.instance(TEMP, region, "backing-up", 1, null, null, true,
            tempTags(RUN)))));
    stubs.ok(stubs.rds(region, "DescribeDBInstances").withFormParam("DBInstanceIdentifier", equalTo(TEMP))
        .inScenario(scenario).whenScenarioStateIs("available"),
        RdsResponses.describeInstances(List.of(RdsResponses.instance(TEMP, region, "available", 1, NOW, null, true,
            tempTags(RUN)))));
  }

  @Test
  void restoreWindow_runsFromTheAutomatedBackupsToLatestRestorableTime() {
    homeInstance();

    RestoreWindow window = platform.restoreWindow(PRIMARY);

    assertThat(window.earliest()).isEqualTo(EARLIEST);
    assertThat(window.latest()).isEqualTo(LATEST);
    assertThat(window.snapshots()).extracting(s -> s.id()).containsExactly("daily-1");
    assertThat(window.gaps()).isEmpty();
  }

  @Test
  void restoreWindow_withoutAutomatedBackupWindow_fallsBackToTheRetentionPeriod() {
    homeInstance();
    stubs.fail(stubs.rds(HOME, "DescribeDBInstanceAutomatedBackups").atPriority(1), 404,
        "DBInstanceAutomatedBackupNotFound", "not found");

    RestoreWindow window = platform.restoreWindow(PRIMARY);

    assertThat(window.earliest()).isEqualTo(NOW.minus(Duration.ofDays(7)));
    assertThat(window.latest()).isEqualTo(LATEST);
  }

  @Test
  void restoreWindow_ofAnInstanceRdsDoesNotKnow_isInstanceNotFound() {
    stubs.fail(stubs.rds(HOME, "DescribeDBInstances"), 404, "DBInstanceNotFound", "DBInstance not found.");

    assertThatThrownBy(() -> platform.restoreWindow(PRIMARY)).isInstanceOfSatisfying(LifeboatException.class,
        e -> assertThat(e.type()).isEqualTo(ErrorType.INSTANCE_NOT_FOUND));
    assertThatThrownBy(() -> platform.restoreWindow("not-configured"))
        .isInstanceOfSatisfying(LifeboatException.class,
            e -> assertThat(e.type()).isEqualTo(ErrorType.INSTANCE_NOT_FOUND));
  }

  @Test
  void planRestore_outsideTheWindow_isRejected() {
    homeInstance();

    assertThatThrownBy(() -> platform.planRestore(PRIMARY, EARLIEST.minusSeconds(1)))
        .isInstanceOfSatisfying(LifeboatException.class, e -> {
          assertThat(e.type()).isEqualTo(ErrorType.RESTORE_TIME_OUTSIDE_WINDOW);
          assertThat(e.getMessage()).contains("before the earliest restorable time");
        });
    assertThatThrownBy(() -> platform.planRestore(PRIMARY, LATEST.plusSeconds(1)))
        .isInstanceOfSatisfying(LifeboatException.class, e -> {
          assertThat(e.type()).isEqualTo(ErrorType.RESTORE_TIME_OUTSIDE_WINDOW);
          assertThat(e.getMessage()).contains("LatestRestorableTime");
        });
    assertThatThrownBy(() -> platform.planRestore(PRIMARY, NOW.plusSeconds(60)))
        .isInstanceOfSatisfying(LifeboatException.class,
            e -> assertThat(e.type()).isEqualTo(ErrorType.RESTORE_TIME_IN_FUTURE));
  }

  @Test
  void planRestore_insideTheWindow_namesTheNewestSnapshotBefore() {
    homeInstance();
    Instant target = Instant.parse("2026-11-30T10:31:00Z");

    RestorePlan plan = platform.planRestore(PRIMARY, target);

    assertThat(plan.targetTime()).isEqualTo(target);
    assertThat(plan.snapshotId()).isEqualTo("daily-1");
    assertThat(plan.region()).isNull();
  }

  @Test
  void restoreToPointInTime_outsideTheWindow_sendsNoRestore() {
    homeInstance();
    tempAppearsAfter(HOME, "RestoreDBInstanceToPointInTime");
    RestoreSpec spec = new RestoreSpec(TEMP, PRIMARY, EARLIEST.minus(Duration.ofHours(1)), null, RUN, "alice",
        EXPIRES, null);

    assertThatThrownBy(() -> platform.restoreToPointInTime(spec, ProgressListener.NONE))
        .isInstanceOfSatisfying(LifeboatException.class,
            e -> assertThat(e.type()).isEqualTo(ErrorType.RESTORE_TIME_OUTSIDE_WINDOW));
    assertThat(stubs.sent(HOME, "RestoreDBInstanceToPointInTime")).isEmpty();
  }

  @Test
  void restoreToPointInTime_sendsTheTargetOptionsAndTags_andWaitsUntilAvailable() {
    homeInstance();
    tempAppearsAfter(HOME, "RestoreDBInstanceToPointInTime");
    Instant target = Instant.parse("2026-11-30T10:31:00.250Z");
    List<String> details = new ArrayList<>();

    InstanceInfo info = platform.restoreToPointInTime(new RestoreSpec(TEMP, PRIMARY, target, "daily-1", RUN, "alice",
        EXPIRES, null), (detail, percent, bytes) -> details.add(detail));

    assertThat(info.id()).isEqualTo(TEMP);
    assertThat(info.role()).isEqualTo(InstanceRole.TEMPORARY);
    assertThat(info.status()).isEqualTo("available");
    assertThat(info.endpoint().host()).isEqualTo(TEMP + ".c9akciq32.us-east-1.rds.amazonaws.com");
    assertThat(info.endpoint().port()).isEqualTo(5432);
    assertThat(info.endpoint().database()).isEqualTo("techcorp");
    assertThat(info.endpoint().user()).isEqualTo("lifeboat");
    assertThat(info.runId()).isEqualTo(RUN);
    assertThat(info.source()).isEqualTo(PRIMARY);
    assertThat(info.expiresAt()).isEqualTo(EXPIRES);
    assertThat(details).anyMatch(d -> d.contains("backing-up"));
    Map<String, String> sent = stubs.sent(HOME, "RestoreDBInstanceToPointInTime").get(0);
    assertThat(sent).containsEntry("SourceDBInstanceIdentifier", PRIMARY)
        .containsEntry("TargetDBInstanceIdentifier", TEMP)
        .containsEntry("DBInstanceClass", "db.t4g.medium")
        .containsEntry("DBSubnetGroupName", "lifeboat-temp")
        .containsEntry("VpcSecurityGroupIds.VpcSecurityGroupId.1", "sg-0123456789abcdef0")
        .containsEntry("PubliclyAccessible", "false")
        .containsEntry("MultiAZ", "false")
        .containsEntry("DeletionProtection", "false")
        .doesNotContainKey("UseLatestRestorableTime");
    assertThat(sent.get("RestoreTime")).matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?Z");
    assertThat(Instant.parse(sent.get("RestoreTime"))).isEqualTo(target);
    assertThat(RdsStubs.tags(sent)).containsEntry("lifeboat:temporary", "true")
        .containsEntry("lifeboat:run", RUN)
        .containsEntry("lifeboat:expires-at", EXPIRES.toString())
        .containsEntry("lifeboat:requester", "alice")
        .containsEntry("lifeboat:source", PRIMARY);
  }

  @Test
  void restoreToPointInTime_again_waitsForTheEarlierAttemptWithoutASecondRestore() {
    homeInstance();
    stubs.ok(stubs.rds(HOME, "DescribeDBInstances").withFormParam("DBInstanceIdentifier", equalTo(TEMP)),
        RdsResponses.describeInstances(List.of(RdsResponses.instance(TEMP, HOME, "available", 1, NOW, null, true,
            tempTags(RUN)))));

    InstanceInfo info = platform.restoreToPointInTime(new RestoreSpec(TEMP, PRIMARY, LATEST.minusSeconds(60),
        null, RUN, "alice", EXPIRES, null), ProgressListener.NONE);

    assertThat(info.status()).isEqualTo("available");
    assertThat(stubs.sent(HOME, "RestoreDBInstanceToPointInTime")).isEmpty();
  }

  @Test
  void restoreToPointInTime_intoAnInstanceOfAnotherRun_isRefusedAndTouchesNothing() {
    homeInstance();
    stubs.ok(stubs.rds(HOME, "DescribeDBInstances").withFormParam("DBInstanceIdentifier", equalTo(TEMP)),
        RdsResponses.describeInstances(List.of(RdsResponses.instance(TEMP, HOME, "available", 1, NOW, null, true,
            tempTags("another-run")))));

    assertThatThrownBy(() -> platform.restoreToPointInTime(new RestoreSpec(TEMP, PRIMARY, LATEST.minusSeconds(60),
        null, RUN, "alice", EXPIRES, null), ProgressListener.NONE))
        .isInstanceOfSatisfying(LifeboatException.class, e -> {
          assertThat(e.type()).isEqualTo(ErrorType.INVALID_REQUEST);
          assertThat(e.getMessage()).contains("another-run");
        });
    assertThat(stubs.actions()).doesNotContain("RestoreDBInstanceToPointInTime", "DeleteDBInstance");
  }

  @Test
  void restoreToPointInTime_whenTheInstanceQuotaIsFull_isTyped() {
    homeInstance();
    tempAppearsAfter(HOME, "RestoreDBInstanceToPointInTime");
    stubs.fail(stubs.rds(HOME, "RestoreDBInstanceToPointInTime").atPriority(1), 400, "InstanceQuotaExceeded",
        "The request cannot be processed because it would exceed the maximum number of DB instances.");

    assertThatThrownBy(() -> platform.restoreToPointInTime(new RestoreSpec(TEMP, PRIMARY, LATEST.minusSeconds(60),
        null, RUN, "alice", EXPIRES, null), ProgressListener.NONE))
        .isInstanceOfSatisfying(LifeboatException.class,
            e -> assertThat(e.type()).isEqualTo(ErrorType.INSTANCE_QUOTA_EXCEEDED));
  }

  private void drCopies(Instant... times) {
    List<String> copies = new ArrayList<>();
    for (int i = 0; i < times.length; i++) {
      copies.add(RdsResponses.snapshot("daily-" + i, PRIMARY, DR, "available", 100, times[i], true, HOME));
    }
    stubs.ok(stubs.rds(DR, "DescribeDBSnapshots"), RdsResponses.describeSnapshots(copies));
  }

  @Test
  void drWindow_runsFromTheOldestCopyToJustAfterTheNewest_andTheLatestTargetLandsOnTheNewestCopy() {
    Instant older = Instant.parse("2026-11-29T03:00:10Z");
    Instant newer = Instant.parse("2026-11-30T03:00:12.345Z");
    drCopies(older, newer);

    RestoreWindow window = platform.restoreWindow(PRIMARY, DR);
    RestorePlan latest = platform.planRestore(PRIMARY, DR, window.latest().minusNanos(1_000));
    RestorePlan between = platform.planRestore(PRIMARY, DR, newer.minusSeconds(1));

    assertThat(window.earliest()).isEqualTo(older);
    assertThat(window.latest()).isEqualTo(newer.plusMillis(1));
    assertThat(latest.snapshotId()).isEqualTo("daily-1");
    assertThat(latest.snapshotStoppedAt()).isEqualTo(newer);
    assertThat(latest.region()).isEqualTo(DR);
    assertThat(between.snapshotId()).isEqualTo("daily-0");
    assertThatThrownBy(() -> platform.planRestore(PRIMARY, DR, older.minusSeconds(1)))
        .isInstanceOfSatisfying(LifeboatException.class,
            e -> assertThat(e.type()).isEqualTo(ErrorType.RESTORE_TIME_OUTSIDE_WINDOW));
  }

  @Test
  void drRestore_restoresTheCopyFromTheSnapshotInThatRegion() {
    Instant newer = Instant.parse("2026-11-30T03:00:12.345Z");
    drCopies(newer);
    tempAppearsAfter(DR, "RestoreDBInstanceFromDBSnapshot");

    InstanceInfo info = platform.restoreToPointInTime(new RestoreSpec(TEMP, PRIMARY, newer, "daily-0", RUN, "alice",
        EXPIRES, DR), ProgressListener.NONE);

    assertThat(info.region()).isEqualTo(DR);
    assertThat(stubs.sent(HOME, "RestoreDBInstanceToPointInTime")).isEmpty();
    Map<String, String> sent = stubs.sent(DR, "RestoreDBInstanceFromDBSnapshot").get(0);
    assertThat(sent).containsEntry("DBSnapshotIdentifier", "daily-0")
        .containsEntry("DBInstanceIdentifier", TEMP)
        .containsEntry("DBSubnetGroupName", "lifeboat-temp-dr")
        .containsEntry("VpcSecurityGroupIds.VpcSecurityGroupId.1", "sg-0fedcba9876543210")
        .containsEntry("PubliclyAccessible", "false");
    assertThat(RdsStubs.tags(sent)).containsEntry("lifeboat:temporary", "true").containsEntry("lifeboat:run", RUN);
  }

  @Test
  void listInstances_findsManagedInstancesAtHomeAndTemporariesEverywhere() {
    stubs.ok(stubs.rds(HOME, "DescribeDBInstances"), RdsResponses.describeInstances(List.of(primary(),
        RdsResponses.instance(REPLICA, HOME, "available", 0, null, PRIMARY, true, Map.of()),
        RdsResponses.instance("someone-elses-db", HOME, "available", 7, LATEST, null, false, Map.of()))));
    stubs.ok(stubs.rds(DR, "DescribeDBInstances"), RdsResponses.describeInstances(List.of(
        RdsResponses.instance(TEMP, DR, "creating", 0, null, null, true, tempTags(RUN)))));

    List<InstanceInfo> all = platform.listInstances();

    assertThat(all).extracting(InstanceInfo::id).containsExactly(PRIMARY, REPLICA, TEMP);
    assertThat(all).extracting(InstanceInfo::role).containsExactly(InstanceRole.PRIMARY, InstanceRole.REPLICA,
        InstanceRole.TEMPORARY);
    assertThat(all.get(1).source()).isEqualTo(PRIMARY);
    assertThat(all.get(2).region()).isEqualTo(DR);
    assertThat(all.get(2).status()).isEqualTo("creating");
    assertThat(all.get(2).runId()).isEqualTo(RUN);
    assertThat(all.get(0).endpoint().database()).isEqualTo("techcorp");
  }

  @Test
  void deleteTemporaryInstance_ofAnInstanceWithoutTheTemporaryTag_isRefusedWithNoDeleteSent() {
    stubs.ok(stubs.rds(HOME, "DescribeDBInstances").withFormParam("DBInstanceIdentifier", equalTo("someone-elses-db")),
        RdsResponses.describeInstances(List.of(RdsResponses.instance("someone-elses-db", HOME, "available", 7,
            LATEST, null, false, Map.of("lifeboat:run", RUN)))));
    stubs.ok(stubs.rds(HOME, "DeleteDBInstance"), RdsResponses.wrap("DeleteDBInstance.xml", "INSTANCE",
        primary()));

    assertThatThrownBy(() -> platform.deleteTemporaryInstance("someone-elses-db"))
        .isInstanceOfSatisfying(LifeboatException.class,
            e -> assertThat(e.type()).isEqualTo(ErrorType.NOT_A_TEMPORARY_INSTANCE));
    assertThat(stubs.sent(HOME, "DeleteDBInstance")).isEmpty();
  }

  @Test
  void deleteTemporaryInstance_ofAManagedInstance_isRefusedEvenWhenTaggedTemporary() {
    stubs.ok(stubs.rds(HOME, "DescribeDBInstances").withFormParam("DBInstanceIdentifier", equalTo(PRIMARY)),
        RdsResponses.describeInstances(List.of(RdsResponses.instance(PRIMARY, HOME, "available", 7, LATEST, null,
            true, tempTags(RUN)))));
    stubs.ok(stubs.rds(HOME, "DeleteDBInstance"), RdsResponses.wrap("DeleteDBInstance.xml", "INSTANCE",
        primary()));

    assertThatThrownBy(() -> platform.deleteTemporaryInstance(PRIMARY))
        .isInstanceOfSatisfying(LifeboatException.class, e -> {
          assertThat(e.type()).isEqualTo(ErrorType.NOT_A_TEMPORARY_INSTANCE);
          assertThat(e.getMessage()).contains("managed");
        });
    assertThat(stubs.actions()).doesNotContain("DeleteDBInstance");
  }

  @Test
  void deleteTemporaryInstance_ofATemporary_skipsTheFinalSnapshotAndWaitsUntilGone() {
    stubs.fail(stubs.rds(HOME, "DescribeDBInstances").withFormParam("DBInstanceIdentifier", equalTo(TEMP)), 404,
        "DBInstanceNotFound", "DBInstance " + TEMP + " not found.");
    stubs.ok(stubs.rds(DR, "DescribeDBInstances").withFormParam("DBInstanceIdentifier", equalTo(TEMP))
        .inScenario("delete").whenScenarioStateIs(STARTED),
        RdsResponses.describeInstances(List.of(RdsResponses.instance(TEMP, DR, "available", 1, NOW, null, true,
            tempTags(RUN)))));
    stubs.ok(stubs.rds(DR, "DeleteDBInstance").inScenario("delete").willSetStateTo("deleting"),
        RdsResponses.wrap("DeleteDBInstance.xml", "INSTANCE", RdsResponses.instance(TEMP, DR, "deleting", 1, NOW,
            null, true, tempTags(RUN))));
    stubs.ok(stubs.rds(DR, "DescribeDBInstances").withFormParam("DBInstanceIdentifier", equalTo(TEMP))
        .inScenario("delete").whenScenarioStateIs("deleting").willSetStateTo("gone"),
        RdsResponses.describeInstances(List.of(RdsResponses.instance(TEMP, DR, "deleting", 1, NOW, null, true,
            tempTags(RUN)))));
    stubs.server.stubFor(stubs.rds(DR, "DescribeDBInstances").withFormParam("DBInstanceIdentifier", equalTo(TEMP))
        .inScenario("delete").whenScenarioStateIs("gone").willReturn(aResponse().withStatus(404)
            .withBody(RdsResponses.error("DBInstanceNotFound", "DBInstance " + TEMP + " not found."))));

    assertThat(platform.deleteTemporaryInstance(TEMP)).isTrue();
    assertThat(stubs.sent(DR, "DeleteDBInstance")).singleElement().satisfies(f -> assertThat(f)
        .containsEntry("DBInstanceIdentifier", TEMP).containsEntry("SkipFinalSnapshot", "true")
        .containsEntry("DeleteAutomatedBackups", "true"));
    assertThat(platform.deleteTemporaryInstance(TEMP)).isFalse();
  }
}
