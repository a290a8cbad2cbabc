package dev.lifeboat.rds;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.exactly;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.notContaining;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static dev.lifeboat.rds.RdsFailoverWireMock.answer;
import static dev.lifeboat.rds.RdsFailoverWireMock.call;
import static dev.lifeboat.rds.RdsFailoverWireMock.sent;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.matching.RequestPatternBuilder;
import dev.lifeboat.common.ErrorType;
import dev.lifeboat.common.LifeboatException;
import dev.lifeboat.common.failover.DrCopyState;
import dev.lifeboat.common.failover.DrReplicaResult;
import dev.lifeboat.common.failover.DrRestoreResult;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link RdsFailover}'s restore-in-dr against recorded RDS Query API answers on loopback: the newest
 * available copy in the DR region restored as a permanent instance (RestoreDBInstanceFromDBSnapshot,
 * sent once, signed for the DR region, tagged with the run and never as temporary), the analytics
 * replica recreated there (CreateDBInstanceReadReplica), both waited for with the SDK waiter. A
 * failover drill's rehearsal of both: the same copy and calls, as temporary instances of the drill
 * (the tags and placement of every Lifeboat temporary instance), a retry adopting only its own.
 */
class RdsFailoverDrTest {
  private static final Instant NOW = Instant.parse("2026-11-30T21:00:00Z");
  private static final String DR = "us-west-2";
  private static final String NEW_PRIMARY = "techcorp-primary-dr";
  private static final String NEW_REPLICA = "techcorp-analytics-dr";
  private static final String NEWEST_COPY = "lb-techcorp-primary-20261130-0300";
  private static final String RUN = "failover-techcorp-primary-0a1b2c3d";
  private static final String PRODUCTION = "techcorp-primary";
  private static final String DRILL_PRIMARY = "lb-drill-techcorp-primary-7f3e";
  private static final String DRILL_REPLICA = "lb-drill-techcorp-analytics-7f3e";
  private static final String DRILL_RUN = "drill-techcorp-primary-7f3e9a01";
  private static final Instant DRILL_EXPIRES = Instant.parse("2026-12-01T03:00:00Z");

  private RdsFailoverWireMock rds;
  private RdsClients clients;

  @BeforeAll
  static void credentials() {
    RdsFailoverWireMock.fakeCredentials();
  }

  @BeforeEach
  void start() {
    rds = new RdsFailoverWireMock();
    clients = new RdsClients(rds.settingsWithDr());
  }

  @AfterEach
  void stop() {
    clients.close();
    rds.close();
  }

  /**
   * RDS creating {@code instance} with {@code action}: DescribeDBInstances answers {@code notFound}
   * until the action is sent, then {@code creating} once (when not null), then {@code available}.
   */
  private void stubCreation(String action, String instance, String notFound, String created, String creating,
      String available) {
    String scenario = action + " " + instance;
    rds.server.stubFor(call("DescribeDBInstances", instance).inScenario(scenario).whenScenarioStateIs(STARTED)
        .willReturn(answer(notFound)));
    rds.server.stubFor(call(action, instance).inScenario(scenario).whenScenarioStateIs(STARTED)
        .willSetStateTo(creating == null ? "available" : "creating").willReturn(answer(created)));
    if (creating != null) {
      rds.server.stubFor(call("DescribeDBInstances", instance).inScenario(scenario).whenScenarioStateIs("creating")
          .willSetStateTo("available").willReturn(answer(creating)));
    }
    rds.server.stubFor(call("DescribeDBInstances", instance).inScenario(scenario).whenScenarioStateIs("available")
        .willReturn(answer(available)));
  }

  private RdsFailover failover() {
    DataSource refusing = RdsFailoverWireMock.refusing();
    return new RdsFailover(clients, id -> refusing, Clock.fixed(NOW, ZoneOffset.UTC), Duration.ofMillis(10),
        Duration.ofSeconds(20), Duration.ofMillis(500));
  }

  private static ErrorType typeOf(Throwable t) {
    return ((LifeboatException) t).type();
  }

