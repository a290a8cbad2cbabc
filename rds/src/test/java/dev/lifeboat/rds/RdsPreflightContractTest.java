package dev.lifeboat.rds;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static dev.lifeboat.rds.RdsStubs.DR;
import static dev.lifeboat.rds.RdsStubs.DR_KEY;
import static dev.lifeboat.rds.RdsStubs.HOME;
import static dev.lifeboat.rds.RdsStubs.NOW;
import static dev.lifeboat.rds.RdsStubs.PRIMARY;
import static dev.lifeboat.rds.RdsStubs.REPLICA;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeboat.common.model.PreflightCheck.Status;
import dev.lifeboat.common.model.PreflightCheck;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The preflight against recorded RDS, KMS and EC2 answers: every problem is a finding, never an exception. */
class RdsPreflightContractTest extends RdsContractTestBase {

  private void healthyFleet(int retention) {
    for (String region : List.of(HOME, DR)) {
      stubs.ok(stubs.rds(region, "DescribeAccountAttributes"), RdsResponses.accountAttributes(30, 100, 10, 40));
      stubs.ok(stubs.rds(region, "DescribeDBSubnetGroups"), RdsResponses.render("DescribeDBSubnetGroups.xml",
          Map.of("NAME", region.equals(HOME) ? "lifeboat-temp" : "lifeboat-temp-dr", "REGION", region)));
      stubs.ok(stubs.service(region, "ec2").withFormParam("Action", equalTo("DescribeSecurityGroups")),
          RdsResponses.render("ec2-DescribeSecurityGroups.xml", Map.of("ID", "sg-0123456789abcdef0")));
    }
    stubs.ok(stubs.rds(HOME, "DescribeDBInstances").withFormParam("DBInstanceIdentifier", equalTo(PRIMARY)),
        RdsResponses.describeInstances(List.of(RdsResponses.instance(PRIMARY, HOME, "available", retention,
            NOW.minus(Duration.ofMinutes(3)), null, true, Map.of()))));
    stubs.ok(stubs.rds(HOME, "DescribeDBInstances").withFormParam("DBInstanceIdentifier", equalTo(REPLICA)),
        RdsResponses.describeInstances(List.of(RdsResponses.instance(REPLICA, HOME, "available", 0, null, PRIMARY,
            true, Map.of()))));
    kmsKey("Enabled", true);
  }

  private void kmsKey(String state, boolean enabled) {
    stubs.server.stubFor(stubs.service(DR, "kms").withHeader("X-Amz-Target", equalTo("TrentService.DescribeKey"))
        .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/x-amz-json-1.1")
            .withBody(RdsResponses.render("kms-DescribeKey.json", Map.of("ARN", DR_KEY, "STATE", state,
                "ENABLED", enabled)))));
  }

  private static Optional<PreflightCheck> find(List<PreflightCheck> checks, String check, String region) {
    return checks.stream().filter(c -> c.check().equals(check) && region.equals(c.region())).findFirst();
  }

  @Test
  void preflight_ofAHealthyFleet_findsNothingToFix() {
    healthyFleet(7);

    List<PreflightCheck> checks = platform.preflight();

    assertThat(checks).allSatisfy(c -> assertThat(c.status()).as(c.check() + " " + c.region() + ": " + c.message())
        .isEqualTo(Status.OK));
    assertThat(checks).extracting(PreflightCheck::check).contains("credentials", "snapshot-quota", "instance-quota",
        "instance", "automated-backups", "restorable-time", "kms-key", "subnet-group", "security-groups", "dr-primary");
  }

  @Test
  void preflight_findsAKeyPendingDeletionAMissingSubnetGroupNoBackupsAndAQuotaNearlyUsedUp() {
    healthyFleet(0);
    kmsKey("PendingDeletion", false);
    stubs.fail(stubs.rds(DR, "DescribeDBSubnetGroups").atPriority(1), 404, "DBSubnetGroupNotFoundFault",
        "DB subnet group 'lifeboat-temp-dr' not found.");
    stubs.ok(stubs.rds(HOME, "DescribeAccountAttributes").atPriority(1),
        RdsResponses.accountAttributes(95, 100, 10, 40));

    List<PreflightCheck> checks = platform.preflight();

    assertThat(find(checks, "kms-key", DR)).hasValueSatisfying(c -> {
      assertThat(c.status()).isEqualTo(Status.FAIL);
      assertThat(c.message()).contains("PendingDeletion", "CancelKeyDeletion");
    });
    assertThat(find(checks, "subnet-group", DR)).hasValueSatisfying(c -> assertThat(c.status())
        .isEqualTo(Status.FAIL));
    assertThat(find(checks, "automated-backups", HOME)).hasValueSatisfying(c -> {
      assertThat(c.status()).isEqualTo(Status.FAIL);
      assertThat(c.instance()).isEqualTo(PRIMARY);
    });
    assertThat(find(checks, "snapshot-quota", HOME)).hasValueSatisfying(c -> {
      assertThat(c.status()).isEqualTo(Status.WARN);
      assertThat(c.details()).containsEntry("used", 95L).containsEntry("max", 100L);
    });
  }

  @Test
  void preflight_whenCredentialsAreDeniedInARegion_failsNamingTheIamAction() {
    healthyFleet(7);
    stubs.fail(stubs.rds(DR, "DescribeAccountAttributes").atPriority(1), 403, "AccessDenied",
        "User: arn:aws:sts::123456789012:assumed-role/lifeboat/worker is not authorized to perform:"
            + " rds:DescribeAccountAttributes");

    List<PreflightCheck> checks = platform.preflight();

    assertThat(find(checks, "credentials", DR)).hasValueSatisfying(c -> {
      assertThat(c.status()).isEqualTo(Status.FAIL);
      assertThat(c.message()).contains("rds:DescribeAccountAttributes", "AccessDenied");
    });
    assertThat(find(checks, "credentials", HOME)).hasValueSatisfying(c -> assertThat(c.status())
        .isEqualTo(Status.OK));
  }

  @Test
  void preflight_withoutAKeyForTheDrRegionWhileInstancesAreEncrypted_fails() {
    usePlatform(stubs.settings("standard", 3, null, 2));
    healthyFleet(7);

    List<PreflightCheck> checks = platform.preflight();

    assertThat(find(checks, "kms-key", DR)).hasValueSatisfying(c -> {
      assertThat(c.status()).isEqualTo(Status.FAIL);
      assertThat(c.message()).contains("kmsKeyId", PRIMARY);
    });
  }

  @Test
  void databaseLogin_withThePasswordVariableUnset_failsNamingIt() {
    RdsSettings.Database db = new RdsSettings.Database("lifeboat", "LIFEBOAT_DB_PASSWORD", false, "verify-full");

    PreflightCheck unset = RdsPreflight.databaseLogin(db, name -> null);
    PreflightCheck set = RdsPreflight.databaseLogin(db, name -> "s3cret");

    assertThat(unset.status()).isEqualTo(Status.FAIL);
    assertThat(unset.message()).contains("LIFEBOAT_DB_PASSWORD").doesNotContain("s3cret");
    assertThat(set.status()).isEqualTo(Status.OK);
    assertThat(set.message()).doesNotContain("s3cret");
  }
}
