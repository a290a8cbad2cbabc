package dev.lifeboat.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lifeboat.api.auth.AccessRole;
import dev.lifeboat.app.dev.DemoFleet;
import dev.lifeboat.common.Ids;
import dev.lifeboat.common.model.InstanceInfo;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Table-level recovery as on-call runs it against {@code lifeboat dev}: rows deleted after T are
 * brought back from a real point-in-time restore, compared on the analytics replica, approved by
 * a second person and imported into the primary, all through HTTP.
 */
class TableRecoveryIT {
  private static final int ROWS = 5000;
  private static DevStack stack;

  @BeforeAll
  static void startStack() throws Exception {
    stack = DevStack.start("table-recovery");
  }

  @AfterAll
  static void stopStack() {
    if (stack != null) {
      stack.close();
    }
  }

  /**
   * Creates {@code payments.<table>} with {@value #ROWS} rows, waits past T, then deletes 1,000
   * rows (every id divisible by 5), changes 10 others and adds 3, and waits until the analytics
   * replica has replayed it all.
   *
   * @return T
   */
  private static Instant damage(String table) throws Exception {
    sql(DemoFleet.PRIMARY, "create table payments." + table + " (id int primary key, amount numeric(12,2) not null,"
        + " note text); insert into payments." + table + " select g, g * 1.5, 'row ' || g from generate_series(1, "
        + ROWS + ") g");
    Thread.sleep(500);
    Instant target = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    Thread.sleep(500);
    sql(DemoFleet.PRIMARY, "delete from payments." + table + " where id % 5 = 0");
    sql(DemoFleet.PRIMARY, "update payments." + table + " set note = 'changed later' where id between 1 and 12 "
        + "and id % 5 <> 0");
    sql(DemoFleet.PRIMARY, "insert into payments." + table + " values (9001, 1, 'new'), (9002, 2, 'new'), "
        + "(9003, 3, 'new')");
    await().atMost(Duration.ofSeconds(30)).until(() -> count(DemoFleet.ANALYTICS, "payments." + table) == ROWS - 1000 + 3);
    return target;
  }

  @Test
  void insertMissing_bringsBackExactlyTheDeletedRows_afterAnotherPersonApproves() throws Exception {
    Instant target = damage("refunds_probe");
    Thread.sleep(1200); // statistics of the closed sessions above are flushed as they exit
    long primaryScansBefore = scans(DemoFleet.PRIMARY, "refunds_probe");
    long replicaScansBefore = scans(DemoFleet.ANALYTICS, "refunds_probe");

    Http.Response started = stack.http.postAs(AccessRole.OPERATOR, "/v1/table-recoveries", """
        {"instance": "techcorp-primary", "targetTime": "%s", "tables": ["payments.refunds_probe"],
         "mode": "insert-missing", "reason": "refunds deleted after %s"}""".formatted(target, target));
    assertThat(started.status()).as(started.body().toString()).isEqualTo(202);
    String runId = started.body().get("runId").asText();

    JsonNode waiting = awaitRun(runId, run -> "waiting-approval".equals(run.path("phase").asText()), "approval");
    JsonNode comparison = waiting.at("/result/comparison/0");
    assertThat(comparison.get("onlyInExport").asLong()).as(comparison.toString()).isEqualTo(1000);
    assertThat(comparison.get("changed").asLong()).isEqualTo(10);
    assertThat(comparison.get("onlyNow").asLong()).isEqualTo(3);
    assertThat(comparison.get("comparedOn").asText()).isEqualTo(DemoFleet.ANALYTICS);
    assertThat(comparison.get("sampleOnlyInExport")).isNotEmpty();
    Thread.sleep(1200); // statistics are flushed at most once a second
    assertThat(scans(DemoFleet.PRIMARY, "refunds_probe")).as("the comparison never read the primary")
        .isEqualTo(primaryScansBefore);
    assertThat(scans(DemoFleet.ANALYTICS, "refunds_probe")).as("it read the analytics replica")
        .isGreaterThan(replicaScansBefore);
    assertThat(count(DemoFleet.PRIMARY, "payments.refunds_probe")).as("nothing imported before approval")
        .isEqualTo(ROWS - 1000 + 3);
    assertThat(temporaryInstances()).as("the temporary instance is gone before the wait").isEmpty();

    Http.Response own = stack.http.postAs(AccessRole.OPERATOR, "/v1/runs/" + runId + "/approve",
        "{\"comment\": \"mine\"}");
    assertError(own, 403, "FORBIDDEN");
    Http.Response approved = stack.http.postAs(AccessRole.APPROVER, "/v1/runs/" + runId + "/approve", "{\"comment\": \"checked\"}");
    assertThat(approved.status()).as(approved.body().toString()).isEqualTo(200);

    JsonNode done = awaitRun(runId, run -> "succeeded".equals(run.path("phase").asText()), "succeeded");
    assertThat(done.at("/result/imports/0/rowsWritten").asLong()).isEqualTo(1000);
    assertThat(done.at("/result/approval/by").asText()).isEqualTo("dev-approver");
    assertThat(count(DemoFleet.PRIMARY, "payments.refunds_probe")).isEqualTo(ROWS + 3);
    assertThat(strings(DemoFleet.PRIMARY, "select note from payments.refunds_probe where id in (1, 2)"))
        .as("rows changed since T are left as they are now").containsOnly("changed later");
    assertThat(count(DemoFleet.PRIMARY, "payments.refunds_probe where id % 5 = 0")).isEqualTo(1000);

    Http.Response export = stack.http.get("/v1/runs/" + runId + "/export");
    assertThat(export.status()).isEqualTo(200);
    assertThat(export.body().at("/tables/0/rows").asLong()).isEqualTo(ROWS);
    assertThat(export.body().at("/tables/0/primaryKey/0").asText()).isEqualTo("id");
    assertThat(export.body().at("/tables/0/sha256").asText()).hasSize(64);
  }