  @Test
  void measureRegion_namesTheNewestAvailableCopy_itsAge_andAnUpperBoundLossWhenThePrimaryIsGone() {
    rds.server.stubFor(call("DescribeDBSnapshots").willReturn(answer("describe-dr-copies.xml")));

    DrCopyState copy = failover().measureRegion("techcorp-primary", DR);

    assertThat(copy.snapshotId()).as("the newest available copy, not the one still copying").isEqualTo(NEWEST_COPY);
    assertThat(copy.copyStoppedAt()).isEqualTo(Instant.parse("2026-11-30T03:00:38Z"));
    assertThat(copy.newestRestorable()).isEqualTo(copy.copyStoppedAt());
    assertThat(copy.copyAge()).isEqualTo(Duration.between(copy.copyStoppedAt(), NOW));
    assertThat(copy.primaryReachable()).isFalse();
    assertThat(copy.expectedDataLoss()).isEqualTo(copy.copyAge());
    rds.server.verify(exactly(1), sent("DescribeDBSnapshots").withHeader("Authorization", containing("/" + DR + "/"))
        .withRequestBody(containing("DBInstanceIdentifier=techcorp-primary&")));
  }

  @Test
  void measureRegion_withoutACopy_orOutsideADrRegion_isRefused() {
    rds.server.stubFor(call("DescribeDBSnapshots").willReturn(answer("describe-no-dr-copies.xml")));

    assertThatThrownBy(() -> failover().measureRegion("techcorp-primary", DR))
        .satisfies(e -> assertThat(typeOf(e)).isEqualTo(ErrorType.NO_COPY_IN_REGION));
    assertThatThrownBy(() -> failover().measureRegion("techcorp-primary", "us-east-1"))
        .satisfies(e -> assertThat(typeOf(e)).isEqualTo(ErrorType.REGION_NOT_FOUND));
  }

  @Test
  void restoreInRegion_restoresTheNewestCopyOnce_asAPermanentInstanceTaggedWithTheRun_andWaitsForIt() {
    rds.server.stubFor(call("DescribeDBSnapshots").willReturn(answer("describe-dr-copies.xml")));
    stubCreation("RestoreDBInstanceFromDBSnapshot", NEW_PRIMARY, "error-instance-not-found-primary-dr.xml",
        "restore-from-copy.xml", "describe-primary-dr-creating.xml", "describe-primary-dr-available.xml");

    DrRestoreResult restored = failover().restoreInRegion("techcorp-primary", DR, NEW_PRIMARY, null, RUN);

    assertThat(restored.alreadyRestored()).isFalse();
    assertThat(restored.region()).isEqualTo(DR);
    assertThat(restored.snapshotId()).isEqualTo(NEWEST_COPY);
    assertThat(restored.restoredTo()).isEqualTo(Instant.parse("2026-11-30T03:00:38Z"));
    assertThat(restored.restoredAt()).isEqualTo(NOW);
    rds.server.verify(exactly(1), sent("RestoreDBInstanceFromDBSnapshot"));
    rds.server.verify(exactly(1), sent("RestoreDBInstanceFromDBSnapshot", NEW_PRIMARY)
        .withHeader("Authorization", containing("/" + DR + "/"))
        .withRequestBody(containing("DBSnapshotIdentifier=" + NEWEST_COPY))
        .withRequestBody(containing("DBSubnetGroupName=techcorp-private-dr"))
        .withRequestBody(containing("Key=lifeboat%3Afailover-run&Tags.Tag.1.Value=" + RUN))
        .withRequestBody(containing("Key=lifeboat%3Areplaces&Tags.Tag.2.Value=techcorp-primary"))
        .withRequestBody(notContaining("lifeboat%3Atemporary"))
        .withRequestBody(notContaining("lifeboat%3Aexpires-at")));
    rds.server.verify(exactly(3), sent("DescribeDBInstances", NEW_PRIMARY));
  }

  @Test
  void restoreInRegion_withADrPrimaryPlacement_createsItMultiAzInProductionsNetworkAndParameterGroup() {
    clients.close();
    clients = new RdsClients(rds.settingsWithDr(new RdsSettings.DrPrimary("db.r6g.xlarge", true,
        Map.of(DR, "techcorp-prod-dr"), Map.of(DR, List.of("sg-0aaaabbbbccccdddd")), Map.of(DR, "techcorp-pg15"))));
    rds.server.stubFor(call("DescribeDBSnapshots").willReturn(answer("describe-dr-copies.xml")));
    stubCreation("RestoreDBInstanceFromDBSnapshot", NEW_PRIMARY, "error-instance-not-found-primary-dr.xml",
        "restore-from-copy.xml", null, "describe-primary-dr-available.xml");

    failover().restoreInRegion("techcorp-primary", DR, NEW_PRIMARY, null, RUN);

    rds.server.verify(exactly(1), sent("RestoreDBInstanceFromDBSnapshot", NEW_PRIMARY)
        .withRequestBody(containing("DBSubnetGroupName=techcorp-prod-dr"))
        .withRequestBody(containing("MultiAZ=true"))
        .withRequestBody(containing("DBInstanceClass=db.r6g.xlarge"))
        .withRequestBody(containing("DBParameterGroupName=techcorp-pg15"))
        .withRequestBody(containing("VpcSecurityGroupId.1=sg-0aaaabbbbccccdddd"))
        .withRequestBody(containing("DeletionProtection=true"))
        .withRequestBody(notContaining("techcorp-private-dr")));
  }

