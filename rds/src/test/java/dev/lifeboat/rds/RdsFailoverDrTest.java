package dev.lifeboat.rds;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.exactly;
import static com.github.tomakehurst.wiremock.client.WireMock.notContaining;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static dev.lifeboat.rds.RdsFailoverWireMock.answer;
import static dev.lifeboat.rds.RdsFailoverWireMock.call;
import static dev.lifeboat.rds.RdsFailoverWireMock.sent;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lifeboat.common.ErrorType;
import dev.lifeboat.common.LifeboatException;
import dev.lifeboat.common.failover.DrCopyState;
import dev.lifeboat.common.failover.DrReplicaResult;
import dev.lifeboat.common.failover.DrRestoreResult;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link RdsFailover}'s restore-in-dr against recorded RDS Query API answers on loopback: the newest
 * available copy in the DR region restored as a permanent instance (RestoreDBInstanceFromDBSnapshot,
 * sent once, signed for the DR region, tagged with the run and never as temporary), the analytics
 * replica recreated there (CreateDBInstanceReadReplica), both waited for with the SDK waiter.
 */
class RdsFailoverDrTest {
  private static final Instant NOW = Instant.parse("2026-11-30T21:00:00Z");
  private static final String DR = "us-west-2";
  private static final String NEW_PRIMARY = "techcorp-primary-dr";
  private static final String NEW_REPLICA = "techcorp-analytics-dr";
  private static final String NEWEST_COPY = "lb-techcorp-primary-20261130-0300";
  private static final String RUN = "failover-techcorp-primary-0a1b2c3d";

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
    rds.server.stubFor(call("DescribeDBInstances", NEW_PRIMARY).inScenario("restore").whenScenarioStateIs(STARTED)
        .willReturn(answer("error-instance-not-found-primary-dr.xml")));
    rds.server.stubFor(call("RestoreDBInstanceFromDBSnapshot", NEW_PRIMARY).inScenario("restore")
        .whenScenarioStateIs(STARTED).willSetStateTo("creating").willReturn(answer("restore-from-copy.xml")));
    rds.server.stubFor(call("DescribeDBInstances", NEW_PRIMARY).inScenario("restore").whenScenarioStateIs("creating")
        .willSetStateTo("available").willReturn(answer("describe-primary-dr-creating.xml")));
    rds.server.stubFor(call("DescribeDBInstances", NEW_PRIMARY).inScenario("restore").whenScenarioStateIs("available")
        .willReturn(answer("describe-primary-dr-available.xml")));

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
    rds.server.stubFor(call("DescribeDBInstances", NEW_REPLICA).inScenario("replica").whenScenarioStateIs(STARTED)
        .willReturn(answer("error-instance-not-found-analytics-dr.xml")));
    rds.server.stubFor(call("CreateDBInstanceReadReplica", NEW_REPLICA).inScenario("replica")
        .whenScenarioStateIs(STARTED).willSetStateTo("creating").willReturn(answer("create-dr-read-replica.xml")));
    rds.server.stubFor(call("DescribeDBInstances", NEW_REPLICA).inScenario("replica").whenScenarioStateIs("creating")
        .willSetStateTo("available").willReturn(answer("describe-analytics-dr-creating.xml")));
    rds.server.stubFor(call("DescribeDBInstances", NEW_REPLICA).inScenario("replica").whenScenarioStateIs("available")
        .willReturn(answer("describe-analytics-dr-available.xml")));

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
}
