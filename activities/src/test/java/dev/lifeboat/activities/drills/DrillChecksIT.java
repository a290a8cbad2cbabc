package dev.lifeboat.activities.drills;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.lifeboat.activities.local.LocalPlatform;
import dev.lifeboat.activities.testing.TestLocalPlatform;
import dev.lifeboat.common.ErrorType;
import dev.lifeboat.common.LifeboatException;
import dev.lifeboat.common.model.DrillCheck;
import dev.lifeboat.common.model.DrillPlan;
import dev.lifeboat.common.model.DrillRequest;
import dev.lifeboat.common.model.DrillSettings;
import dev.lifeboat.common.model.DrillSource;
import dev.lifeboat.common.model.DrillTargets;
import dev.lifeboat.common.model.DrillVerification;
import dev.lifeboat.common.model.RestoreSpec;
import dev.lifeboat.common.model.RowCountRule;
import dev.lifeboat.common.model.SqlCheck;
import dev.lifeboat.common.model.VerificationSuite;
import dev.lifeboat.common.platform.ProgressListener;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Drill planning and verification on real clusters: a primary with an analytics replica, a copy
 * of its snapshot in {@code dr-1}, a drill instance restored from it, and every kind of check
 * passing, then failing. The tests build on each other, in order.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DrillChecksIT {
  private static final String PRIMARY = "drill-src";
  private static final String ANALYTICS = "drill-src-analytics";
  private static final String DR = "dr-1";
  private static final VerificationSuite SUITE = new VerificationSuite("shop",
      List.of(new RowCountRule("shop", List.of("all"), "0")),
      List.of(new SqlCheck("has-items", "select count(*) > 0 from shop.items")),
      List.of("plpgsql"), List.of("auditor"), "select max(created_at) from shop.items");
  private static TestLocalPlatform local;
  private static LocalPlatform platform;
  private static DrillSettings settings;
  private static DrillPlan plan;
  private static String drillInstance;

  @BeforeAll
  static void sourceWithReplicaAndACopyInDr() throws Exception {
    local = TestLocalPlatform.create("drill-checks", c -> c.withDrRegions(List.of(DR)));
    platform = local.platform();
    platform.createPrimary(PRIMARY);
    local.sql(PRIMARY, """
        create role auditor;
        create schema shop;
        create table shop.items (id int primary key, created_at timestamptz not null default now());
        create table shop.customers (id int primary key);
        insert into shop.items select g, now() - (10 - g) * interval '1 minute' from generate_series(1, 10) g;
        insert into shop.customers select generate_series(1, 5);
        """);
    platform.createReplica(ANALYTICS, PRIMARY);
    platform.createSnapshot(PRIMARY, "snap-drill", Map.of(), ProgressListener.NONE);
    local.sql(PRIMARY, "insert into shop.items values (11, now())");
    // replay to a time stops before the first commit after it: an empty commit after the row, as
    // the demo fleet writes one, makes the row itself reachable
    local.sql(PRIMARY, "select txid_current()");
    local.sql(PRIMARY, "select pg_switch_wal()");
    waitArchived();
    platform.copySnapshot(platform.config().region(), "snap-drill", DR, ProgressListener.NONE);
    settings = new DrillSettings(Map.of("shop", SUITE), "shop",
        new DrillTargets(Duration.ofMinutes(30), Duration.ofHours(1)), Map.of(PRIMARY, ANALYTICS), null);
  }

  @AfterAll
  static void tearDown() {
    if (local != null) {
      local.close();
    }
  }

  private static DrillRequest request(String instance, String region, String suite) {
    return new DrillRequest(instance, region, DrillSource.LATEST_COPY, suite, null, "it", "test");
  }

  @Test
  @Order(1)
  void plan_choosesTheCopyInTheRegion_theReplica_andReadsTheSourcesNewestRow() throws Exception {
    plan = new DrillPlanner(platform, settings).plan(request(PRIMARY, DR, null));

    assertThat(plan.snapshotId()).isEqualTo("snap-drill");
    assertThat(plan.region()).isEqualTo(DR);
    assertThat(plan.suite().name()).isEqualTo("shop");
    assertThat(plan.compareOn()).isEqualTo(ANALYTICS);
    assertThat(plan.targets().rto()).isEqualTo(Duration.ofMinutes(30));
    assertThat(plan.restoreTo()).isAfterOrEqualTo(plan.snapshotStoppedAt());
    assertThat(plan.sourceNewest()).isEqualTo(newestItemOn(ANALYTICS));
    assertThat(plan.sourceNewestBasis()).contains(ANALYTICS).contains("freshness query");
    assertThat(plan.instanceTtl()).isEqualTo(DrillSettings.DEFAULT_INSTANCE_TTL);
    assertThat(plan.detail()).contains("the newest copy snap-drill, replayed to the newest commit copied with it");
    assertThat(new DrillPlanner(platform, settings).plan(
        new DrillRequest(PRIMARY, DR, DrillSource.PITR_LATEST, "shop", null, "it", "test")).restoreTo())
        .isEqualTo(plan.restoreTo());

    drillInstance = "lb-drill-checks1";
    platform.restoreToPointInTime(new RestoreSpec(drillInstance, PRIMARY, plan.restoreTo(), plan.snapshotId(),
        "drill-it", "test", Instant.now().plusSeconds(3600), DR), ProgressListener.NONE);
  }

  @Test
  @Order(5)
  void plan_whenTheNewestCopyHasNoCommitAfterIt_restoresTheRegionsNewestPointFromAnOlderCopy() {
    // a snapshot copied before any commit after it was archived: nothing can replay it yet
    platform.createSnapshot(PRIMARY, "snap-bare", Map.of(), ProgressListener.NONE);
    platform.copySnapshot(platform.config().region(), "snap-bare", DR, ProgressListener.NONE);
    DrillPlan older = new DrillPlanner(platform, settings).plan(request(PRIMARY, DR, null));

    assertThat(older.snapshotId()).isEqualTo("snap-drill");
    assertThat(older.detail()).contains("the newest copy snap-bare has no commit copied after it");
    assertThat(older.restoreTo()).isAfterOrEqualTo(plan.restoreTo());
  }

  @Test
  @Order(2)
  void plan_refusesWhatCannotBeDrilled_withTypedErrors() {
    DrillPlanner planner = new DrillPlanner(platform, settings);
    assertType(() -> planner.plan(request(PRIMARY, DR, "nope")), ErrorType.SUITE_NOT_FOUND);
    assertType(() -> planner.plan(request(PRIMARY, platform.config().region(), null)), ErrorType.REGION_NOT_FOUND);
    assertType(() -> planner.plan(request(PRIMARY, "mars-1", null)), ErrorType.REGION_NOT_FOUND);
    assertType(() -> new DrillPlanner(platform, new DrillSettings(Map.of("shop", SUITE), "shop", null, Map.of(), null))
        .plan(request(PRIMARY, DR, null)), ErrorType.NO_COMPARE_REPLICA);
    // the primary is never read for the comparison, even when configured as its own "replica"
    assertType(() -> new DrillPlanner(platform, new DrillSettings(Map.of("shop", SUITE), "shop", null,
        Map.of(PRIMARY, PRIMARY), null)).plan(request(PRIMARY, DR, null)), ErrorType.NO_COMPARE_REPLICA);
    assertType(() -> planner.plan(request("no-such-db", DR, null)), ErrorType.INSTANCE_NOT_FOUND);
    platform.createPrimary("drill-nocopy");
    assertType(() -> new DrillPlanner(platform, new DrillSettings(Map.of("shop", SUITE), "shop", null,
        Map.of("drill-nocopy", ANALYTICS), null)).plan(request("drill-nocopy", DR, null)), ErrorType.NO_COMPARE_REPLICA);
    assertType(() -> new DrillPlanner(platform, new DrillSettings(Map.of("bare", new VerificationSuite("bare", null,
        null, null, List.of("postgres"), null)), "bare", null, Map.of(), null)).plan(request("drill-nocopy", DR, null)),
        ErrorType.NO_COPY_IN_REGION);
  }

  @Test
  @Order(3)
  void checks_onAFaithfulRestore_allPass_withValuesAndTimes() {
    Instant before = Instant.now();
    DrillVerification verification = new DrillChecker(platform, Clock.systemUTC()).check(drillInstance, plan, p -> { });

    assertThat(verification.checks()).extracting(DrillCheck::label).containsExactly("row-count:shop.customers",
        "row-count:shop.items", "sql:has-items", "extension:plpgsql", "role:auditor");
    assertThat(verification.checks()).allSatisfy(check -> {
      assertThat(check.passed()).as(check.toString()).isTrue();
      assertThat(check.checkedAt()).isAfterOrEqualTo(before);
    });
    assertThat(verification.checks().get(0).value()).isEqualTo("5");
    assertThat(verification.checks().get(0).expected()).isEqualTo("5 ± 0 (" + ANALYTICS + ")");
    assertThat(verification.checks().get(2).value()).isEqualTo("true");
    assertThat(verification.newestData()).isNotNull().isBeforeOrEqualTo(plan.sourceNewest());
  }

  @Test
  @Order(4)
  void checks_whenTheSourceWasEmptiedAfterTheCopy_orAQueryIsFalse_failNamingEach() throws Exception {
    local.sql(PRIMARY, "truncate shop.customers");
    await().atMost(Duration.ofSeconds(20)).until(() -> count(ANALYTICS, "shop.customers") == 0);
    VerificationSuite failing = new VerificationSuite("failing",
        List.of(new RowCountRule("shop", List.of("customers", "items", "gone"), "0")),
        List.of(new SqlCheck("no-items", "select count(*) = 0 from shop.items"),
            new SqlCheck("broken", "select * from shop.nothing_here")),
        List.of("postgis"), List.of("nobody"), null);
    DrillPlan failingPlan = new DrillPlan(plan.instance(), plan.region(), plan.source(), failing, plan.targets(),
        ANALYTICS, plan.snapshotId(), plan.snapshotStoppedAt(), plan.restoreTo(), plan.sourceNewest(),
        plan.sourceNewestBasis(), plan.instanceTtl(), null);

    DrillVerification verification = new DrillChecker(platform, Clock.systemUTC())
        .check(drillInstance, failingPlan, p -> { });

    assertThat(verification.checks()).filteredOn(c -> !c.passed()).extracting(DrillCheck::label)
        .containsExactly("row-count:shop.customers", "row-count:shop.gone", "sql:no-items", "sql:broken",
            "extension:postgis", "role:nobody");
    DrillCheck emptied = verification.checks().get(0);
    assertThat(emptied.value()).isEqualTo("5");
    assertThat(emptied.expected()).startsWith("0 ± 0");
    assertThat(emptied.detail()).contains("differs by 5 rows");
    assertThat(verification.checks()).filteredOn(c -> c.label().equals("sql:broken")).singleElement()
        .satisfies(c -> assertThat(c.detail()).contains("42P01"));
    assertThat(verification.newestData()).isNull();

    local.sql(PRIMARY, "insert into shop.items values (12, now()), (13, now())");
    await().atMost(Duration.ofSeconds(20)).until(() -> count(ANALYTICS, "shop.items") == 13);
    assertThat(itemsWithin("20%").passed()).as("11 against 13 within 20% (2 rows)").isTrue();
    assertThat(itemsWithin("1").passed()).as("11 against 13 within 1 row").isFalse();
  }

  private static DrillCheck itemsWithin(String tolerance) {
    VerificationSuite suite = new VerificationSuite("tolerant",
        List.of(new RowCountRule("shop", List.of("items"), tolerance)), null, null, null, null);
    return new DrillChecker(platform, Clock.systemUTC()).check(drillInstance, new DrillPlan(plan.instance(),
        plan.region(), plan.source(), suite, plan.targets(), ANALYTICS, plan.snapshotId(), plan.snapshotStoppedAt(),
        plan.restoreTo(), null, null, null, null), p -> { }).checks().get(0);
  }

  private static void assertType(ThrowingCallable call, ErrorType type) {
    assertThatThrownBy(call).isInstanceOfSatisfying(LifeboatException.class,
        e -> assertThat(e.type()).as(e.getMessage()).isEqualTo(type));
  }

  private static Instant newestItemOn(String instance) throws Exception {
    try (Connection c = platform.connection(instance); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("select max(created_at) from shop.items")) {
      rs.next();
      return rs.getTimestamp(1).toInstant();
    }
  }

  private static long count(String instance, String table) throws Exception {
    try (Connection c = platform.connection(instance); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("select count(*) from " + table)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static void waitArchived() throws Exception {
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> {
      try (Connection c = platform.connection(PRIMARY); Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("select last_archived_wal >= pg_walfile_name(pg_current_wal_lsn() - 1)"
              + " from pg_stat_archiver")) {
        return rs.next() && rs.getBoolean(1);
      }
    });
  }
}