  @Test
  void restoreInRegion_retried_findsTheInstanceItRestored_andSendsNoSecondRestore() {
    rds.server.stubFor(call("DescribeDBInstances", NEW_PRIMARY)
        .willReturn(answer("describe-primary-dr-available.xml")));
    rds.server.stubFor(call("DescribeDBSnapshots").willReturn(answer("describe-one-dr-copy.xml")));

    DrRestoreResult again = failover().restoreInRegion("techcorp-primary", DR, NEW_PRIMARY, null, RUN);

    assertThat(again.alreadyRestored()).isTrue();
    assertThat(again.snapshotId()).isEqualTo(NEWEST_COPY);
    assertThat(again.restoredTo()).isEqualTo(Instant.parse("2026-11-30T03:00:38Z"));
    rds.server.verify(exactly(0), sent("RestoreDBInstanceFromDBSnapshot"));
    rds.server.verify(exactly(1), sent("DescribeDBSnapshots")
        .withRequestBody(containing("DBSnapshotIdentifier=" + NEWEST_COPY)));
  }

  @Test
  void restoreInRegion_ontoAnInstanceNoFailoverRestored_isRefused_andRestoresNothing() {
    rds.server.stubFor(call("DescribeDBInstances", NEW_PRIMARY)
        .willReturn(answer("describe-primary-dr-untagged.xml")));

    assertThatThrownBy(() -> failover().restoreInRegion("techcorp-primary", DR, NEW_PRIMARY, null, RUN))
        .satisfies(e -> assertThat(typeOf(e)).isEqualTo(ErrorType.INVALID_REQUEST))
        .hasMessageContaining("was not restored by this failover run of techcorp-primary");
    rds.server.verify(exactly(0), sent("RestoreDBInstanceFromDBSnapshot"));
  }

  @Test
  void createReplica_sendsCreateDBInstanceReadReplicaOfTheNewPrimaryInItsRegion_once_andWaitsForIt() {
    rds.server.stubFor(call("DescribeDBInstances", NEW_PRIMARY)
        .willReturn(answer("describe-primary-dr-available.xml")));
    stubCreation("CreateDBInstanceReadReplica", NEW_REPLICA, "error-instance-not-found-analytics-dr.xml",
        "create-dr-read-replica.xml", "describe-analytics-dr-creating.xml", "describe-analytics-dr-available.xml");

    DrReplicaResult replica = failover().createReplica(NEW_REPLICA, NEW_PRIMARY, "techcorp-analytics");

    assertThat(replica.how()).isEqualTo(RdsFailover.CREATED);
    assertThat(replica.primary()).isEqualTo(NEW_PRIMARY);
    rds.server.verify(exactly(1), sent("CreateDBInstanceReadReplica", NEW_REPLICA)
        .withHeader("Authorization", containing("/" + DR + "/"))
        .withRequestBody(containing("SourceDBInstanceIdentifier=" + NEW_PRIMARY))
        .withRequestBody(containing("lifeboat%3Areplaces")));

    DrReplicaResult again = failover().createReplica(NEW_REPLICA, NEW_PRIMARY, "techcorp-analytics");

    assertThat(again.how()).isEqualTo(RdsFailover.ALREADY_STREAMING);
    rds.server.verify(exactly(1), sent("CreateDBInstanceReadReplica"));
  }

