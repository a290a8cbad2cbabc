package dev.lifeboat.activities.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.lifeboat.activities.testing.TestLocalPlatform;
import dev.lifeboat.common.ErrorType;
import dev.lifeboat.common.LifeboatException;
import dev.lifeboat.common.model.InstanceInfo;
import dev.lifeboat.common.model.RestorePlan;
import dev.lifeboat.common.model.RestoreSpec;
import dev.lifeboat.common.model.RestoreWindow;
import dev.lifeboat.common.model.SnapshotInfo;
import dev.lifeboat.common.platform.ProgressListener;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
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
import java.util.TreeMap;
import java.util.stream.Stream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Snapshots across regions on real clusters: one primary in the home region, copies of its
 * snapshots (with their WAL) in DR region {@code dr-1}, restores from them, and deletion with WAL
 * pruning. The tests build on each other, in order.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CrossRegionIT {
  private static final String PRIMARY = "xr-primary";
  private static final String HOME = LocalPlatformConfig.DEFAULT_REGION;
  private static final String DR = "dr-1";
  private static TestLocalPlatform local;
  private static LocalPlatform platform;
  private static SnapshotInfo snapA;
  private static SnapshotInfo copyA;

  @BeforeAll
  static void primaryWithSnapshot() throws SQLException {
    local = TestLocalPlatform.create("cross-region", c -> c.withDrRegions(List.of(DR)));
    platform = local.platform();
    platform.createPrimary(PRIMARY);
    sql("create table t (id int primary key)");
    snapA = platform.createSnapshot(PRIMARY, "snap-a", Map.of("kind", "daily"), ProgressListener.NONE);
  }

  @AfterAll
  static void tearDown() {
    if (local != null) {
      local.close();
    }
  }

  @Test
  @Order(1)
  void regions_listHomeThenDr_andUnknownNamesFailTyped() {
    assertThat(platform.regions()).containsExactly(HOME, DR);
    assertThat(platform.findSnapshot(HOME, "snap-a")).contains(snapA);
    assertThat(platform.findSnapshot(DR, "snap-a")).isEmpty();
    assertThat(LocalJson.read(snapshotDir(HOME, "snap-a").resolve("snapshot.json"), SnapshotRecord.class).checksum())
        .startsWith("sha256:");

    assertType(() -> platform.listSnapshots(PRIMARY, "mars-1"), ErrorType.REGION_NOT_FOUND);
    assertType(() -> platform.copySnapshot(HOME, "snap-a", "mars-1", ProgressListener.NONE),
        ErrorType.REGION_NOT_FOUND);
    assertType(() -> platform.deleteSnapshot("mars-1", "snap-a"), ErrorType.REGION_NOT_FOUND);
    assertType(() -> platform.copySnapshot(HOME, "no-such-snap", DR, ProgressListener.NONE),
        ErrorType.SNAPSHOT_NOT_FOUND);
    assertType(() -> platform.copySnapshot(HOME, "../../wal", DR, ProgressListener.NONE),
        ErrorType.SNAPSHOT_NOT_FOUND);
    assertType(() -> platform.planRestore(PRIMARY, DR, Instant.now()), ErrorType.RESTORE_TIME_OUTSIDE_WINDOW);
  }

  @Test
  @Order(2)
  void copy_thenRestoreInDr_returnsTheSourceDataAtTheTarget() throws Exception {
    sql("insert into t values (1)");
    Instant target = Instant.now();
    sql("insert into t values (2)");
    switchAndAwaitArchived();
    List<long[]> progress = Collections.synchronizedList(new ArrayList<>());

    copyA = platform.copySnapshot(HOME, "snap-a", DR, (d, p, b) -> progress.add(new long[] {p == null ? -1 : p, b}));

    assertThat(copyA.region()).isEqualTo(DR);
    assertThat(copyA.id()).isEqualTo("snap-a");
    assertThat(copyA.status()).isEqualTo("available");
    assertThat(copyA.stoppedAt()).isEqualTo(snapA.stoppedAt());
    assertThat(copyA.bytes()).isEqualTo(snapA.bytes());
    assertThat(copyA.tags()).containsEntry("kind", "daily").containsEntry("copied-from", HOME);
    assertThat(progress.get(progress.size() - 1)[0]).isEqualTo(100);
    assertThat(progress.get(progress.size() - 1)[1]).isGreaterThan(snapA.bytes());
    assertThat(platform.listSnapshots(PRIMARY, DR)).containsExactly(copyA);
    assertThat(platform.listSnapshots(PRIMARY, HOME)).containsExactly(snapA);
    RestoreWindow window = platform.restoreWindow(PRIMARY, DR);
    assertThat(window.region()).isEqualTo(DR);
    assertThat(window.earliest()).isEqualTo(snapA.stoppedAt());
    assertThat(window.latest()).isAfter(target);

    RestorePlan plan = platform.planRestore(PRIMARY, DR, target);
    InstanceInfo restored = platform.restoreToPointInTime(spec("lb-pitr-dr", target, plan.snapshotId(), DR),
        ProgressListener.NONE);

    assertThat(plan.region()).isEqualTo(DR);
    assertThat(plan.snapshotId()).isEqualTo("snap-a");
    assertThat(restored.region()).isEqualTo(DR);
    assertThat(ids("lb-pitr-dr")).containsExactly(1);
    assertThat(Files.readString(local.dataRoot().resolve("instances/lb-pitr-dr/data/postgresql.auto.conf")))
        .contains("regions/" + DR + "/wal/" + PRIMARY);
    assertThat(platform.deleteTemporaryInstance("lb-pitr-dr")).isTrue();
  }

  @Test
  @Order(3)
  void copy_again_returnsTheSameCopy_andCopiesOnlyTheNewWal() throws Exception {
    Map<String, FileTime> before = files(drWal());
    sql("insert into t values (3)");
    String newSegment = switchAndAwaitArchived();

    SnapshotInfo again = platform.copySnapshot(HOME, "snap-a", DR, ProgressListener.NONE);

    assertThat(again).isEqualTo(copyA);
    assertThat(names(snapshotDir(DR, "snap-a").getParent())).containsExactly("snap-a");
    Map<String, FileTime> after = files(drWal());
    assertThat(after).containsAllEntriesOf(before).containsKey(newSegment + ".zst");
    assertThat(platform.restoreWindow(PRIMARY, DR).latest()).isAfter(platform.restoreWindow(PRIMARY, DR)
        .earliest());
  }

  @Test
  @Order(4)
  void copy_ofACorruptedCopy_isDetected_andCopiedAgain() throws Exception {
    Path damaged = largestFile(snapshotDir(DR, "snap-a").resolve("data"));
    Path original = snapshotDir(HOME, "snap-a").resolve("data").resolve(
        snapshotDir(DR, "snap-a").resolve("data").relativize(damaged));
    flipByte(damaged);
    assertThat(Files.mismatch(damaged, original)).isNotEqualTo(-1L);
    List<Long> bytes = Collections.synchronizedList(new ArrayList<>());

    SnapshotInfo again = platform.copySnapshot(HOME, "snap-a", DR, (d, p, b) -> bytes.add(b));

    assertThat(again).isEqualTo(copyA);
    assertThat(Files.mismatch(damaged, original)).isEqualTo(-1L);
    assertThat(bytes.get(bytes.size() - 1)).isGreaterThanOrEqualTo(snapA.bytes());
  }

  @Test
  @Order(5)
  void copy_ofADamagedSnapshot_failsVerification_andLeavesNoCopy() throws Exception {
    platform.createSnapshot(PRIMARY, "snap-b", Map.of(), ProgressListener.NONE);
    Path damaged = largestFile(snapshotDir(HOME, "snap-b").resolve("data"));
    flipByte(damaged);
    try {
      assertThatThrownBy(() -> platform.copySnapshot(HOME, "snap-b", DR, ProgressListener.NONE))
          .isInstanceOfSatisfying(LifeboatException.class, e -> {
            assertThat(e.type()).isEqualTo(ErrorType.PLATFORM_ERROR);
            assertThat(e.getMessage()).contains("failed verification");
          });
      assertThat(platform.findSnapshot(DR, "snap-b")).isEmpty();
      assertThat(names(snapshotDir(DR, "snap-b").getParent())).containsExactly("snap-a");
    } finally {
      flipByte(damaged);
    }
  }

  @Test
  @Order(6)
  void delete_prunesWalNoRemainingSnapshotNeeds_andTheRemainingSnapshotStillRestores() throws Exception {
    SnapshotRecord snapB = LocalJson.read(snapshotDir(HOME, "snap-b").resolve("snapshot.json"), SnapshotRecord.class);
    long segmentsBeforeB = segnos(homeWal()).stream().filter(s -> s < snapB.start().segno()).count();
    assertThat(segmentsBeforeB).isPositive();
    sql("insert into t values (4)");
    Instant target = Instant.now();
    sql("insert into t values (5)");
    switchAndAwaitArchived();

    assertThat(platform.deleteSnapshot(HOME, "snap-a")).isTrue();

    assertThat(snapshotDir(HOME, "snap-a")).doesNotExist();
    assertThat(platform.deleteSnapshot(HOME, "snap-a")).isFalse();
    assertThat(segnos(homeWal())).allMatch(s -> s >= snapB.start().segno()).contains(snapB.start().segno());
    RestoreWindow window = platform.restoreWindow(PRIMARY);
    assertThat(window.earliest()).isEqualTo(snapB.stoppedAt());
    assertThat(window.gaps()).isEmpty();
    RestorePlan plan = platform.planRestore(PRIMARY, target);
    assertThat(plan.snapshotId()).isEqualTo("snap-b");
    platform.restoreToPointInTime(spec("lb-pitr-after-delete", target, "snap-b", null), ProgressListener.NONE);
    assertThat(ids("lb-pitr-after-delete")).containsExactly(1, 2, 3, 4);
    assertThat(platform.deleteTemporaryInstance("lb-pitr-after-delete")).isTrue();
  }

  @Test
  @Order(7)
  void delete_ofTheLastSnapshotInARegion_keepsItsWal() throws Exception {
    Map<String, FileTime> wal = files(drWal());

    assertThat(platform.deleteSnapshot(DR, "snap-a")).isTrue();

    assertThat(platform.listSnapshots(PRIMARY, DR)).isEmpty();
    assertThat(files(drWal())).containsAllEntriesOf(wal);
    assertThat(platform.deleteSnapshot(DR, "snap-a")).isFalse();
    assertThat(platform.listSnapshots(PRIMARY, HOME)).extracting(SnapshotInfo::id).containsExactly("snap-b");
  }

  @Test
  @Order(8)
  void plainSnapshot_asTakenBeforeCompression_stillCopiesVerifiesAndRestores() throws Exception {
    SnapshotRecord b = LocalJson.read(snapshotDir(HOME, "snap-b").resolve("snapshot.json"), SnapshotRecord.class);
    // the same backup as older versions stored it: a plain data directory with its manifest
    Path data = snapshotDir(HOME, "snap-b").resolve("data");
    Path plain = snapshotDir(HOME, "snap-b").resolve("plain");
    OsUser osUser = OsUser.detect(null);
    SnapshotFormat.layDown(new ProcessRunner(osUser), data, plain, b.bytes(), ProgressListener.NONE);
    Files.copy(data.resolve(SnapshotChecksum.MANIFEST), plain.resolve(SnapshotChecksum.MANIFEST));
    osUser.own(plain.resolve(SnapshotChecksum.MANIFEST));
    FileTrees.deleteRecursively(data);
    Files.move(plain, data);
    SnapshotRecord plainB = new SnapshotRecord(b.id(), b.instance(), b.region(), b.status(), b.startedAt(),
        b.stoppedAt(), FileTrees.size(data), b.tags(), b.startSegment(), b.timeline(), b.checksum());
    LocalJson.write(snapshotDir(HOME, "snap-b").resolve("snapshot.json"), plainB);
    assertThat(SnapshotFormat.isCompressed(data)).isFalse();
    assertThat(SnapshotStore.readLabel(data).startSegment()).isEqualTo(b.startSegment());
    sql("insert into t values (6)");
    Instant target = Instant.now();
    sql("insert into t values (7)");
    switchAndAwaitArchived();

    SnapshotInfo copy = platform.copySnapshot(HOME, "snap-b", DR, ProgressListener.NONE);
    platform.restoreToPointInTime(spec("lb-pitr-plain", target, "snap-b", DR), ProgressListener.NONE);

    assertThat(copy.bytes()).isEqualTo(plainB.bytes()).isGreaterThan(b.bytes());
    assertThat(snapshotDir(DR, "snap-b").resolve("data/PG_VERSION")).exists();
    assertThat(ids("lb-pitr-plain")).containsExactly(1, 2, 3, 4, 5, 6);
    assertThat(platform.deleteTemporaryInstance("lb-pitr-plain")).isTrue();
  }

  private static RestoreSpec spec(String id, Instant target, String snapshotId, String region) {
    return new RestoreSpec(id, PRIMARY, target, snapshotId, "restore-" + id, "tester",
        Instant.now().plus(Duration.ofHours(1)), region);
  }

  private static void assertType(ThrowingCallable call, ErrorType type) {
    assertThatThrownBy(call).isInstanceOfSatisfying(LifeboatException.class, e -> assertThat(e.type()).isEqualTo(type));
  }

  private static Path snapshotDir(String region, String id) {
    return local.dataRoot().resolve("regions").resolve(region).resolve("snapshots").resolve(id);
  }

  private static Path homeWal() {
    return local.dataRoot().resolve("regions").resolve(HOME).resolve("wal").resolve(PRIMARY);
  }

  private static Path drWal() {
    return local.dataRoot().resolve("regions").resolve(DR).resolve("wal").resolve(PRIMARY);
  }

  /** Switches to a new segment and waits until the finished one is archived; returns its name. */
  private static String switchAndAwaitArchived() throws SQLException {
    String segment;
    try (Connection c = platform.connection(PRIMARY); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("select pg_walfile_name(pg_switch_wal())")) {
      rs.next();
      segment = rs.getString(1);
    }
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
        .until(() -> Files.exists(homeWal().resolve(segment + ".zst")));
    return segment;
  }

  private static List<Long> segnos(Path archive) throws IOException {
    return names(archive).stream().filter(n -> n.matches("[0-9A-F]{24}\\.zst"))
        .map(n -> WalSegment.parse(n.substring(0, 24)).segno()).toList();
  }

  private static Map<String, FileTime> files(Path dir) throws IOException {
    Map<String, FileTime> files = new TreeMap<>();
    for (String name : names(dir)) {
      files.put(name, Files.getLastModifiedTime(dir.resolve(name)));
    }
    return files;
  }

  private static List<String> names(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  private static Path largestFile(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(Files::isRegularFile).max((a, b) -> Long.compare(a.toFile().length(), b.toFile().length()))
          .orElseThrow();
    }
  }

  private static void flipByte(Path file) throws IOException {
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
      long at = f.length() / 2;
      f.seek(at);
      int b = f.read();
      f.seek(at);
      f.write(b ^ 0xFF);
    }
  }

  private static void sql(String statement) throws SQLException {
    local.sql(PRIMARY, statement);
  }

  private static List<Integer> ids(String instance) throws SQLException {
    return local.ids(instance, "t");
  }
}
