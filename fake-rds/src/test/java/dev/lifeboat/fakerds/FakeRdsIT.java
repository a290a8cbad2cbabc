package dev.lifeboat.fakerds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.lifeboat.activities.local.LocalPlatform;
import dev.lifeboat.activities.testing.TestLocalPlatform;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.KeyState;
import software.amazon.awssdk.services.kms.model.NotFoundException;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.AccountQuota;
import software.amazon.awssdk.services.rds.model.CopyDbSnapshotResponse;
import software.amazon.awssdk.services.rds.model.DBInstance;
import software.amazon.awssdk.services.rds.model.DBSnapshot;
import software.amazon.awssdk.services.rds.model.DbInstanceNotFoundException;
import software.amazon.awssdk.services.rds.model.DbSnapshotNotFoundException;
import software.amazon.awssdk.services.rds.model.RdsException;
import software.amazon.awssdk.services.rds.model.SnapshotQuotaExceededException;
import software.amazon.awssdk.services.rds.model.Tag;

/**
 * The real AWS SDK against a fake backed by real clusters: one primary in us-east-1 with a DR
 * region us-west-2. The tests build on each other (the first snapshot is the base of the
 * restores), in order.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FakeRdsIT {
  private static final String HOME = "us-east-1";
  private static final String DR = "us-west-2";
  private static final String PRIMARY = "orders-db";
  private static final String REPLICA = "orders-replica";
  private static final Duration SLOW = Duration.ofSeconds(90);

  private static TestLocalPlatform local;
  private static LocalPlatform platform;
  private static FakeRds fake;
  private static AwsClients clients;
  private static RdsClient east;
  private static RdsClient west;
  private static Map<String, String> keys;

  @BeforeAll
  static void fleetAndFake() throws SQLException {
    local = TestLocalPlatform.create("fake-rds", c -> c.withRegion(HOME).withDrRegions(List.of(DR)));
    platform = local.platform();
    platform.createPrimary(PRIMARY);
    local.sql(PRIMARY, "create table t (id int primary key)");
    local.sql(PRIMARY, "insert into t values (1), (2)");
    fake = FakeRds.start(FakeRdsOptions.defaults(platform, Set.of(PRIMARY, REPLICA))
        .withWalShipInterval(Duration.ofSeconds(3)));
    keys = FakeRdsOptions.defaultKeys(List.of(HOME, DR), FakeRdsOptions.DEFAULT_ACCOUNT);
    clients = new AwsClients(fake.endpoint());
    east = clients.rds(HOME);
    west = clients.rds(DR);
  }

  @AfterAll
  static void tearDown() {
    if (clients != null) {
      clients.close();
    }
    if (fake != null) {
      fake.close();
    }
    if (local != null) {
      local.close();
    }
  }

  @AfterEach
  void clearFaults() {
    fake.faults().clear();
  }

  @Test
  @Order(1)
  void snapshot_takenWithTheSdk_isListedAvailableAndEncrypted() {
    DBSnapshot created = east.createDBSnapshot(r -> r.dbInstanceIdentifier(PRIMARY).dbSnapshotIdentifier("daily-1")
        .tags(tag("lifeboat:policy", "daily"))).dbSnapshot();
    assertThat(created.status()).isEqualTo("creating");

    DBSnapshot available = awaitSnapshot(east, "daily-1", "available");

    assertThat(available.dbInstanceIdentifier()).isEqualTo(PRIMARY);
    assertThat(available.snapshotType()).isEqualTo("manual");
    assertThat(available.encrypted()).isTrue();
    assertThat(available.kmsKeyId()).isEqualTo(keys.get(HOME));
    assertThat(available.percentProgress()).isEqualTo(100);
    assertThat(available.dbSnapshotArn()).isEqualTo("arn:aws:rds:us-east-1:123456789012:snapshot:daily-1");
    assertThat(available.snapshotCreateTime()).isNotNull();
    assertThat(available.tagList()).containsExactly(tag("lifeboat:policy", "daily"));
    assertThat(east.describeDBSnapshots(r -> r.dbInstanceIdentifier(PRIMARY)).dbSnapshots())
        .extracting(DBSnapshot::dbSnapshotIdentifier).containsExactly("daily-1");
    assertThat(west.describeDBSnapshots(r -> r.dbInstanceIdentifier(PRIMARY)).dbSnapshots()).isEmpty();
    assertThatThrownBy(() -> east.describeDBSnapshots(r -> r.dbSnapshotIdentifier("nope")))
        .isInstanceOf(DbSnapshotNotFoundException.class);
    assertThatThrownBy(() -> east.createDBSnapshot(r -> r.dbInstanceIdentifier(PRIMARY)
        .dbSnapshotIdentifier("daily-1")))
        .isInstanceOfSatisfying(RdsException.class, e -> assertThat(code(e)).isEqualTo("DBSnapshotAlreadyExists"));
  }

  @Test
  @Order(2)
  void describeDbInstances_showsTheManagedPrimary_withItsWindowAndEndpoint() {
    platform.archiveNow(PRIMARY);
    DBInstance db = east.describeDBInstances(r -> r.dbInstanceIdentifier(PRIMARY)).dbInstances().get(0);

    assertThat(db.dbInstanceStatus()).isEqualTo("available");
    assertThat(db.engine()).isEqualTo("postgres");
    assertThat(db.engineVersion()).startsWith("15.");
    assertThat(db.endpoint().address()).isEqualTo("127.0.0.1");
    assertThat(db.endpoint().port()).isEqualTo(platform.findInstance(PRIMARY).orElseThrow().endpoint().port());
    assertThat(db.backupRetentionPeriod()).isEqualTo(7);
    assertThat(db.storageEncrypted()).isTrue();
    assertThat(db.latestRestorableTime()).isNotNull();
    assertThat(db.dbInstanceArn()).isEqualTo("arn:aws:rds:us-east-1:123456789012:db:orders-db");
    assertThatThrownBy(() -> east.describeDBInstances(r -> r.dbInstanceIdentifier("nope")))
        .isInstanceOfSatisfying(DbInstanceNotFoundException.class, e -> assertThat(e.statusCode()).isEqualTo(404));
    assertThat(east.describeDBInstanceAutomatedBackups(r -> r.dbInstanceIdentifier(PRIMARY))
        .dbInstanceAutomatedBackups().get(0).restoreWindow().earliestTime()).isNotNull();
    assertThat(east.describeDBSubnetGroups(r -> r.dbSubnetGroupName("lifeboat-temp")).dbSubnetGroups()).hasSize(1);
    Map<String, Long> used = east.describeAccountAttributes().accountQuotas().stream()
        .collect(Collectors.toMap(AccountQuota::accountQuotaName, AccountQuota::used));
    assertThat(used).containsEntry("ManualSnapshots", 1L).containsEntry("DBInstances", 1L);
  }

  @Test
  @Order(3)
  void pitr_givesExactlyTheRowsCommittedBeforeTheTarget_andDeleteRemovesIt() throws Exception {
    local.sql(PRIMARY, "insert into t values (3)");
    Thread.sleep(300);
    Instant target = Instant.now();
    Thread.sleep(300);
    local.sql(PRIMARY, "insert into t values (4)");
    platform.archiveNow(PRIMARY);
    await().atMost(SLOW).until(() -> !east.describeDBInstances(r -> r.dbInstanceIdentifier(PRIMARY)).dbInstances()
        .get(0).latestRestorableTime().isBefore(target));

    DBInstance creating = east.restoreDBInstanceToPointInTime(r -> r.sourceDBInstanceIdentifier(PRIMARY)
        .targetDBInstanceIdentifier("lb-pitr-1").restoreTime(target).dbInstanceClass("db.t3.medium")
        .dbSubnetGroupName("lifeboat-temp").vpcSecurityGroupIds("sg-0lifeboat").publiclyAccessible(false)
        .tags(tag("lifeboat:temporary", "true"), tag("lifeboat:run", "restore-orders-1"),
            tag("lifeboat:expires-at", Instant.now().plusSeconds(3600).toString()),
            tag("lifeboat:requester", "alice"), tag("lifeboat:source", PRIMARY))).dbInstance();
    assertThat(creating.dbInstanceStatus()).isEqualTo("creating");

    DBInstance restored = awaitInstance(east, "lb-pitr-1", "available");
    assertThat(ids(restored)).containsExactly(1, 2, 3);
    assertThat(restored.vpcSecurityGroups().get(0).vpcSecurityGroupId()).isEqualTo("sg-0lifeboat");
    assertThat(restored.dbSubnetGroup().dbSubnetGroupName()).isEqualTo("lifeboat-temp");
    assertThat(platform.findInstance("lb-pitr-1").orElseThrow().runId()).isEqualTo("restore-orders-1");

    east.deleteDBInstance(r -> r.dbInstanceIdentifier("lb-pitr-1").skipFinalSnapshot(true));
    await().atMost(SLOW).untilAsserted(() -> assertThatThrownBy(() -> east.describeDBInstances(
        r -> r.dbInstanceIdentifier("lb-pitr-1"))).isInstanceOf(DbInstanceNotFoundException.class));
    assertThat(platform.findInstance("lb-pitr-1")).isEmpty();
  }

  @Test
  @Order(4)
  void pitr_outsideTheWindow_isRejected_andTheSubnetGroupMustExist() {
    assertThatThrownBy(() -> east.restoreDBInstanceToPointInTime(r -> r.sourceDBInstanceIdentifier(PRIMARY)
        .targetDBInstanceIdentifier("lb-pitr-2").restoreTime(Instant.parse("2020-01-01T00:00:00Z"))))
        .isInstanceOfSatisfying(RdsException.class, e -> assertThat(code(e)).isEqualTo("InvalidParameterValue"));
    assertThatThrownBy(() -> east.restoreDBInstanceToPointInTime(r -> r.sourceDBInstanceIdentifier(PRIMARY)
        .targetDBInstanceIdentifier("lb-pitr-2").useLatestRestorableTime(true).dbSubnetGroupName("nope")))
        .isInstanceOfSatisfying(RdsException.class, e -> assertThat(code(e)).isEqualTo("DBSubnetGroupNotFoundFault"));
    assertThatThrownBy(() -> east.restoreDBInstanceToPointInTime(r -> r.sourceDBInstanceIdentifier(PRIMARY)
        .targetDBInstanceIdentifier(PRIMARY).useLatestRestorableTime(true)))
        .isInstanceOfSatisfying(RdsException.class, e -> assertThat(code(e)).isEqualTo("DBInstanceAlreadyExists"));
  }

  @Test
  @Order(5)
  void deleteDbInstance_ofAManagedInstance_isAccessDenied() {
    assertThatThrownBy(() -> east.deleteDBInstance(r -> r.dbInstanceIdentifier(PRIMARY).skipFinalSnapshot(true)))
        .isInstanceOfSatisfying(RdsException.class, e -> {
          assertThat(e.statusCode()).isEqualTo(403);
          assertThat(code(e)).isEqualTo("AccessDenied");
        });
    assertThatThrownBy(() -> east.addTagsToResource(r -> r.resourceName("arn:aws:rds:us-east-1:123456789012:db:"
        + PRIMARY).tags(tag("lifeboat:temporary", "true"))))
        .isInstanceOfSatisfying(RdsException.class, e -> assertThat(code(e)).isEqualTo("AccessDenied"));
    assertThat(platform.findInstance(PRIMARY).orElseThrow().status()).isEqualTo("available");
  }

  @Test
  @Order(6)
  void copy_acrossRegions_becomesAvailableInDr_andRestoresThere() throws Exception {
    String source = "arn:aws:rds:us-east-1:123456789012:snapshot:daily-1";
    assertThatThrownBy(() -> west.copyDBSnapshot(r -> r.sourceDBSnapshotIdentifier(source)
        .targetDBSnapshotIdentifier("daily-1").kmsKeyId(keys.get(DR))))
        .isInstanceOfSatisfying(RdsException.class, e -> assertThat(e.getMessage()).contains("PreSignedUrl"));
    assertThatThrownBy(() -> west.copyDBSnapshot(r -> r.sourceDBSnapshotIdentifier(source)
        .targetDBSnapshotIdentifier("daily-1").sourceRegion(HOME)))
        .isInstanceOfSatisfying(RdsException.class, e -> {
          assertThat(code(e)).isEqualTo("InvalidParameterValue");
          assertThat(e.getMessage()).contains("KmsKeyId");
        });
    assertThatThrownBy(() -> west.copyDBSnapshot(r -> r.sourceDBSnapshotIdentifier(source)
        .targetDBSnapshotIdentifier("daily-1").sourceRegion(HOME).kmsKeyId(keys.get(HOME))))
        .isInstanceOfSatisfying(RdsException.class, e -> assertThat(code(e)).isEqualTo("KMSKeyNotAccessibleFault"));

    CopyDbSnapshotResponse copy = west.copyDBSnapshot(r -> r.sourceDBSnapshotIdentifier(source)
        .targetDBSnapshotIdentifier("daily-1").sourceRegion(HOME).kmsKeyId(keys.get(DR)).copyTags(true));
    assertThat(copy.dbSnapshot().status()).isEqualTo("copying");

    DBSnapshot copied = awaitSnapshot(west, "daily-1", "available");
    assertThat(copied.kmsKeyId()).isEqualTo(keys.get(DR));
    assertThat(copied.sourceRegion()).isEqualTo(HOME);
    assertThat(copied.sourceDBSnapshotIdentifier()).isEqualTo(source);
    assertThat(copied.tagList()).contains(tag("lifeboat:policy", "daily"));
    assertThat(platform.findSnapshot(DR, "daily-1")).isPresent();

    west.restoreDBInstanceFromDBSnapshot(r -> r.dbSnapshotIdentifier("daily-1").dbInstanceIdentifier("lb-drill-1")
        .dbSubnetGroupName("lifeboat-temp").vpcSecurityGroupIds("sg-0lifeboat")
        .tags(tag("lifeboat:temporary", "true"), tag("lifeboat:run", "drill-1")));
    DBInstance drill = awaitInstance(west, "lb-drill-1", "available");
    assertThat(ids(drill)).containsExactly(1, 2);
    assertThat(east.describeDBInstances().dbInstances()).extracting(DBInstance::dbInstanceIdentifier)
        .doesNotContain("lb-drill-1");
    west.deleteDBInstance(r -> r.dbInstanceIdentifier("lb-drill-1").skipFinalSnapshot(true));
    await().atMost(SLOW).until(() -> platform.findInstance("lb-drill-1").isEmpty());
  }

  @Test
  @Order(7)
  void throttlingEverySecondCall_theSdkRetries_andEveryCallSucceeds() {
    fake.stats().reset();
    fake.faults().throttleEveryNth(2);
    KmsClient kms = clients.kms(DR);
    Ec2Client ec2 = clients.ec2(HOME);

    for (int i = 0; i < 4; i++) {
      assertThat(east.describeDBInstances(r -> r.dbInstanceIdentifier(PRIMARY)).dbInstances()).hasSize(1);
      assertThat(west.describeDBSnapshots().dbSnapshots()).isNotEmpty();
    }
    assertThat(kms.describeKey(r -> r.keyId(keys.get(DR))).keyMetadata().keyState()).isEqualTo(KeyState.ENABLED);
    assertThat(ec2.describeSecurityGroups(r -> r.groupIds("sg-0lifeboat")).securityGroups()).hasSize(1);

    assertThat(fake.stats().throttled()).isGreaterThan(0);
    assertThat(fake.stats().calls("DescribeDBInstances")).isGreaterThan(4);
  }

  @Test
  @Order(8)
  void kmsAndEc2_unknownKeysAndGroups_failAsAwsDoes() {
    KmsClient kms = clients.kms(DR);
    Ec2Client ec2 = clients.ec2(HOME);

    assertThatThrownBy(() -> kms.describeKey(r -> r.keyId(keys.get(HOME)))).isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> ec2.describeSecurityGroups(r -> r.groupIds("sg-nope")))
        .isInstanceOfSatisfying(Ec2Exception.class,
            e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidGroup.NotFound"));
  }

  @Test
  @Order(9)
  void quotaOfOne_createAndCopyFail_withSnapshotQuotaExceeded() {
    fake.faults().manualSnapshotQuota(1);

    assertThatThrownBy(() -> east.createDBSnapshot(r -> r.dbInstanceIdentifier(PRIMARY)
        .dbSnapshotIdentifier("daily-2")))
        .isInstanceOf(SnapshotQuotaExceededException.class);
    assertThatThrownBy(() -> west.copyDBSnapshot(r -> r.sourceDBSnapshotIdentifier(
        "arn:aws:rds:us-east-1:123456789012:snapshot:daily-1").targetDBSnapshotIdentifier("daily-1-b")
        .sourceRegion(HOME).kmsKeyId(keys.get(DR)))).isInstanceOf(SnapshotQuotaExceededException.class);
  }

  @Test
  @Order(10)
  void copiesWithADelay_runConcurrently_andTheMaximumInFlightIsMeasured() {
    fake.stats().reset();
    fake.faults().copyDelay(Duration.ofSeconds(2));
    List<String> targets = new ArrayList<>();
    for (int i = 1; i <= 3; i++) {
      String target = "daily-1-c" + i;
      targets.add(target);
      west.copyDBSnapshot(r -> r.sourceDBSnapshotIdentifier("arn:aws:rds:us-east-1:123456789012:snapshot:daily-1")
          .targetDBSnapshotIdentifier(target).sourceRegion(HOME).kmsKeyId(keys.get(DR)));
    }
    assertThat(fake.stats().copiesInFlight(DR)).isEqualTo(3);

    targets.forEach(t -> awaitSnapshot(west, t, "available"));
    assertThat(fake.stats().maxCopiesInFlight(DR)).isEqualTo(3);
    assertThat(fake.stats().copiesInFlight(DR)).isZero();
    assertThat(fake.stats().calls("CopyDBSnapshot")).isEqualTo(3);

    west.deleteDBSnapshot(r -> r.dbSnapshotIdentifier("daily-1-c1"));
    assertThat(west.describeDBSnapshots().dbSnapshots()).extracting(DBSnapshot::dbSnapshotIdentifier)
        .containsExactly("daily-1", "daily-1-c2", "daily-1-c3");
    assertThat(platform.findSnapshot(DR, "daily-1")).isPresent();
  }

  @Test
  @Order(11)
  void failNext_andStuckCopies_andTheControlSurface() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    HttpResponse<String> faults = http.send(HttpRequest.newBuilder(fake.endpoint().resolve("/_fake/faults"))
        .POST(HttpRequest.BodyPublishers.ofString("{\"stuckCopies\":true,\"failNext\":{\"action\":"
            + "\"DescribeDBSnapshots\",\"code\":\"InternalFailure\",\"message\":\"boom\",\"httpStatus\":500}}"))
        .build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(faults.statusCode()).isEqualTo(200);
    assertThat(fake.faults().stuckCopies()).isTrue();

    // a 500 is retried by the SDK: the injected error is used up by the first attempt
    assertThat(west.describeDBSnapshots().dbSnapshots()).isNotEmpty();
    west.copyDBSnapshot(r -> r.sourceDBSnapshotIdentifier("daily-1-c2").targetDBSnapshotIdentifier("stuck-1"));
    Thread.sleep(500);
    assertThat(awaitSnapshot(west, "stuck-1", "copying").status()).isEqualTo("copying");
    fake.faults().stuckCopies(false);
    awaitSnapshot(west, "stuck-1", "available");

    HttpResponse<String> stats = http.send(HttpRequest.newBuilder(fake.endpoint().resolve("/_fake/stats")).GET()
        .build(), HttpResponse.BodyHandlers.ofString());
    assertThat(stats.body()).contains("\"DescribeDBSnapshots\"").contains("\"maxCopiesInFlight\"");
    HttpResponse<String> unknown = http.send(HttpRequest.newBuilder(fake.endpoint().resolve("/"))
        .header("Authorization", "AWS4-HMAC-SHA256 Credential=AKID/20261130/us-east-1/rds/aws4_request, X")
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString("Action=CreateDBCluster&Version=2014-10-31")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(unknown.statusCode()).isEqualTo(400);
    assertThat(unknown.body()).contains("<Code>InvalidAction</Code>").contains("<Type>Sender</Type>");
  }

  @Test
  @Order(12)
  void promoteReadReplica_makesItAPrimary() throws SQLException {
    platform.createReplica(REPLICA, PRIMARY);
    DBInstance replica = east.describeDBInstances(r -> r.dbInstanceIdentifier(REPLICA)).dbInstances().get(0);
    assertThat(replica.readReplicaSourceDBInstanceIdentifier()).isEqualTo(PRIMARY);
    assertThat(east.describeDBInstances(r -> r.dbInstanceIdentifier(PRIMARY)).dbInstances().get(0)
        .readReplicaDBInstanceIdentifiers()).containsExactly(REPLICA);

    east.promoteReadReplica(r -> r.dbInstanceIdentifier(REPLICA));

    await().atMost(SLOW).untilAsserted(() -> {
      DBInstance promoted = east.describeDBInstances(r -> r.dbInstanceIdentifier(REPLICA)).dbInstances().get(0);
      assertThat(promoted.dbInstanceStatus()).isEqualTo("available");
      assertThat(promoted.readReplicaSourceDBInstanceIdentifier()).isNull();
    });
    assertThat(local.queryString(REPLICA, "select pg_is_in_recovery()")).isEqualTo("f");
    // the local platform allows no second writable primary: the fake fenced the old one first
    assertThat(east.describeDBInstances(r -> r.dbInstanceIdentifier(PRIMARY)).dbInstances().get(0)
        .dbInstanceStatus()).isEqualTo("stopped");
  }

  private static DBSnapshot awaitSnapshot(RdsClient rds, String id, String status) {
    return await().atMost(SLOW).pollInterval(Duration.ofMillis(200)).until(
        () -> rds.describeDBSnapshots(r -> r.dbSnapshotIdentifier(id)).dbSnapshots().get(0),
        s -> {
          assertThat(s.status()).isNotEqualTo("failed");
          return s.status().equals(status);
        });
  }

  private static DBInstance awaitInstance(RdsClient rds, String id, String status) {
    return await().atMost(SLOW).pollInterval(Duration.ofMillis(250)).until(
        () -> rds.describeDBInstances(r -> r.dbInstanceIdentifier(id)).dbInstances().get(0),
        i -> {
          assertThat(i.dbInstanceStatus()).as(String.valueOf(i.statusInfos()))
              .isNotIn("failed", "incompatible-restore");
          return i.dbInstanceStatus().equals(status);
        });
  }

  private static List<Integer> ids(DBInstance db) throws SQLException {
    String url = "jdbc:postgresql://" + db.endpoint().address() + ":" + db.endpoint().port() + "/" + db.dbName();
    List<Integer> ids = new ArrayList<>();
    try (Connection c = DriverManager.getConnection(url, "postgres", ""); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("select id from t order by id")) {
      while (rs.next()) {
        ids.add(rs.getInt(1));
      }
    }
    return ids;
  }

  private static Tag tag(String key, String value) {
    return Tag.builder().key(key).value(value).build();
  }

  private static String code(RdsException e) {
    return e.awsErrorDetails().errorCode();
  }
}
