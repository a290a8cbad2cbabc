package dev.lifeboat.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lifeboat.api.auth.AccessRole;
import dev.lifeboat.app.dev.DemoFleet;
import dev.lifeboat.common.model.Endpoint;
import dev.lifeboat.common.model.InstanceRole;
import dev.lifeboat.common.platform.ProgressListener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * A promote-replica failover of {@code lifeboat dev}'s primary while applications write through
 * PgBouncer: an application-like writer that counts what it saw committed, and pgbench. The
 * lagging-replica refusal runs first, on the untouched fleet; the rebuild of the old primary as a
 * replica of the new one third; then a restore-in-dr failover of the new primary to the DR region.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FailoverIT {
  private static final String DATABASE = "techcorp";
  private static DevStack stack;

  @BeforeAll
  static void startStack() throws Exception {
    stack = DevStack.start("failover");
    sql(DemoFleet.PRIMARY, "create table payments.failover_probe (id bigint primary key, at timestamptz default now());"
        + " create table payments.failover_bench (client int not null, at timestamptz default now())");
  }

  @AfterAll
  static void stopStack() {
    if (stack != null) {
      stack.close();
    }
  }

  @Test
  @Order(1)
  void replicaLaggingBeyondMaxDataLoss_isRefusedAtPreflight_withTheMeasuredLag_andNothingChanges() throws Exception {
    sql(DemoFleet.ANALYTICS, "select pg_wal_replay_pause()");
    try {
      for (int i = 0; i < 5; i++) {
        sql(DemoFleet.PRIMARY, "insert into payments.failover_bench (client) values (-1)");
        Thread.sleep(400);
      }
      Http.Response started = stack.http.post("/v1/failovers", """
          {"instance": "techcorp-primary", "replica": "techcorp-analytics", "maxDataLoss": "PT1S",
           "reason": "it: lagging candidate"}""");
      assertThat(started.status()).as(started.body().toString()).isEqualTo(202);

      JsonNode failed = awaitRun(started.body().get("runId").asText(), run -> phase(run, "failed"), "failed");

      assertThat(failed.at("/error/type").asText()).isEqualTo("DATA_LOSS_TOO_HIGH");
      assertThat(failed.at("/error/message").asText()).contains("techcorp-analytics lags", "bytes", "Nothing was changed");
      assertThat(failed.at("/result/preflight/candidate/lagBytes").asLong()).isPositive();
      assertThat(inRecovery(DemoFleet.ANALYTICS)).as("nothing promoted").isTrue();
      assertThat(throughBouncer("select inet_server_port()")).as("nothing switched")
          .isEqualTo(String.valueOf(port(DemoFleet.PRIMARY)));
    } finally {
      sql(DemoFleet.ANALYTICS, "select pg_wal_replay_resume()");
    }
  }

  @Test
  @Order(2)
  void promoteReplica_whileWritesGoThroughPgBouncer_losesNothingSeenCommitted_andMovesTheTraffic() throws Exception {
    int oldPort = port(DemoFleet.PRIMARY);
    int newPort = port(DemoFleet.REPLICA);
    Writer writer = new Writer();
    Thread writing = new Thread(writer, "failover-writer");
    writing.start();
    Path work = Files.createTempDirectory(DevStack.testHome("pgbench"), "run");
    Process pgbench = pgbench(work);
    try {
      await().atMost(Duration.ofSeconds(20)).until(() -> writer.acked.size() > 20);

      Http.Response started = stack.http.post("/v1/failovers", """
          {"instance": "techcorp-primary", "replica": "techcorp-replica-1", "maxDataLoss": "PT60S",
           "reason": "it: primary's host is gone"}""");
      assertThat(started.status()).as(started.body().toString()).isEqualTo(202);
      String runId = started.body().get("runId").asText();
      JsonNode waiting = awaitRun(runId, run -> phase(run, "waiting-approval"), "waiting-approval");
      assertThat(waiting.at("/result/preflight/candidate/inRecovery").asBoolean()).isTrue();
      assertThat(waiting.at("/result/preflight/replicasToRepoint/0").asText()).isEqualTo(DemoFleet.ANALYTICS);

      // without approval nothing changes: the primary still takes the writes through PgBouncer
      int before = writer.acked.size();
      Thread.sleep(1500);
      assertThat(writer.acked.size()).isGreaterThan(before);
      assertThat(inRecovery(DemoFleet.REPLICA)).isTrue();
      assertThat(stack.http.postAs(AccessRole.OPERATOR, "/v1/runs/" + runId + "/approve", "{}").status())
          .as("the requester holds no approver role").isEqualTo(403);

      Http.Response approved = stack.http.postAs(AccessRole.APPROVER, "/v1/runs/" + runId + "/approve",
          "{\"comment\": \"primary host confirmed dead\"}");
      assertThat(approved.status()).as(approved.body().toString()).isEqualTo(200);
      JsonNode done = awaitRun(runId, run -> phase(run, "succeeded"), "succeeded");

      await().atMost(Duration.ofSeconds(30)).until(() -> writer.ackedAfterSwitch(newPort) > 10);
      writer.stop.set(true);
      writing.join(10_000);

      // writes through PgBouncer land on the promoted replica
      assertThat(throughBouncer("select inet_server_port()")).isEqualTo(String.valueOf(newPort));
      assertThat(throughBouncer("select pg_is_in_recovery()")).isEqualTo("f");
      // the old primary takes no writes
      assertThatThrownBy(() -> direct(oldPort, "insert into payments.failover_probe (id) values (-1)"))
          .isInstanceOf(SQLException.class);
      // every insert the writer saw committed is on the new primary
      List<Long> present = longs(newPort, "select id from payments.failover_probe order by id");
      assertThat(present).containsAll(writer.acked);
      // and every transaction pgbench logged as done
      pgbench.waitFor(60, TimeUnit.SECONDS);
      Map<Integer, Long> logged = pgbenchCompleted(work);
      assertThat(logged).as("pgbench completed transactions before the fence").isNotEmpty();
      for (Map.Entry<Integer, Long> client : logged.entrySet()) {
        assertThat(longs(newPort, "select count(*) from payments.failover_bench where client = " + client.getKey())
            .get(0)).as("pgbench client " + client.getKey()).isGreaterThanOrEqualTo(client.getValue());
      }
      // the report's figures are measurements
      assertThat(done.at("/result/rtoSeconds").asDouble()).isPositive();
      assertThat(done.at("/result/dataLoss").asText()).isEqualTo("PT0S");
      assertThat(done.at("/result/dataLossBasis").asText()).contains("newest commit");
      assertThat(done.at("/result/fence/how").asText()).isEqualTo("stopped");
      assertThat(done.at("/result/promote/alreadyPromoted").asBoolean()).isFalse();
      assertThat(done.at("/result/repoint/0/replica").asText()).isEqualTo(DemoFleet.ANALYTICS);
      assertThat(done.at("/result/switch/check/port").asInt()).isEqualTo(newPort);
      assertThat(done.get("steps")).extracting(s -> s.get("name").asText())
          .containsExactly("preflight", "approval", "fence", "promote", "repoint", "switch", "report");
      // the platform now counts the promoted replica as the primary, and the analytics replica follows it
      assertThat(stack.platform.findInstance(DemoFleet.REPLICA).orElseThrow().role()).isEqualTo(InstanceRole.PRIMARY);
      long id = writer.next + 1_000_000;
      direct(newPort, "insert into payments.failover_probe (id) values (" + id + ")");
      await().atMost(Duration.ofSeconds(30)).until(() -> !longs(port(DemoFleet.ANALYTICS),
          "select id from payments.failover_probe where id = " + id).isEmpty());
    } finally {
      writer.stop.set(true);
      pgbench.destroy();
    }
  }

  @Test
  @Order(3)
  void rebuild_ofTheOldPrimary_afterTheFailover_givesAStreamingReplicaOfTheNewPrimary() throws Exception {
    assertThat(stack.platform.findInstance(DemoFleet.PRIMARY).orElseThrow().role())
        .isEqualTo(InstanceRole.FORMER_PRIMARY);

    Http.Response started = stack.http.post("/v1/instances/techcorp-primary/rebuild", """
        {"reason": "it: the old primary's host is back"}""");
    assertThat(started.status()).as(started.body().toString()).isEqualTo(202);
    JsonNode done = awaitRun(started.body().get("runId").asText(), run -> phase(run, "succeeded"), "succeeded");

    assertThat(done.at("/kind").asText()).isEqualTo("rebuild");
    assertThat(done.at("/result/newPrimary").asText()).isEqualTo(DemoFleet.REPLICA);
    // the dev fleet runs with wal_log_hints, so pg_rewind can do it
    assertThat(done.at("/result/how").asText()).as(done.toString()).isEqualTo("rewound");
    assertThat(Path.of(done.at("/result/preserved").asText()).resolve("PG_VERSION")).exists();
    assertThat(done.get("steps")).extracting(s -> s.get("name").asText())
        .containsExactly("validate", "preserve", "rewind-or-base-backup", "streaming-check");
    assertThat(stack.platform.findInstance(DemoFleet.PRIMARY).orElseThrow().role()).isEqualTo(InstanceRole.REPLICA);
    assertThat(stack.platform.findInstance(DemoFleet.PRIMARY).orElseThrow().source()).isEqualTo(DemoFleet.REPLICA);
    assertThat(inRecovery(DemoFleet.PRIMARY)).isTrue();
    // a row written on the new primary appears on the rebuilt old primary
    long id = 2_000_000;
    direct(port(DemoFleet.REPLICA), "insert into payments.failover_probe (id) values (" + id + ")");
    await().atMost(Duration.ofSeconds(30)).until(() -> !longs(port(DemoFleet.PRIMARY),
        "select id from payments.failover_probe where id = " + id).isEmpty());
  }

  @Test
  @Order(4)
  void restoreInDr_whenTheRegionIsGone_restoresTheNewestCopyThere_recreatesTheAnalyticsReplica_andMovesTheTraffic()
      throws Exception {
    String primary = DemoFleet.REPLICA; // the primary since the promotion
    String newPrimary = primary + "-dr";
    String newReplica = DemoFleet.ANALYTICS + "-dr";
    direct(port(primary), "insert into payments.failover_probe (id) values (3000000)");
    stack.platform.createSnapshot(primary, "it-dr-failover", Map.of(), ProgressListener.NONE);
    direct(port(primary), "insert into payments.failover_probe (id) values (3000001)");
    assertThat(stack.platform.archiveNow(primary)).isTrue();
    stack.platform.copySnapshot(stack.platform.config().region(), "it-dr-failover", "dr-1", ProgressListener.NONE);
    // what the writer commits from now on never reaches dr-1: the data loss the report measures
    Writer writer = new Writer();
    writer.next = 4_000_000;
    Thread writing = new Thread(writer, "dr-failover-writer");
    writing.start();
    try {
      await().atMost(Duration.ofSeconds(20)).until(() -> writer.acked.size() > 10);
      Http.Response started = stack.http.post("/v1/failovers", """
          {"instance": "techcorp-replica-1", "mode": "restore-in-dr", "maxDataLoss": "PT10M",
           "reason": "it: the primary's region is gone"}""");
      assertThat(started.status()).as(started.body().toString()).isEqualTo(202);
      String runId = started.body().get("runId").asText();
      JsonNode waiting = awaitRun(runId, run -> phase(run, "waiting-approval"), "waiting-approval");
      assertThat(waiting.at("/result/preflight/copy/region").asText()).isEqualTo("dr-1");
      assertThat(waiting.at("/result/preflight/copy/snapshotId").asText()).isEqualTo("it-dr-failover");
      assertThat(waiting.at("/result/preflight/copyAge").asText()).startsWith("PT");
      assertThat(waiting.at("/result/preflight/expectedDataLoss").asText()).startsWith("PT");
      assertThat(waiting.at("/result/preflight/summary").asText()).contains("copy it-dr-failover", "old",
          "expected data loss");
      assertThat(stack.platform.findInstance(newPrimary)).as("nothing restored before the approval").isEmpty();

      Http.Response approved = stack.http.postAs(AccessRole.APPROVER, "/v1/runs/" + runId + "/approve",
          "{\"comment\": \"region confirmed gone\"}");
      assertThat(approved.status()).as(approved.body().toString()).isEqualTo(200);
      JsonNode done = awaitRun(runId, run -> phase(run, "succeeded"), "succeeded");
      int newPort = port(newPrimary);
      await().atMost(Duration.ofSeconds(30)).until(() -> writer.ackedAfterSwitch(newPort) > 5);
      writer.stop.set(true);
      writing.join(10_000);

      // writes through PgBouncer land on the new primary in the DR region, which is permanent
      assertThat(throughBouncer("select inet_server_port()")).isEqualTo(String.valueOf(newPort));
      assertThat(throughBouncer("select pg_is_in_recovery()")).isEqualTo("f");
      var info = stack.platform.findInstance(newPrimary).orElseThrow();
      assertThat(info.role()).isEqualTo(InstanceRole.PRIMARY);
      assertThat(info.region()).isEqualTo("dr-1");
      assertThat(info.expiresAt()).isNull();
      // the rows the region had are there: before the snapshot, and after it through the copied WAL
      assertThat(longs(newPort, "select id from payments.failover_probe where id in (3000000, 3000001)"))
          .containsExactly(3000000L, 3000001L);
      // the report's figures are measurements
      assertThat(done.at("/result/rtoSeconds").asDouble()).isPositive();
      assertThat(done.at("/result/dataLossSeconds").asDouble()).isPositive();
      assertThat(done.at("/result/dataLossBasis").asText()).contains("newest commit");
      assertThat(done.at("/result/restore/snapshotId").asText()).isEqualTo("it-dr-failover");
      assertThat(done.at("/result/switch/check/port").asInt()).isEqualTo(newPort);
      assertThat(done.get("steps")).extracting(s -> s.get("name").asText())
          .containsExactly("preflight", "approval", "fence", "restore", "replica", "switch", "report");
      // the analytics replica is recreated beside it, and streams from it
      assertThat(stack.platform.findInstance(newReplica).orElseThrow().source()).isEqualTo(newPrimary);
      direct(newPort, "insert into payments.failover_probe (id) values (3000002)");
      await().atMost(Duration.ofSeconds(30)).until(() -> !longs(port(newReplica),
          "select id from payments.failover_probe where id = 3000002").isEmpty());
    } finally {
      writer.stop.set(true);
    }
  }

  /** Inserts ids one by one through PgBouncer, as an application would; keeps those it saw committed. */
  private static final class Writer implements Runnable {
    final List<Long> acked = new CopyOnWriteArrayList<>();
    final List<Integer> ports = new CopyOnWriteArrayList<>();
    final AtomicBoolean stop = new AtomicBoolean();
    volatile long next = 1;

    @Override
    public void run() {
      while (!stop.get()) {
        try (Connection c = bouncer(); Statement st = c.createStatement()) {
          while (!stop.get()) {
            try (ResultSet rs = st.executeQuery("insert into payments.failover_probe (id) values (" + next
                + ") on conflict (id) do nothing returning inet_server_port()")) {
              int port = rs.next() ? rs.getInt(1) : -1;
              acked.add(next);
              ports.add(port);
              next++;
            }
            Thread.sleep(20);
          }
        } catch (SQLException e) {
          // the primary went away or PgBouncer paused: an application retries
          sleep(100);
        } catch (InterruptedException e) {
          return;
        }
      }
    }

    long ackedAfterSwitch(int port) {
      return ports.stream().filter(p -> p == port).count();
    }
  }

  private static Process pgbench(Path work) throws IOException {
    Path script = work.resolve("insert.sql");
    Files.writeString(script, "insert into payments.failover_bench (client) values (:client_id);\n");
    Endpoint bouncer = stack.platform.pgBouncer().endpoint(DATABASE);
    Path bin = stack.platform.config().binDir() == null ? Path.of("/usr/lib/postgresql/15/bin")
        : stack.platform.config().binDir();
    return new ProcessBuilder(bin.resolve("pgbench").toString(), "-n", "-c", "2",
        "-T", "60", "-l", "-f", script.toString(), "-h", bouncer.host(), "-p", String.valueOf(bouncer.port()),
        "-U", bouncer.user(), DATABASE)
        .directory(work.toFile()).redirectErrorStream(true).redirectOutput(work.resolve("pgbench.out").toFile())
        .start();
  }

  /** Transactions pgbench logged as completed, per client ({@code -l}: one line per transaction). */
  private static Map<Integer, Long> pgbenchCompleted(Path work) throws IOException {
    Map<Integer, Long> completed = new HashMap<>();
    try (var files = Files.list(work)) {
      for (Path log : files.filter(f -> f.getFileName().toString().startsWith("pgbench_log")).toList()) {
        for (String line : Files.readAllLines(log)) {
          String[] fields = line.trim().split("\\s+");
          if (fields.length > 2 && !fields[2].equals("failed")) {
            completed.merge(Integer.parseInt(fields[0]), 1L, Long::sum);
          }
        }
      }
    }
    return completed;
  }

  private static Connection bouncer() throws SQLException {
    return stack.platform.pgBouncer().dataSource(DATABASE).getConnection();
  }

  private static String throughBouncer(String query) throws SQLException {
    try (Connection c = bouncer(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(query)) {
      rs.next();
      return rs.getString(1);
    }
  }

  private static int port(String instance) {
    return stack.platform.findInstance(instance).orElseThrow().endpoint().port();
  }

  private static boolean inRecovery(String instance) throws SQLException {
    try (Connection c = stack.platform.dataSource(instance).getConnection(); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("select pg_is_in_recovery()")) {
      rs.next();
      return rs.getBoolean(1);
    }
  }

  private static void direct(int port, String statement) throws SQLException {
    try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/" + DATABASE
        + "?connectTimeout=5", "postgres", ""); Statement st = c.createStatement()) {
      st.execute(statement);
    }
  }

  private static List<Long> longs(int port, String query) throws SQLException {
    List<Long> values = new ArrayList<>();
    try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/" + DATABASE,
        "postgres", ""); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(query)) {
      while (rs.next()) {
        values.add(rs.getLong(1));
      }
    }
    return values;
  }

  private static void sql(String instance, String statement) throws SQLException {
    try (Connection c = stack.platform.dataSource(instance).getConnection(); Statement st = c.createStatement()) {
      st.execute(statement);
    }
  }

  private static boolean phase(JsonNode run, String phase) {
    return phase.equals(run.path("phase").asText());
  }

  private static JsonNode awaitRun(String runId, Predicate<JsonNode> condition, String what) {
    JsonNode[] last = new JsonNode[1];
    await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250))
        .alias("run " + runId + " reaches " + what)
        .until(() -> {
          last[0] = stack.http.get("/v1/runs/" + runId).body();
          String phase = last[0].path("phase").asText();
          return condition.test(last[0]) || (phase.equals("failed") && !what.equals("failed"))
              || phase.equals("succeeded");
        });
    assertThat(condition.test(last[0])).as(last[0].toString()).isTrue();
    return last[0];
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