  @Test
  void newTable_withoutApproval_loadsTheRowsAsOfTBesideTheUntouchedTable() throws Exception {
    Instant target = damage("newtable_probe");
    Http.Response started = stack.http.postAs(AccessRole.OPERATOR, "/v1/table-recoveries", """
        {"instance": "techcorp-primary", "targetTime": "%s", "tables": ["payments.newtable_probe"],
         "requireApproval": false, "reason": "look at the old rows"}""".formatted(target));
    assertThat(started.status()).as(started.body().toString()).isEqualTo(202);
    String runId = started.body().get("runId").asText();

    JsonNode done = awaitRun(runId, run -> "succeeded".equals(run.path("phase").asText()), "succeeded");

    String restored = "payments.newtable_probe_restored_" + suffix(done);
    assertThat(done.at("/result/imports/0/targetTable").asText()).isEqualTo(restored);
    assertThat(count(DemoFleet.PRIMARY, restored)).isEqualTo(ROWS);
    assertThat(count(DemoFleet.PRIMARY, "payments.newtable_probe")).isEqualTo(ROWS - 1000 + 3);
    assertThat(strings(DemoFleet.PRIMARY, "select note from " + restored + " where id = 1")).containsExactly("row 1");
  }

  @Test
  void replace_keepsTheCurrentRowsInABackupTable_andLoadsTheRowsAsOfT() throws Exception {
    Instant target = damage("replace_probe");
    Http.Response started = stack.http.postAs(AccessRole.OPERATOR, "/v1/table-recoveries", """
        {"instance": "techcorp-primary", "targetTime": "%s", "tables": ["payments.replace_probe"],
         "mode": "replace", "reason": "put it all back"}""".formatted(target));
    String runId = started.body().get("runId").asText();
    awaitRun(runId, run -> "waiting-approval".equals(run.path("phase").asText()), "approval");
    assertThat(stack.http.postAs(AccessRole.APPROVER, "/v1/runs/" + runId + "/approve", null).status()).isEqualTo(200);

    JsonNode done = awaitRun(runId, run -> "succeeded".equals(run.path("phase").asText()), "succeeded");

    String backup = done.at("/result/imports/0/backupTable").asText();
    assertThat(backup).isEqualTo("payments.replace_probe_backup_" + suffix(done));
    assertThat(count(DemoFleet.PRIMARY, backup)).as("the pre-import rows").isEqualTo(ROWS - 1000 + 3);
    assertThat(count(DemoFleet.PRIMARY, backup + " where note = 'changed later'")).isEqualTo(10);
    assertThat(count(DemoFleet.PRIMARY, "payments.replace_probe")).isEqualTo(ROWS);
    assertThat(count(DemoFleet.PRIMARY, "payments.replace_probe where id > " + ROWS)).isZero();
    assertThat(count(DemoFleet.PRIMARY, "payments.replace_probe where note = 'changed later'")).isZero();
  }

  @Test
  void reject_endsTheRunCancelled_leavesProductionUntouched_andKeepsTheExport() throws Exception {
    Instant target = damage("reject_probe");
    Http.Response started = stack.http.postAs(AccessRole.ADMIN, "/v1/table-recoveries", """
        {"instance": "techcorp-primary", "targetTime": "%s", "tables": ["payments.reject_probe"],
         "mode": "replace", "reason": "maybe"}""".formatted(target));
    String runId = started.body().get("runId").asText();
    awaitRun(runId, run -> "waiting-approval".equals(run.path("phase").asText()), "approval");

    // four-eyes holds for every role: the admin who asked cannot decide
    assertError(stack.http.postAs(AccessRole.ADMIN, "/v1/runs/" + runId + "/reject", null), 403, "SELF_APPROVAL");
    Http.Response rejected = stack.http.postAs(AccessRole.APPROVER, "/v1/runs/" + runId + "/reject",
        "{\"comment\": \"wrong point in time\"}");
    assertThat(rejected.status()).as(rejected.body().toString()).isEqualTo(200);

    JsonNode done = awaitRun(runId, run -> "cancelled".equals(run.path("phase").asText()), "cancelled");
    assertThat(done.at("/error/type").asText()).isEqualTo("REJECTED");
    assertThat(done.at("/error/message").asText()).contains("dev-approver", "wrong point in time");
    assertThat(count(DemoFleet.PRIMARY, "payments.reject_probe")).isEqualTo(ROWS - 1000 + 3);
    assertThat(strings(DemoFleet.PRIMARY, "select count(*)::text from pg_tables where tablename like "
        + "'reject\\_probe\\_%'")).containsExactly("0");
    assertThat(stack.http.get("/v1/runs/" + runId + "/export").status()).isEqualTo(200);
    assertError(stack.http.postAs(AccessRole.APPROVER, "/v1/runs/" + runId + "/approve", null), 409, "RUN_ALREADY_FINISHED");
  }