  @Test
  void rehearseRestoreInRegion_restoresTheNewestCopyOnce_asATemporaryInstanceOfTheDrill_andWaitsForIt() {
    rds.server.stubFor(call("DescribeDBSnapshots").willReturn(answer("describe-dr-copies.xml")));
    stubCreation("RestoreDBInstanceFromDBSnapshot", DRILL_PRIMARY, "error-instance-not-found-drill-primary.xml",
        "restore-drill-from-copy.xml", "describe-drill-primary-creating.xml", "describe-drill-primary-available.xml");

    DrRestoreResult restored = rehearse(DRILL_PRIMARY);

    assertThat(restored.alreadyRestored()).isFalse();
    assertThat(restored.instance()).isEqualTo(DRILL_PRIMARY);
    assertThat(restored.source()).isEqualTo(PRODUCTION);
    assertThat(restored.region()).isEqualTo(DR);
    assertThat(restored.snapshotId()).as("the copy a real restore-in-dr restores").isEqualTo(NEWEST_COPY);
    assertThat(restored.restoredTo()).isEqualTo(Instant.parse("2026-11-30T03:00:38Z"));
    rds.server.verify(exactly(1), sent("RestoreDBInstanceFromDBSnapshot"));
    rds.server.verify(exactly(1), asDrillTemporary(sent("RestoreDBInstanceFromDBSnapshot", DRILL_PRIMARY))
        // placed as the real restore-in-dr's primary (no drPrimary set: the snapshot's class, temporary network)
        .withRequestBody(notContaining("DBInstanceClass"))
        .withHeader("Authorization", containing("/" + DR + "/"))
        .withRequestBody(containing("DBSnapshotIdentifier=" + NEWEST_COPY))
        .withRequestBody(containing("DBSubnetGroupName=techcorp-private-dr"))
        .withRequestBody(containing("Tags.Tag.6.Key=lifeboat%3Arestored-from&Tags.Tag.6.Value=" + NEWEST_COPY))
        .withRequestBody(notContaining("lifeboat%3Afailover-run"))
        .withRequestBody(notContaining("lifeboat%3Areplaces"))
        .withRequestBody(notContaining("CopyTagsToSnapshot=true")));
    rds.server.verify(exactly(3), sent("DescribeDBInstances", DRILL_PRIMARY));
    assertNothingSentTo(PRODUCTION);
  }

  @Test
  void rehearseRestoreInRegion_retried_adoptsTheDrillsInstance_andSendsNoSecondRestore() {
    rds.server.stubFor(call("DescribeDBInstances", DRILL_PRIMARY)
        .willReturn(answer("describe-drill-primary-available.xml")));
    rds.server.stubFor(call("DescribeDBSnapshots").willReturn(answer("describe-one-dr-copy.xml")));

    DrRestoreResult again = rehearse(DRILL_PRIMARY);

    assertThat(again.alreadyRestored()).isTrue();
    assertThat(again.snapshotId()).isEqualTo(NEWEST_COPY);
    assertThat(again.restoredTo()).isEqualTo(Instant.parse("2026-11-30T03:00:38Z"));
    rds.server.verify(exactly(0), sent("RestoreDBInstanceFromDBSnapshot"));
    rds.server.verify(exactly(1), sent("DescribeDBSnapshots")
        .withRequestBody(containing("DBSnapshotIdentifier=" + NEWEST_COPY)));
  }

  @Test
  void rehearseRestoreInRegion_ontoAnotherRunsTemporary_orAFailoversPermanentPrimary_isRefused_andRestoresNothing() {
    rds.server.stubFor(call("DescribeDBInstances", DRILL_PRIMARY)
        .willReturn(answer("describe-drill-primary-other-run.xml")));
    rds.server.stubFor(call("DescribeDBInstances", NEW_PRIMARY)
        .willReturn(answer("describe-primary-dr-available.xml")));

    assertInvalid(() -> rehearse(DRILL_PRIMARY),
        "it belongs to run drill-techcorp-primary-00000000");
    assertInvalid(() -> rehearse(NEW_PRIMARY), "is not drill " + DRILL_RUN);
    assertInvalid(() -> failover().rehearseRestoreInRegion(PRODUCTION, DR, DRILL_PRIMARY, DRILL_RUN, null), "expiry");
    rds.server.verify(exactly(0), sent("RestoreDBInstanceFromDBSnapshot"));
  }

  @Test
  void createTemporaryReplica_sendsCreateDBInstanceReadReplicaOfTheDrillPrimary_asATemporary_once() {
    rds.server.stubFor(call("DescribeDBInstances", DRILL_PRIMARY)
        .willReturn(answer("describe-drill-primary-available.xml")));
    stubCreation("CreateDBInstanceReadReplica", DRILL_REPLICA, "error-instance-not-found-drill-replica.xml",
        "create-drill-read-replica.xml", "describe-drill-replica-creating.xml", "describe-drill-replica-available.xml");

    DrReplicaResult replica = failover().createTemporaryReplica(DRILL_REPLICA, DRILL_PRIMARY, "techcorp-analytics",
        DRILL_RUN, DRILL_EXPIRES);

    assertThat(replica.how()).isEqualTo(RdsFailover.CREATED);
    assertThat(replica.primary()).isEqualTo(DRILL_PRIMARY);
    assertThat(replica.replaces()).isEqualTo("techcorp-analytics");
    rds.server.verify(exactly(1), asDrillTemporary(sent("CreateDBInstanceReadReplica", DRILL_REPLICA))
        .withRequestBody(containing("DBInstanceClass=db.t4g.medium"))
        .withRequestBody(containing("MultiAZ=false"))
        .withHeader("Authorization", containing("/" + DR + "/"))
        .withRequestBody(containing("SourceDBInstanceIdentifier=" + DRILL_PRIMARY))
        .withRequestBody(notContaining("DBSubnetGroupName"))
        .withRequestBody(notContaining("lifeboat%3Areplaces")));

    DrReplicaResult again = failover().createTemporaryReplica(DRILL_REPLICA, DRILL_PRIMARY, "techcorp-analytics",
        DRILL_RUN, DRILL_EXPIRES);

    assertThat(again.how()).isEqualTo(RdsFailover.ALREADY_STREAMING);
    rds.server.verify(exactly(1), sent("CreateDBInstanceReadReplica"));
  }

