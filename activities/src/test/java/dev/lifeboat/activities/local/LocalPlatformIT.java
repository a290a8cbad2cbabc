package dev.lifeboat.activities.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.lifeboat.activities.testing.TestLocalPlatform;
import dev.lifeboat.common.ErrorType;
import dev.lifeboat.common.LifeboatException;
import dev.lifeboat.common.model.InstanceInfo;
import dev.lifeboat.common.model.InstanceRole;
import dev.lifeboat.common.model.RestorePlan;
import dev.lifeboat.common.model.RestoreSpec;
import dev.lifeboat.common.model.RestoreWindow;
import dev.lifeboat.common.model.SnapshotInfo;
import dev.lifeboat.common.model.VerifyResult;
import dev.lifeboat.common.platform.ProgressListener;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The local platform against real PostgreSQL 15 clusters. One primary with one snapshot is shared
 * by all tests (creating them is the slow part); every test writes its own rows.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LocalPlatformIT {
  private static final String PRIMARY = "orders-primary";
  private static TestLocalPlatform local;
  private static LocalPlatform platform;
  private static SnapshotInfo snapshot;

  @BeforeAll
  static void createPrimaryWithSnapshot() throws SQLException {
    local = TestLocalPlatform.create("local-platform");
    platform = local.platform();
    platform.createPrimary(PRIMARY, "techcorp");
    sql(PRIMARY, "create table orders (id int primary key, note text)");
    snapshot = platform.createSnapshot(PRIMARY, "snap-1", Map.of("kind", "test"), ProgressListener.NONE);
  }

  @AfterAll
  static void tearDown() {
    if (local != null) {
      local.close();
    }
  }

  @Test
  @Order(1)
  void createPrimary_isIdempotent_andReportsItsEndpoint() {
    InstanceInfo again = platform.createPrimary(PRIMARY, "techcorp");

    assertThat(again.role()).isEqualTo(InstanceRole.PRIMARY);
    assertThat(again.status()).isEqualTo("available");
    assertThat(again.endpoint().host()).isEqualTo("127.0.0.1");
    assertThat(again.endpoint().database()).isEqualTo("techcorp");
    assertThat(Ports.isListening(again.endpoint().port())).isTrue();
    assertThat(platform.listInstances()).extracting(InstanceInfo::id).containsExactly(PRIMARY);
  }

  @Test
  @Order(2)
  void createSnapshot_withSameId_returnsTheExistingSnapshot() {
    SnapshotInfo again = platform.createSnapshot(PRIMARY, "snap-1", Map.of("other", "tags"), ProgressListener.NONE);

    assertThat(again).isEqualTo(snapshot);
    assertThat(snapshot.status()).isEqualTo("available");
    assertThat(snapshot.bytes()).isPositive();
    assertThat(snapshot.stoppedAt()).isAfter(snapshot.startedAt());
    assertThat(platform.listSnapshots(PRIMARY)).extracting(SnapshotInfo::id).containsExactly("snap-1");
  }

  @Test
  @Order(3)
  void createSnapshot_reportsProgress() {
    List<Long> bytes = Collections.synchronizedList(new ArrayList<>());
    SnapshotInfo second = platform.createSnapshot(PRIMARY, "snap-2", Map.of(), (d, p, b) -> bytes.add(b));

    assertThat(bytes).isNotEmpty();
    assertThat(bytes.get(bytes.size() - 1)).isEqualTo(second.bytes());
    assertThat(platform.listSnapshots(PRIMARY)).extracting(SnapshotInfo::id).containsExactly("snap-1", "snap-2");
  }

  @Test
  @Order(4)
  void restore_toPointBetweenTwoCommits_hasFirstRowOnly_andIsWritable() throws Exception {
    sql(PRIMARY, "insert into orders values (1, 'A')");
    Instant target = Instant.now();
    sql(PRIMARY, "insert into orders values (2, 'B')");

    RestorePlan plan = platform.planRestore(PRIMARY, target);
    List<Integer> percents = Collections.synchronizedList(new ArrayList<>());
    InstanceInfo restored = platform.restoreToPointInTime(spec("lb-pitr-exact", target, plan.snapshotId()),
        (d, p, b) -> percents.add(p));

    assertThat(plan.snapshotId()).isEqualTo("snap-2");
    assertThat(restored.role()).isEqualTo(InstanceRole.TEMPORARY);
    assertThat(restored.status()).isEqualTo("available");
    assertThat(restored.source()).isEqualTo(PRIMARY);
    assertThat(restored.endpoint().database()).isEqualTo("techcorp");
    assertThat(restored.endpoint().port()).isNotEqualTo(platform.findInstance(PRIMARY).orElseThrow().endpoint().port());
    assertThat(ids("lb-pitr-exact")).containsExactly(1);
    sql("lb-pitr-exact", "insert into orders values (3, 'written after promotion')");
    VerifyResult verify = platform.verify("lb-pitr-exact", "public");
    assertThat(verify.inRecovery()).isFalse();
    assertThat(verify.serverVersion()).startsWith("15");
    assertThat(verify.rowCounts()).containsEntry("public.orders", 2L);
    assertThat(verify.estimatedRowCounts()).isEmpty();
    // above the exact-count size, an analysed table gets the planner's estimate; one never analysed (40 rows:
    // below autovacuum's analyze threshold) is counted
    sql("lb-pitr-exact", "create table never_analysed (id int)");
    sql("lb-pitr-exact", "insert into never_analysed select generate_series(1, 40)");
    sql("lb-pitr-exact", "vacuum analyze orders");
    VerifyResult estimated = Verifier.verify("lb-pitr-exact",
        Jdbc.dataSource(restored.endpoint().port(), "techcorp"), "public", 0);
    assertThat(estimated.estimatedRowCounts()).containsExactly(Map.entry("public.orders", 2L));
    assertThat(estimated.rowCounts()).containsExactly(Map.entry("public.never_analysed", 40L));
    assertThat(percents).contains(100);
  }

  @Test
  @Order(5)
  void restore_calledTwiceWithSameId_returnsTheSameInstance() {
    InstanceInfo first = platform.findInstance("lb-pitr-exact").orElseThrow();
    RestoreSpec sameSpec = spec("lb-pitr-exact", snapshot.stoppedAt().plusMillis(1), "snap-1");

    InstanceInfo again = platform.restoreToPointInTime(sameSpec, ProgressListener.NONE);

    assertThat(again.endpoint()).isEqualTo(first.endpoint());
    assertThat(again.createdAt()).isEqualTo(first.createdAt());
    assertThat(platform.listTemporaryInstances()).extracting(InstanceInfo::id).containsExactly("lb-pitr-exact");
  }

  @Test
  @Order(6)
  void delete_ofTemporaryInstance_closesItsPort_andRemovesItsDirectory() {
    InstanceInfo restored = platform.findInstance("lb-pitr-exact").orElseThrow();
    Path dir = local.dataRoot().resolve("instances").resolve("lb-pitr-exact");
    assertThat(dir).exists();

    assertThat(platform.deleteTemporaryInstance("lb-pitr-exact")).isTrue();

    assertThat(Ports.isListening(restored.endpoint().port())).isFalse();
    assertThat(dir).doesNotExist();
    assertThat(platform.findInstance("lb-pitr-exact")).isEmpty();
    assertThat(platform.deleteTemporaryInstance("lb-pitr-exact")).isFalse();
  }

  @Test
  @Order(7)
  void restore_afterACrashHalfWay_removesThePartialInstance_andRestoresAgain() throws Exception {
    // what a worker killed while copying the snapshot leaves behind: a record and some files
    Path dir = local.dataRoot().resolve("instances").resolve("lb-pitr-crashed");
    Files.createDirectories(dir.resolve("data"));
    Files.writeString(dir.resolve("data").resolve("PG_VERSION"), "15\n");
    LocalJson.write(dir.resolve("instance.json"), new InstanceRecord("lb-pitr-crashed", "local-1",
        InstanceRole.TEMPORARY, 1, PRIMARY, "restore-crashed", "tester", Instant.now(), null, "creating", "techcorp"));
    assertThat(platform.findInstance("lb-pitr-crashed").orElseThrow().status()).isEqualTo("creating");

    InstanceInfo restored = platform.restoreToPointInTime(spec("lb-pitr-crashed", snapshot.stoppedAt(), "snap-1"),
        ProgressListener.NONE);

    assertThat(restored.status()).isEqualTo("available");
    assertThat(platform.verify("lb-pitr-crashed", "public").rowCounts()).containsEntry("public.orders", 0L);
    assertThat(platform.deleteTemporaryInstance("lb-pitr-crashed")).isTrue();
  }

  @Test
  @Order(8)
  void delete_ofPrimary_isRefused() {
    assertThatThrownBy(() -> platform.deleteTemporaryInstance(PRIMARY))
        .isInstanceOfSatisfying(LifeboatException.class,
            e -> assertThat(e.type()).isEqualTo(ErrorType.NOT_A_TEMPORARY_INSTANCE));
    assertThat(platform.findInstance(PRIMARY).orElseThrow().status()).isEqualTo("available");
  }

  @Test
  @Order(9)
  void plan_whenTargetTimeBeforeWindow_isRejected() {
    Instant beforeEverything = snapshot.startedAt().minusSeconds(3600);

    assertThatThrownBy(() -> platform.planRestore(PRIMARY, beforeEverything))
        .isInstanceOfSatisfying(LifeboatException.class, e -> {
          assertThat(e.type()).isEqualTo(ErrorType.RESTORE_TIME_OUTSIDE_WINDOW);
          assertThat(e.getMessage()).contains(snapshot.stoppedAt().toString());
          assertThat(e.details()).containsEntry("earliest", snapshot.stoppedAt().toString());
        });
  }

  @Test
  @Order(10)
  void plan_whenTargetInsideTheOnlyOlderBackupRun_isRejected() {
    Instant duringBackup = snapshot.startedAt().plus(Duration.between(snapshot.startedAt(), snapshot.stoppedAt())
        .dividedBy(2));

    assertThatThrownBy(() -> platform.planRestore(PRIMARY, duringBackup))
        .isInstanceOfSatisfying(LifeboatException.class, e -> {
          assertThat(e.type()).isEqualTo(ErrorType.RESTORE_TIME_OUTSIDE_WINDOW);
          assertThat(e.getMessage()).contains("inside the run of snapshot snap-1");
          assertThat(e.details()).containsEntry("snapshotRunning", "snap-1");
        });
  }

  @Test
  @Order(11)
  void plan_whenTargetTimeInFuture_isRejected() {
    assertThatThrownBy(() -> platform.planRestore(PRIMARY, Instant.now().plusSeconds(600)))
        .isInstanceOfSatisfying(LifeboatException.class,
            e -> assertThat(e.type()).isEqualTo(ErrorType.RESTORE_TIME_IN_FUTURE));
  }

  @Test
  @Order(12)
  void plan_forUnknownOrTemporaryInstance_isNotFound() {
    assertThatThrownBy(() -> platform.planRestore("no-such-db", Instant.now()))
        .isInstanceOfSatisfying(LifeboatException.class,
            e -> assertThat(e.type()).isEqualTo(ErrorType.INSTANCE_NOT_FOUND));
    assertThatThrownBy(() -> platform.restoreWindow("no-such-db"))
        .isInstanceOfSatisfying(LifeboatException.class,
            e -> assertThat(e.type()).isEqualTo(ErrorType.INSTANCE_NOT_FOUND));
  }

  @Test
  @Order(13)
  void restoreWindow_latestAdvances_afterWritesAreArchived() throws Exception {
    RestoreWindow before = platform.restoreWindow(PRIMARY);
    sql(PRIMARY, "insert into orders values (10, 'later')");
    sql(PRIMARY, "select pg_switch_wal()");

    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
        assertThat(platform.restoreWindow(PRIMARY).latest()).isAfter(before.latest()));
    RestoreWindow after = platform.restoreWindow(PRIMARY);
    assertThat(after.earliest()).isEqualTo(snapshot.stoppedAt());
    assertThat(after.snapshots()).extracting(SnapshotInfo::id).containsExactly("snap-1", "snap-2");
    assertThat(after.gaps()).isEmpty();
  }

  @Test
  @Order(14)
  void restore_whenTargetIsPastTheArchivedWal_failsTyped_andLeavesNothing() {
    // Bypasses planRestore (which would force a WAL switch): the server replays everything and
    // stops with "recovery ended before configured recovery target was reached".
    Instant afterLastCommit = Instant.now();

    assertThatThrownBy(() -> platform.restoreToPointInTime(spec("lb-pitr-too-late", afterLastCommit, "snap-2"),
        ProgressListener.NONE))
        .isInstanceOfSatisfying(LifeboatException.class, e -> {
          assertThat(e.type()).isEqualTo(ErrorType.RECOVERY_TARGET_NOT_REACHED);
          assertThat(e.getMessage()).contains(afterLastCommit.toString());
        });
    assertThat(platform.findInstance("lb-pitr-too-late")).isEmpty();
    assertThat(local.dataRoot().resolve("instances").resolve("lb-pitr-too-late")).doesNotExist();
  }

  @Test
  @Order(15)
  void replica_streamsRowsFromThePrimary() throws Exception {
    InstanceInfo replica = platform.createReplica("orders-replica-1", PRIMARY);
    sql(PRIMARY, "insert into orders values (20, 'to the replica')");

    assertThat(replica.role()).isEqualTo(InstanceRole.REPLICA);
    assertThat(replica.source()).isEqualTo(PRIMARY);
    assertThat(replica.endpoint().database()).isEqualTo("techcorp");
    await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).untilAsserted(() ->
        assertThat(ids("orders-replica-1")).contains(20));
    try (Connection c = platform.connection(PRIMARY); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("select application_name from pg_stat_replication")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString(1)).isEqualTo("orders-replica-1");
    }
    assertThat(platform.verify("orders-replica-1", null).inRecovery()).isTrue();
  }

  @Test
  @Order(16)
  void startAll_restartsStoppedInstances() throws Exception {
    platform.stop("orders-replica-1");
    assertThat(platform.findInstance("orders-replica-1").orElseThrow().status()).isEqualTo("stopped");

    List<InstanceInfo> all = platform.startAll();

    assertThat(all).extracting(InstanceInfo::status).containsOnly("available");
    assertThat(ids("orders-replica-1")).contains(20);
  }

  @Test
  @Order(17)
  void walArchive_holdsCompressedSegmentsOnly() throws Exception {
    Path wal = local.dataRoot().resolve("regions/local-1/wal").resolve(PRIMARY);
    try (var files = Files.list(wal)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .allMatch(n -> n.endsWith(".zst") || n.endsWith(".commit"), "only .zst and .commit files")
          .anyMatch(n -> n.matches("[0-9A-F]{24}\\.zst"));
    }
  }

  @Test
  @Order(18)
  void restore_withLongReplay_promotesAtTheTargetByRequest_andATargetPastTheArchiveStillFails() throws Exception {
    // about 150 MB of WAL before the target: the replay lasts long enough for the restorer to ask for
    // promotion while it runs (PitrRestorer.requestPromotionAtTarget)
    sql(PRIMARY, "create table filler (id int, pad text)");
    sql(PRIMARY, "insert into filler select g, repeat('x', 200) from generate_series(1, 600000) g");
    sql(PRIMARY, "insert into orders values (30, 'before the target')");
    Instant target = Instant.now();
    sql(PRIMARY, "insert into orders values (31, 'after the target')");
    RestorePlan plan = platform.planRestore(PRIMARY, target);
    List<String> details = Collections.synchronizedList(new ArrayList<>());

    platform.restoreToPointInTime(spec("lb-pitr-long", target, plan.snapshotId()), (d, p, b) -> details.add(d));

    assertThat(ids("lb-pitr-long")).contains(30).doesNotContain(31);
    assertThat(local.queryString("lb-pitr-long", "select count(*) from filler")).isEqualTo("600000");
    // asked during the replay, never at the pause
    assertThat(details).anyMatch(d -> d.contains("promotion at the target requested"))
        .noneMatch(d -> d.contains("reached the target"));
    String serverLog = Files.readString(local.dataRoot().resolve("instances/lb-pitr-long/postgres.log"));
    // promoted by the request, not by the end-of-recovery checkpoint a resume leads to
    assertThat(serverLog).contains("pausing at the end of recovery", "received promote request")
        .doesNotContain("end-of-recovery immediate");
    assertThat(platform.deleteTemporaryInstance("lb-pitr-long")).isTrue();

    // a request made during the replay never ends it short of its target: past the archive, it still fails
    Instant afterLastArchived = Instant.now();
    details.clear();
    assertThatThrownBy(() -> platform.restoreToPointInTime(spec("lb-pitr-long-too-late", afterLastArchived,
        plan.snapshotId()), (d, p, b) -> details.add(d)))
        .isInstanceOfSatisfying(LifeboatException.class,
            e -> assertThat(e.type()).isEqualTo(ErrorType.RECOVERY_TARGET_NOT_REACHED));
    assertThat(details).anyMatch(d -> d.contains("promotion at the target requested"));
    assertThat(platform.findInstance("lb-pitr-long-too-late")).isEmpty();
  }

  @Test
  @Order(19)
  void restore_fromADamagedSnapshot_failsTyped_setsItAside_andTheNextRestorePlansFromTheOneBefore() throws Exception {
    SnapshotInfo damaged = platform.createSnapshot(PRIMARY, "snap-damaged", Map.of(), ProgressListener.NONE);
    String ordersFile = local.queryString(PRIMARY, "select pg_relation_filepath('orders')");
    Path snapshotData = local.dataRoot().resolve("regions").resolve(damaged.region()).resolve("snapshots")
        .resolve("snap-damaged").resolve("data");
    flipAByteOf(snapshotData.resolve("base.tar.zst"), ordersFile);
    sql(PRIMARY, "insert into orders values (40, 'after the damaged snapshot')");
    Instant target = Instant.now();
    assertThat(platform.planRestore(PRIMARY, target).snapshotId()).isEqualTo("snap-damaged");

    assertThatThrownBy(() -> platform.restoreToPointInTime(spec("lb-pitr-damaged", target, "snap-damaged"),
        ProgressListener.NONE))
        .isInstanceOfSatisfying(LifeboatException.class, e -> {
          assertThat(e.type()).isEqualTo(ErrorType.SNAPSHOT_DAMAGED);
          assertThat(e.getMessage()).contains("snap-damaged", ordersFile, "checksum", "marked damaged");
          assertThat(e.details()).containsEntry("snapshotId", "snap-damaged");
        });
    assertThat(platform.findInstance("lb-pitr-damaged")).isEmpty();
    assertThat(local.dataRoot().resolve("instances").resolve("lb-pitr-damaged")).doesNotExist();
    assertThat(platform.listSnapshots(PRIMARY)).filteredOn(s -> s.id().equals("snap-damaged"))
        .extracting(SnapshotInfo::status).containsExactly("damaged");

    // set aside: the next plan takes the snapshot before it, and restores the row all the same
    RestorePlan again = platform.planRestore(PRIMARY, target);
    assertThat(again.snapshotId()).isNotEqualTo("snap-damaged");
    platform.restoreToPointInTime(spec("lb-pitr-after-damage", target, again.snapshotId()), ProgressListener.NONE);
    assertThat(ids("lb-pitr-after-damage")).contains(40);
    assertThat(platform.deleteTemporaryInstance("lb-pitr-after-damage")).isTrue();

    // a snapshot cut short (its zstd frame ends early) is damaged too, not an error to retry
    platform.createSnapshot(PRIMARY, "snap-truncated", Map.of(), ProgressListener.NONE);
    Path truncated = local.dataRoot().resolve("regions").resolve(damaged.region()).resolve("snapshots")
        .resolve("snap-truncated").resolve("data").resolve("base.tar.zst");
    try (var channel = java.nio.channels.FileChannel.open(truncated, java.nio.file.StandardOpenOption.WRITE)) {
      channel.truncate(channel.size() / 2);
    }
    Instant later = Instant.now();
    platform.planRestore(PRIMARY, later);
    assertThatThrownBy(() -> platform.restoreToPointInTime(spec("lb-pitr-truncated", later, "snap-truncated"),
        ProgressListener.NONE))
        .isInstanceOfSatisfying(LifeboatException.class, e -> {
          assertThat(e.type()).isEqualTo(ErrorType.SNAPSHOT_DAMAGED);
          assertThat(e.getMessage()).contains("snap-truncated", "base.tar.zst");
        });
    assertThat(platform.findInstance("lb-pitr-truncated")).isEmpty();
  }

  /** Flips one byte inside {@code member}'s content in a zstd-compressed tar, as a bad disk or copy would. */
  private static void flipAByteOf(Path tarZst, String member) throws Exception {
    Path tar = tarZst.resolveSibling("damage.tar");
    run("zstd", "-q", "-d", "-f", tarZst.toString(), "-o", tar.toString());
    // "block N: <listing> <name>": the member's header is block N, its content starts at the next one
    String listing = run("tar", "-tv", "-R", "-f", tar.toString());
    String line = listing.lines().filter(l -> l.endsWith(" " + member)).findFirst().orElseThrow();
    long block = Long.parseLong(line.substring("block ".length(), line.indexOf(':')));
    try (var channel = java.nio.channels.FileChannel.open(tar, java.nio.file.StandardOpenOption.READ,
        java.nio.file.StandardOpenOption.WRITE)) {
      java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(1);
      long at = (block + 1) * 512 + 100;
      channel.read(b, at);
      b.put(0, (byte) (b.get(0) ^ 0x5a)).rewind();
      channel.write(b, at);
    }
    run("zstd", "-q", "-1", "-f", tar.toString(), "-o", tarZst.toString());
    Files.delete(tar);
  }

  private static String run(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as("%s: %s", String.join(" ", command), out).isZero();
    return out;
  }

  private static RestoreSpec spec(String id, Instant target, String snapshotId) {
    return new RestoreSpec(id, PRIMARY, target, snapshotId, "restore-" + id, "tester",
        Instant.now().plus(Duration.ofHours(1)), null);
  }

  private static void sql(String instance, String statement) throws SQLException {
    local.sql(instance, statement);
  }

  private static List<Integer> ids(String instance) throws SQLException {
    return local.ids(instance, "orders");
  }

}