  @Test
  void badNames_areRefusedBeforeAnythingStarts() throws Exception {
    sql(DemoFleet.PRIMARY, "create view payments.refunds_view as select * from payments.refunds");
    sql(DemoFleet.PRIMARY, "create table payments.parted (id int, at date) partition by range (at)");
    await().atMost(Duration.ofSeconds(30)).until(() -> count(DemoFleet.ANALYTICS,
        "pg_class where relname in ('refunds_view', 'parted')") == 2);
    int runsBefore = stack.http.get("/v1/runs?kind=table-recovery&limit=200").body().get("items").size();
    String time = Instant.now().minusSeconds(5).toString();

    assertError(recover(time, "payments.refunds; drop table x", "new-table"), 400, "INVALID_TABLE_NAME");
    assertError(recover(time, "\\\"weird\\\".\\\"name\\\"", "insert-missing"), 400, "TABLE_NOT_FOUND");
    assertError(recover(time, "payments.refunds_view", "new-table"), 400, "NOT_A_PLAIN_TABLE");
    assertError(recover(time, "payments.parted", "replace"), 400, "NOT_A_PLAIN_TABLE");
    assertError(recover(time, "payments.refunds", "upsert"), 400, "INVALID_REQUEST");

    assertThat(stack.http.get("/v1/runs?kind=table-recovery&limit=200").body().get("items")).hasSize(runsBefore);
    assertThat(temporaryInstances()).isEmpty();
  }

  private static Http.Response recover(String time, String table, String mode) {
    return stack.http.postAs(AccessRole.OPERATOR, "/v1/table-recoveries", """
        {"instance": "techcorp-primary", "targetTime": "%s", "tables": ["%s"], "mode": "%s", "reason": "bad"}"""
        .formatted(time, table, mode));
  }

  /** The yyyyMMddHHmm of the run's restored point in time, as the workflow names tables. */
  private static String suffix(JsonNode run) {
    return DateTimeFormatter.ofPattern("yyyyMMddHHmm").withZone(ZoneOffset.UTC)
        .format(Instant.parse(run.at("/result/restoredTo").asText()));
  }

  private static List<String> temporaryInstances() {
    return stack.platform.listInstances().stream().map(InstanceInfo::id)
        .filter(id -> id.startsWith(Ids.TABLE_INSTANCE_PREFIX)).toList();
  }

  private static void assertError(Http.Response response, int status, String error) {
    assertThat(response.status()).as(response.body().toString()).isEqualTo(status);
    assertThat(response.body().get("error").asText()).as(response.body().toString()).isEqualTo(error);
    assertThat(response.body().get("message").asText()).isNotBlank();
  }

  private static JsonNode awaitRun(String runId, Predicate<JsonNode> condition, String what) {
    JsonNode[] last = new JsonNode[1];
    await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250))
        .alias("run " + runId + " reaches " + what)
        .until(() -> {
          last[0] = stack.http.get("/v1/runs/" + runId).body();
          String phase = last[0].path("phase").asText();
          return condition.test(last[0]) || (phase.equals("failed") && !what.equals("failed"));
        });
    assertThat(condition.test(last[0])).as(last[0].toString()).isTrue();
    return last[0];
  }

  private static void sql(String instance, String statement) throws SQLException {
    try (Connection c = stack.platform.dataSource(instance).getConnection(); Statement st = c.createStatement()) {
      st.execute(statement);
    }
  }

  private static long count(String instance, String from) throws SQLException {
    return Long.parseLong(strings(instance, "select count(*)::text from " + from).get(0));
  }

  private static List<String> strings(String instance, String query) throws SQLException {
    List<String> values = new ArrayList<>();
    try (Connection c = stack.platform.dataSource(instance).getConnection(); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(query)) {
      while (rs.next()) {
        values.add(rs.getString(1));
      }
    }
    return values;
  }

  /** Sequential plus index scans of a table in the payments schema, from the instance's own statistics. */
  private static long scans(String instance, String table) throws SQLException {
    return Long.parseLong(strings(instance, "select (coalesce(seq_scan, 0) + coalesce(idx_scan, 0))::text "
        + "from pg_stat_user_tables where schemaname = 'payments' and relname = '" + table + "'").get(0));
  }
}
