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
import dev.lifeboat.common.failover.FenceResult;
import dev.lifeboat.common.failover.PromoteResult;
import dev.lifeboat.common.failover.RepointResult;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.function.Function;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link RdsFailover} against recorded RDS Query API answers on loopback: what it sends
 * (PromoteReadReplica once, CreateDBInstanceReadReplica with the replica's settings), how it waits
 * (the SDK waiter through {@code modifying}), and what it refuses. The instances' databases do not
 * answer here; {@code RdsFailoverSqlIT} runs the SQL on a real server.
 */
class RdsFailoverTest {
  private static final Instant NOW = Instant.parse("2026-11-30T21:00:00Z");
  private static final String REPLACEMENT = "techcorp-replica-2-lb9df7e6";

  private RdsFailoverWireMock rds;
  private RdsClients clients;

  @BeforeAll
  static void credentials() {
    RdsFailoverWireMock.fakeCredentials();
  }

  @BeforeEach
  void start() {
    rds = new RdsFailoverWireMock();
    clients = new RdsClients(rds.settings());
  }

  @AfterEach
  void stop() {
    clients.close();
    rds.close();
  }

  private RdsFailover failover(Function<String, DataSource> dataSources) {
    return new RdsFailover(clients, dataSources, Clock.fixed(NOW, ZoneOffset.UTC), Duration.ofMillis(10),
        Duration.ofSeconds(20), Duration.ofMillis(500));
  }

  private RdsFailover failover() {
    DataSource refusing = RdsFailoverWireMock.refusing();
    return failover(id -> refusing);
  }

  private static ErrorType typeOf(Throwable t) {
    return ((LifeboatException) t).type();
  }

  // ---- promote ------------------------------------------------------------------------------

  @Test
  void promote_sendsPromoteReadReplicaOnce_andWaitsThroughModifyingToAvailable() {
    rds.server.stubFor(call("DescribeDBInstances", "techcorp-replica-1").inScenario("promote")
        .whenScenarioStateIs(STARTED).willReturn(answer("describe-replica-1-available.xml")));
    rds.server.stubFor(call("AddTagsToResource").willReturn(answer("add-tags-to-resource.xml")));
    rds.server.stubFor(call("PromoteReadReplica", "techcorp-replica-1").inScenario("promote")
        .whenScenarioStateIs(STARTED).willSetStateTo("modifying-1").willReturn(answer("promote-read-replica.xml")));
    rds.server.stubFor(call("DescribeDBInstances", "techcorp-replica-1").inScenario("promote")
        .whenScenarioStateIs("modifying-1").willSetStateTo("modifying-2")
        .willReturn(answer("describe-replica-1-modifying.xml")));
    rds.server.stubFor(call("DescribeDBInstances", "techcorp-replica-1").inScenario("promote")
        .whenScenarioStateIs("modifying-2").willSetStateTo("modifying-3")
        .willReturn(answer("describe-replica-1-modifying.xml")));
    rds.server.stubFor(call("DescribeDBInstances", "techcorp-replica-1").inScenario("promote")
        .whenScenarioStateIs("modifying-3").willSetStateTo("promoted")
        .willReturn(answer("describe-replica-1-modifying.xml")));
    rds.server.stubFor(call("DescribeDBInstances", "techcorp-replica-1").inScenario("promote")
        .whenScenarioStateIs("promoted").willReturn(answer("describe-replica-1-promoted-untagged.xml")));

    PromoteResult result = failover().promote("techcorp-replica-1");

    assertThat(result.instance()).isEqualTo("techcorp-replica-1");
    assertThat(result.alreadyPromoted()).isFalse();
    assertThat(result.promotedAt()).isEqualTo(NOW);
    // its database does not answer here: what SQL would tell stays unknown instead of failing the promotion
    assertThat(result.timeline()).isZero();
    assertThat(result.systemIdentifier()).isNull();
    assertThat(result.lastReplayedCommit()).isNull();
    rds.server.verify(exactly(1), sent("PromoteReadReplica"));
    rds.server.verify(exactly(1), sent("PromoteReadReplica", "techcorp-replica-1")
        .withRequestBody(containing("BackupRetentionPeriod=7")));
    rds.server.verify(exactly(5), sent("DescribeDBInstances", "techcorp-replica-1"));
    rds.server.verify(exactly(1), sent("AddTagsToResource")
        .withRequestBody(containing("ResourceName=arn%3Aaws%3Ards%3Aus-east-1%3A123456789012%3Adb%3Atechcorp-replica-1"
            + "&Tags.Tag.1.Key=lifeboat%3Apromoted-at&Tags.Tag.1.Value=2026-11-30T21%3A00%3A00Z")));
  }

  @Test
  void promote_ofAnInstanceAlreadyPromoted_sendsNoPromoteReadReplica_andAnswersWhatItsTagsRecorded() {
    rds.server.stubFor(call("DescribeDBInstances", "techcorp-replica-1")
        .willReturn(answer("describe-replica-1-promoted.xml")));

    PromoteResult result = failover().promote("techcorp-replica-1");

    assertThat(result.alreadyPromoted()).isTrue();
    assertThat(result.promotedAt()).isEqualTo(Instant.parse("2026-11-30T20:58:11Z"));
    assertThat(result.lastReplayedCommit()).isEqualTo(Instant.parse("2026-11-30T20:57:59.482Z"));
    rds.server.verify(exactly(0), sent("PromoteReadReplica"));
    rds.server.verify(exactly(0), sent("AddTagsToResource"));
  }

  @Test
  void promote_refusedAsInvalidStateWhileAnEarlierAttemptIsModifyingIt_waitsInsteadOfFailing() {
    rds.server.stubFor(call("AddTagsToResource").willReturn(answer("add-tags-to-resource.xml")));
    rds.server.stubFor(call("DescribeDBInstances", "techcorp-replica-1").inScenario("retry")
        .whenScenarioStateIs(STARTED).willReturn(answer("describe-replica-1-available.xml")));
    rds.server.stubFor(call("PromoteReadReplica", "techcorp-replica-1").inScenario("retry")
        .whenScenarioStateIs(STARTED).willSetStateTo("modifying-1")
        .willReturn(answer("error-invalid-state-modifying.xml")));
    rds.server.stubFor(call("DescribeDBInstances", "techcorp-replica-1").inScenario("retry")
        .whenScenarioStateIs("modifying-1").willSetStateTo("modifying-2")
        .willReturn(answer("describe-replica-1-modifying.xml")));
    rds.server.stubFor(call("DescribeDBInstances", "techcorp-replica-1").inScenario("retry")
        .whenScenarioStateIs("modifying-2").willSetStateTo("promoted")
        .willReturn(answer("describe-replica-1-modifying.xml")));
    rds.server.stubFor(call("DescribeDBInstances", "techcorp-replica-1").inScenario("retry")
        .whenScenarioStateIs("promoted").willReturn(answer("describe-replica-1-promoted.xml")));

    PromoteResult result = failover().promote("techcorp-replica-1");

    assertThat(result.alreadyPromoted()).isTrue();
    assertThat(result.promotedAt()).isEqualTo(Instant.parse("2026-11-30T20:58:11Z"));
    rds.server.verify(exactly(1), sent("PromoteReadReplica"));
  }

  @Test
  void promote_afterAnEarlierAttemptTaggedIt_keepsItsTags() {
    rds.server.stubFor(call("DescribeDBInstances", "techcorp-replica-1").inScenario("again")
        .whenScenarioStateIs(STARTED).willReturn(answer("describe-replica-1-available-tagged.xml")));
    rds.server.stubFor(call("PromoteReadReplica", "techcorp-replica-1").inScenario("again")
        .whenScenarioStateIs(STARTED).willSetStateTo("promoted").willReturn(answer("promote-read-replica.xml")));
    rds.server.stubFor(call("DescribeDBInstances", "techcorp-replica-1").inScenario("again")
        .whenScenarioStateIs("promoted").willReturn(answer("describe-replica-1-promoted.xml")));

    PromoteResult result = failover().promote("techcorp-replica-1");

    assertThat(result.alreadyPromoted()).isFalse();
    rds.server.verify(exactly(1), sent("PromoteReadReplica"));
    rds.server.verify(exactly(0), sent("AddTagsToResource"));
  }

  @Test
  void promote_throttled_isRetriedByTheClient() {
    rds.server.stubFor(call("DescribeDBInstances", "techcorp-replica-1").inScenario("throttled")
        .whenScenarioStateIs(STARTED).willSetStateTo("answering").willReturn(answer("error-throttling.xml")));
    rds.server.stubFor(call("DescribeDBInstances", "techcorp-replica-1").inScenario("throttled")
        .whenScenarioStateIs("answering").willReturn(answer("describe-replica-1-promoted.xml")));

    assertThat(failover().promote("techcorp-replica-1").alreadyPromoted()).isTrue();
    rds.server.verify(exactly(2), sent("DescribeDBInstances"));
  }

  @Test
  void promote_ofAReplicaInAStateRdsCannotPromote_isRefusedTyped_andSendsNothing() {
    rds.server.stubFor(call("DescribeDBInstances", "techcorp-replica-1")
        .willReturn(answer("describe-replica-1-storage-full.xml")));

    assertThatThrownBy(() -> failover().promote("techcorp-replica-1"))
        .isInstanceOf(LifeboatException.class).satisfies(e -> assertThat(typeOf(e))
            .isEqualTo(ErrorType.INVALID_INSTANCE_STATE)).hasMessageContaining("storage-full");
    rds.server.verify(exactly(0), sent("PromoteReadReplica"));
  }

  @Test
  void promote_ofAnUnknownInstance_isInstanceNotFound() {
    rds.server.stubFor(call("DescribeDBInstances", "techcorp-replica-9")
        .willReturn(answer("error-instance-not-found-replica-9.xml")));

    assertThatThrownBy(() -> failover().promote("techcorp-replica-9"))
        .isInstanceOf(LifeboatException.class).satisfies(e -> assertThat(typeOf(e))
            .isEqualTo(ErrorType.INSTANCE_NOT_FOUND)).hasMessageContaining("techcorp-replica-9");
  }

  // ---- repoint ------------------------------------------------------------------------------

  @Test
  void repoint_createsAReadReplicaOfTheNewPrimary_withTheReplicasSettings_andWaitsForIt() {
    rds.server.stubFor(call("DescribeDBInstances", "techcorp-replica-1")
        .willReturn(answer("describe-replica-1-promoted.xml")));
    rds.server.stubFor(call("DescribeDBInstances", "techcorp-replica-2").willReturn(answer("describe-replica-2.xml")));
    rds.server.stubFor(call("DescribeDBInstances", REPLACEMENT).inScenario("repoint").whenScenarioStateIs(STARTED)
        .willReturn(answer("error-instance-not-found.xml")));
    rds.server.stubFor(call("CreateDBInstanceReadReplica", REPLACEMENT).inScenario("repoint")
        .whenScenarioStateIs(STARTED).willSetStateTo("creating").willReturn(answer("create-read-replica.xml")));
    rds.server.stubFor(call("DescribeDBInstances", REPLACEMENT).inScenario("repoint").whenScenarioStateIs("creating")
        .willSetStateTo("available").willReturn(answer("describe-replacement-creating.xml")));
    rds.server.stubFor(call("DescribeDBInstances", REPLACEMENT).inScenario("repoint").whenScenarioStateIs("available")
        .willReturn(answer("describe-replacement-available.xml")));

    RepointResult result = failover().repoint("techcorp-replica-2", "techcorp-replica-1");

    assertThat(result).isEqualTo(new RepointResult("techcorp-replica-2", "techcorp-replica-1",
        "rebuilt-as:" + REPLACEMENT));
    rds.server.verify(exactly(1), sent("CreateDBInstanceReadReplica", REPLACEMENT)
        .withRequestBody(containing("SourceDBInstanceIdentifier=techcorp-replica-1"))
        .withRequestBody(containing("DBInstanceClass=db.r6g.xlarge"))
        .withRequestBody(containing("VpcSecurityGroupIds.VpcSecurityGroupId.1=sg-0f3c2a1b9d8e7c6b5"))
        .withRequestBody(containing("DBParameterGroupName=techcorp-postgres15"))
        .withRequestBody(containing("PubliclyAccessible=false"))
        .withRequestBody(containing("Tags.Tag.1.Key=team&Tags.Tag.1.Value=data-platform"))
        .withRequestBody(containing("Tags.Tag.2.Key=lifeboat%3Areplaces&Tags.Tag.2.Value=techcorp-replica-2"))
        .withRequestBody(notContaining("lifeboat%3Arun")));
    rds.server.verify(exactly(0), sent("DeleteDBInstance"));
  }

  @Test
  void repoint_retried_findsTheReplacementItMadeEarlier_andCreatesNothing() {
    rds.server.stubFor(call("DescribeDBInstances", "techcorp-replica-1")
        .willReturn(answer("describe-replica-1-promoted.xml")));
    rds.server.stubFor(call("DescribeDBInstances", REPLACEMENT)
        .willReturn(answer("describe-replacement-available.xml")));

    RepointResult result = failover().repoint("techcorp-replica-2", "techcorp-replica-1");

    assertThat(result.how()).isEqualTo("rebuilt-as:" + REPLACEMENT);
    rds.server.verify(exactly(0), sent("CreateDBInstanceReadReplica"));
  }

  @Test
  void repoint_ofAReplicaThatAlreadyFollowsTheNewPrimary_saysSo() {
    rds.server.stubFor(call("DescribeDBInstances", "techcorp-replica-1")
        .willReturn(answer("describe-replica-1-promoted.xml")));
    rds.server.stubFor(call("DescribeDBInstances", REPLACEMENT).willReturn(answer("error-instance-not-found.xml")));
    rds.server.stubFor(call("DescribeDBInstances", "techcorp-replica-2")
        .willReturn(answer("describe-replica-2-following-replica-1.xml")));

    assertThat(failover().repoint("techcorp-replica-2", "techcorp-replica-1").how()).isEqualTo("already-following");
    rds.server.verify(exactly(0), sent("CreateDBInstanceReadReplica"));
  }

  @Test
  void repoint_atAnInstanceNotPromotedYet_isRefused() {
    rds.server.stubFor(call("DescribeDBInstances", "techcorp-replica-1")
        .willReturn(answer("describe-replica-1-available.xml")));

    assertThatThrownBy(() -> failover().repoint("techcorp-replica-2", "techcorp-replica-1"))
        .isInstanceOf(LifeboatException.class).satisfies(e -> assertThat(typeOf(e))
            .isEqualTo(ErrorType.INVALID_REQUEST)).hasMessageContaining("promote it");
    rds.server.verify(exactly(0), sent("CreateDBInstanceReadReplica"));
  }

  @Test
  void replacementId_isDeterministic_andFitsRdsIdentifiers() {
    assertThat(RdsFailover.replacementId("techcorp-replica-2", "techcorp-replica-1")).isEqualTo(REPLACEMENT);
    String longId = "a".repeat(50) + "-" + "b".repeat(12);
    String replacement = RdsFailover.replacementId(longId, "techcorp-replica-1");
    assertThat(replacement).hasSizeLessThanOrEqualTo(63).matches("[a-z][a-z0-9-]*[a-z0-9]").doesNotContain("--");
    assertThat(RdsFailover.replacementId(longId, "techcorp-replica-1")).isEqualTo(replacement);
    assertThat(RdsFailover.replacementId(longId, "techcorp-analytics")).isNotEqualTo(replacement);
  }

  // ---- rebuild, fence, measure --------------------------------------------------------------

  @Test
  void rebuild_isRefused_andTouchesNothing() {
    assertThatThrownBy(() -> failover().rebuild("techcorp-primary", "techcorp-replica-1"))
        .isInstanceOf(LifeboatException.class).satisfies(e -> assertThat(typeOf(e))
            .isEqualTo(ErrorType.INVALID_REQUEST))
        .hasMessageContaining("Create a read replica of techcorp-replica-1")
        .hasMessageContaining("techcorp-primary is left untouched");
    assertThat(rds.server.getAllServeEvents()).isEmpty();
  }

  @Test
  void fence_ofAPrimaryThatHangs_isUnreachable_withinTheConnectTimeout() throws Exception {
    rds.server.stubFor(call("DescribeDBInstances", "techcorp-primary").willReturn(answer("describe-primary.xml")));
    try (RdsFailoverWireMock.Silent silent = new RdsFailoverWireMock.Silent()) {
      DataSource hanging = silent.dataSource();
      long started = System.nanoTime();

      FenceResult result = failover(id -> hanging).fence("techcorp-primary");

      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
      assertThat(result).isEqualTo(new FenceResult("techcorp-primary", "unreachable", null, null, NOW));
    }
  }

  @Test
  void fence_ofAPrimaryWithoutADataSource_isAConfigurationError_notUnreachable() {
    rds.server.stubFor(call("DescribeDBInstances", "techcorp-primary").willReturn(answer("describe-primary.xml")));

    assertThatThrownBy(() -> failover(id -> {
      throw new IllegalArgumentException("instance " + id + " is not configured (platform.rds.instances)");
    }).fence("techcorp-primary")).isInstanceOf(LifeboatException.class).satisfies(e -> assertThat(typeOf(e))
        .isEqualTo(ErrorType.CONFIGURATION_ERROR)).hasMessageContaining("not configured");
  }

  @Test
  void fence_ofAReadReplica_isRefused() {
    rds.server.stubFor(call("DescribeDBInstances", "techcorp-replica-1")
        .willReturn(answer("describe-replica-1-available.xml")));

    assertThatThrownBy(() -> failover().fence("techcorp-replica-1"))
        .isInstanceOf(LifeboatException.class).satisfies(e -> assertThat(typeOf(e))
            .isEqualTo(ErrorType.INVALID_REQUEST));
  }

  @Test
  void measure_ofAnInstanceThatIsNoReplica_isInvalidRequest() {
    rds.server.stubFor(call("DescribeDBInstances", "techcorp-primary").willReturn(answer("describe-primary.xml")));

    assertThatThrownBy(() -> failover().measure("techcorp-primary"))
        .isInstanceOf(LifeboatException.class).satisfies(e -> assertThat(typeOf(e))
            .isEqualTo(ErrorType.INVALID_REQUEST)).hasMessageContaining("not a read replica");
  }

  @Test
  void measure_ofAReplicaThatDoesNotAnswer_isAPlatformError() {
    rds.server.stubFor(call("DescribeDBInstances", "techcorp-replica-1")
        .willReturn(answer("describe-replica-1-available.xml")));

    assertThatThrownBy(() -> failover().measure("techcorp-replica-1"))
        .isInstanceOf(LifeboatException.class).satisfies(e -> assertThat(typeOf(e))
            .isEqualTo(ErrorType.PLATFORM_ERROR)).hasMessageContaining("does not answer");
  }
}