  @Test
  void createTemporaryReplica_ofAnInstanceThatIsNotTheDrillsTemporary_orOntoAForeignInstance_isRefused() {
    rds.server.stubFor(call("DescribeDBInstances", DRILL_PRIMARY)
        .willReturn(answer("describe-drill-primary-available.xml")));
    rds.server.stubFor(call("DescribeDBInstances", NEW_PRIMARY)
        .willReturn(answer("describe-primary-dr-available.xml")));
    rds.server.stubFor(call("DescribeDBInstances", DRILL_REPLICA)
        .willReturn(answer("describe-analytics-dr-available.xml")));

    assertInvalid(() -> failover().createTemporaryReplica(DRILL_REPLICA, NEW_PRIMARY, "techcorp-analytics", DRILL_RUN,
        DRILL_EXPIRES), "is not a temporary primary of drill " + DRILL_RUN);
    assertInvalid(() -> failover().createTemporaryReplica(DRILL_REPLICA, DRILL_PRIMARY, "techcorp-analytics",
        "drill-techcorp-primary-00000000", DRILL_EXPIRES), "is not a temporary primary of drill");
    assertInvalid(() -> failover().createTemporaryReplica(DRILL_REPLICA, DRILL_PRIMARY, "techcorp-analytics", DRILL_RUN,
        DRILL_EXPIRES), "is not drill " + DRILL_RUN);
    rds.server.verify(exactly(0), sent("CreateDBInstanceReadReplica"));
  }

  private DrRestoreResult rehearse(String instance) {
    return failover().rehearseRestoreInRegion(PRODUCTION, DR, instance, DRILL_RUN, DRILL_EXPIRES);
  }

  /** What every temporary instance of the drill is created with: its network and tags, never public, deletable. */
  private static RequestPatternBuilder asDrillTemporary(RequestPatternBuilder request) {
    return request.withRequestBody(containing("VpcSecurityGroupId.1=sg-0d2c1b0a9f8e7d6c5"))
        .withRequestBody(containing("PubliclyAccessible=false"))
        .withRequestBody(containing("DeletionProtection=false"))
        .withRequestBody(containing("Tags.Tag.1.Key=lifeboat%3Atemporary&Tags.Tag.1.Value=true"))
        .withRequestBody(containing("Tags.Tag.2.Key=lifeboat%3Arun&Tags.Tag.2.Value=" + DRILL_RUN))
        .withRequestBody(containing("Tags.Tag.3.Key=lifeboat%3Aexpires-at&Tags.Tag.3.Value=2026-12-01T03%3A00%3A00Z"))
        .withRequestBody(containing("Tags.Tag.4.Key=lifeboat%3Arequester&Tags.Tag.4.Value=failover-drill"))
        .withRequestBody(containing("Tags.Tag.5.Key=lifeboat%3Asource&Tags.Tag.5.Value=" + PRODUCTION));
  }

  private static void assertInvalid(ThrowingCallable call, String message) {
    assertThatThrownBy(call).isInstanceOfSatisfying(LifeboatException.class,
        e -> assertThat(e.type()).isEqualTo(ErrorType.INVALID_REQUEST)).hasMessageContaining(message);
  }

  /** Production is only read: no call names it as its DB instance but the listing of its copies. */
  private void assertNothingSentTo(String instance) {
    rds.server.verify(exactly(0), postRequestedFor(urlEqualTo("/"))
        .withRequestBody(notContaining("Action=DescribeDBSnapshots&"))
        .withRequestBody(matching("(.*&)?DBInstanceIdentifier=" + Pattern.quote(instance) + "(&.*)?")));
  }
}
