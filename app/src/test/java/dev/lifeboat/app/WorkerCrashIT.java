package dev.lifeboat.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.lifeboat.activities.local.LocalPlatform;
import dev.lifeboat.activities.local.LocalPlatformConfig;
import dev.lifeboat.app.dev.DemoFleet;
import dev.lifeboat.catalog.Catalog;
import dev.lifeboat.catalog.RunStore;
import dev.lifeboat.common.failover.FailoverMode;
import dev.lifeboat.common.failover.FailoverRequest;
import dev.lifeboat.common.model.ImportMode;
import dev.lifeboat.common.model.InstanceInfo;
import dev.lifeboat.common.model.ReleaseRequest;
import dev.lifeboat.common.model.RestoreRequest;
import dev.lifeboat.common.model.RestoreResult;
import dev.lifeboat.common.model.RunPhase;
import dev.lifeboat.common.model.RunState;
import dev.lifeboat.common.model.SchemaDriftPolicy;
import dev.lifeboat.common.model.StepState;
import dev.lifeboat.common.model.TableRecoveryRequest;
import dev.lifeboat.common.model.TableRef;
import dev.lifeboat.common.workflow.FailoverWorkflow;
import dev.lifeboat.common.workflow.PointInTimeRestoreWorkflow;
import dev.lifeboat.common.workflow.TableRecoveryWorkflow;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.testserver.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A worker process killed with SIGKILL in the middle of a restore, while the Temporal server
 * keeps running; a new worker process picks the run up. Real processes: the shaded
 * {@code lifeboat worker} jar, the embedded Temporal server, real PostgreSQL clusters.
 */
class WorkerCrashIT {
  private TestServer.PortBoundTestServer temporal;
  private LocalPlatform platform;
  private Process worker;

  @AfterEach
  void tearDown() {
    if (worker != null) {
      worker.destroyForcibly();
    }
    if (platform != null) {
      platform.pgBouncer().stop();
      platform.listInstances().forEach(i -> platform.stop(i.id()));
    }
    if (temporal != null) {
      temporal.close();
    }
  }

  @Test
  void restore_whenTheWorkerIsKilledMidway_completesOnANewWorkerWithExactlyOneInstance() throws Exception {
    Path home = DevStack.testHome("worker-crash");
    int temporalPort = DevStack.freePort();
    temporal = TestServer.createPortBoundServer(temporalPort, true);
    platform = new LocalPlatform(LocalPlatformConfig.defaults(home.resolve("platform")));
    String catalogUrl = new DemoFleet(platform, Clock.systemUTC()).ensure();
    // WAL to replay after the snapshot, so the restore takes long enough to be interrupted.
    var primary = platform.findInstance(DemoFleet.PRIMARY).orElseThrow().endpoint();
    try (Connection c = DriverManager.getConnection(primary.jdbcUrl(), "postgres", "");
        Statement s = c.createStatement()) {
      s.execute("create table orders.filler as select g as id, md5(g::text) as pad from generate_series(1, 1000000) g");
    }
    Instant target = Instant.now();
    try (Connection c = DriverManager.getConnection(primary.jdbcUrl(), "postgres", "");
        Statement s = c.createStatement()) {
      s.execute("insert into orders.orders (user_id, status, total_cents) values (1, 'paid', 1)");
    }

    WorkflowClient client = WorkflowClient.newInstance(WorkflowServiceStubs.newServiceStubs(
        WorkflowServiceStubsOptions.newBuilder().setTarget("127.0.0.1:" + temporalPort).build()));
    worker = startWorker(home, temporalPort, catalogUrl, "worker-1.log");
    String runId = "restore-techcorp-primary-crash001";
    PointInTimeRestoreWorkflow workflow = client.newWorkflowStub(PointInTimeRestoreWorkflow.class,
        WorkflowOptions.newBuilder().setWorkflowId(runId).setTaskQueue(PointInTimeRestoreWorkflow.TASK_QUEUE).build());
    WorkflowClient.start(workflow::restore,
        new RestoreRequest(DemoFleet.PRIMARY, target, Duration.ofHours(1), "crash test", "test", null));

    // Kill it once the restore activity has begun writing the temporary instance.
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
        .until(() -> !platform.listTemporaryInstances().isEmpty());
    worker.destroyForcibly().waitFor();
    assertThat(platform.listTemporaryInstances().get(0).status()).as("killed mid-restore").isNotEqualTo("available");

    worker = startWorker(home, temporalPort, catalogUrl, "worker-2.log");
    // The catalog, as the API reads it: a query could wait on the dead worker's sticky queue.
    PGSimpleDataSource catalogDb = new PGSimpleDataSource();
    catalogDb.setUrl(catalogUrl);
    catalogDb.setUser("postgres");
    RunStore runs = Catalog.open(catalogDb).runs();
    try {
      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
          .until(() -> runs.find(runId).map(r -> "hold".equals(r.step()) || r.phase().terminal()).orElse(false));
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      Files.writeString(home.resolve("history.txt"), client.fetchHistory(runId).getHistory().toString());
      throw e;
    }
    RunState held = runs.find(runId).orElseThrow();
    assertThat(held.phase()).as(String.valueOf(held.error())).isEqualTo(RunPhase.RUNNING);
    List<InstanceInfo> temporaries = platform.listInstances().stream().filter(InstanceInfo::temporary).toList();
    assertThat(temporaries).hasSize(1);
    assertThat(temporaries.get(0).runId()).isEqualTo(runId);
    assertThat(RestoreEndToEndIT.portOpen(held.endpoint().port())).isTrue();

    workflow.release(new ReleaseRequest("test", "done"));
    RestoreResult result = WorkflowStub.fromTyped(workflow).getResult(30, java.util.concurrent.TimeUnit.SECONDS,
        RestoreResult.class);
    assertThat(result.endedBy()).isEqualTo("released");
    // about 68 MB: counted exactly unless autovacuum analysed it before the target (then estimated)
    assertThat(java.util.stream.Stream.concat(result.verification().rowCounts().keySet().stream(),
        result.verification().estimatedRowCounts().keySet().stream())).contains("orders.filler");
    assertThat(platform.listInstances().stream().filter(InstanceInfo::temporary)).isEmpty();
    assertThat(runs.find(runId).orElseThrow().phase()).isEqualTo(RunPhase.SUCCEEDED);
  }

  @Test
  void tableImport_whenTheWorkerIsKilledMidCopy_leavesNoPartialRows_andTheRetriedRunFinishes() throws Exception {
    Path home = DevStack.testHome("import-crash");
    int temporalPort = DevStack.freePort();
    temporal = TestServer.createPortBoundServer(temporalPort, true);
    platform = new LocalPlatform(LocalPlatformConfig.defaults(home.resolve("platform")));
    String catalogUrl = new DemoFleet(platform, Clock.systemUTC()).ensure();
    var primary = platform.findInstance(DemoFleet.PRIMARY).orElseThrow().endpoint();
    int rows = 1_000_000;
    execute(primary, "create table payments.crash_probe (id int primary key, pad text not null);"
        + " insert into payments.crash_probe select g, md5(g::text) from generate_series(1, " + rows + ") g");
    Thread.sleep(500);
    Instant target = Instant.now();
    Thread.sleep(500);
    execute(primary, "delete from payments.crash_probe where id % 4 = 0");
    var analytics = platform.findInstance(DemoFleet.ANALYTICS).orElseThrow().endpoint();
    await().atMost(Duration.ofSeconds(60)).until(() -> count(analytics, "payments.crash_probe") == rows * 3 / 4);

    WorkflowClient client = WorkflowClient.newInstance(WorkflowServiceStubs.newServiceStubs(
        WorkflowServiceStubsOptions.newBuilder().setTarget("127.0.0.1:" + temporalPort).build()));
    worker = startWorker(home, temporalPort, catalogUrl, "worker-1.log");
    String runId = "tables-techcorp-primary-crash001";
    TableRecoveryWorkflow workflow = client.newWorkflowStub(TableRecoveryWorkflow.class,
        WorkflowOptions.newBuilder().setWorkflowId(runId).setTaskQueue(PointInTimeRestoreWorkflow.TASK_QUEUE).build());
    WorkflowClient.start(workflow::recover, new TableRecoveryRequest(DemoFleet.PRIMARY, target,
        List.of(new TableRef("payments", "crash_probe")), ImportMode.INSERT_MISSING, false, SchemaDriftPolicy.REFUSE,
        DemoFleet.ANALYTICS, Duration.ofHours(1), Duration.ofDays(1), "crash test", "test"));

    // Kill it while the import's COPY streams into the primary.
    await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(10))
        .until(() -> count(primary, "pg_stat_activity where state = 'active' and query ilike 'copy%from stdin%'") > 0);
    worker.destroyForcibly().waitFor();
    await().atMost(Duration.ofSeconds(30))
        .until(() -> count(primary, "pg_stat_activity where query ilike 'copy%from stdin%'") == 0);
    assertThat(count(primary, "payments.crash_probe")).as("no partial rows").isEqualTo(rows * 3 / 4);

    worker = startWorker(home, temporalPort, catalogUrl, "worker-2.log");
    PGSimpleDataSource catalogDb = new PGSimpleDataSource();
    catalogDb.setUrl(catalogUrl);
    catalogDb.setUser("postgres");
    RunStore runs = Catalog.open(catalogDb).runs();
    await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250))
        .until(() -> runs.find(runId).map(r -> r.phase().terminal()).orElse(false));
    RunState done = runs.find(runId).orElseThrow();
    assertThat(done.phase()).as(String.valueOf(done.error())).isEqualTo(RunPhase.SUCCEEDED);
    assertThat(count(primary, "payments.crash_probe")).isEqualTo(rows);
    assertThat(count(primary, "payments.crash_probe where id % 4 = 0")).isEqualTo(rows / 4);
    assertThat(platform.listInstances().stream().filter(InstanceInfo::temporary)).isEmpty();
  }

  @Test
  void failover_whenTheWorkerIsKilledAfterThePromotion_resumesAndSwitchesOnce_withoutPromotingAgain()
      throws Exception {
    Path home = DevStack.testHome("failover-crash");
    int temporalPort = DevStack.freePort();
    temporal = TestServer.createPortBoundServer(temporalPort, true);
    platform = new LocalPlatform(LocalPlatformConfig.defaults(home.resolve("platform")));
    String catalogUrl = new DemoFleet(platform, Clock.systemUTC()).ensure();
    int oldPort = platform.findInstance(DemoFleet.PRIMARY).orElseThrow().endpoint().port();
    var replica = platform.findInstance(DemoFleet.REPLICA).orElseThrow().endpoint();

    WorkflowClient client = WorkflowClient.newInstance(WorkflowServiceStubs.newServiceStubs(
        WorkflowServiceStubsOptions.newBuilder().setTarget("127.0.0.1:" + temporalPort).build()));
    worker = startWorker(home, temporalPort, catalogUrl, "worker-1.log");
    String runId = "failover-techcorp-primary-crash001";
    FailoverWorkflow workflow = client.newWorkflowStub(FailoverWorkflow.class,
        WorkflowOptions.newBuilder().setWorkflowId(runId).setTaskQueue(PointInTimeRestoreWorkflow.TASK_QUEUE).build());
    WorkflowClient.start(workflow::failover, new FailoverRequest(DemoFleet.PRIMARY, FailoverMode.PROMOTE_REPLICA,
        DemoFleet.REPLICA, "techcorp", Duration.ofMinutes(1), false, true, Duration.ofMinutes(5), "crash test",
        "admin"));
    PGSimpleDataSource catalogDb = new PGSimpleDataSource();
    catalogDb.setUrl(catalogUrl);
    catalogDb.setUser("postgres");
    RunStore runs = Catalog.open(catalogDb).runs();

    // Kill it once the promotion is done and the repoint (a replica restart, seconds) has begun:
    // the switch has not happened yet.
    await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(10))
        .until(() -> runs.find(runId).map(r -> "repoint".equals(r.step()) || r.phase().terminal()).orElse(false));
    worker.destroyForcibly().waitFor();
    assertThat(runs.find(runId).orElseThrow().phase()).isEqualTo(RunPhase.RUNNING);
    assertThat(timeline(replica)).as("promoted once").isEqualTo(2);
    assertThat(platform.pgBouncer().routes()).filteredOn(r -> r.database().equals("techcorp"))
        .singleElement().satisfies(route -> assertThat(route.port()).as("not switched yet").isEqualTo(oldPort));

    worker = startWorker(home, temporalPort, catalogUrl, "worker-2.log");
    await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250))
        .until(() -> runs.find(runId).map(r -> r.phase().terminal()).orElse(false));
    RunState done = runs.find(runId).orElseThrow();
    assertThat(done.phase()).as(String.valueOf(done.error())).isEqualTo(RunPhase.SUCCEEDED);
    assertThat(timeline(replica)).as("not promoted a second time").isEqualTo(2);
    assertThat(platform.pgBouncer().check("techcorp").port()).isEqualTo(replica.port());
    assertThat(platform.pgBouncer().routes()).filteredOn(r -> r.database().equals("techcorp")).hasSize(1);
    assertThat(done.steps()).extracting(StepState::name).containsExactly("preflight", "fence", "promote", "repoint",
        "switch", "report");
  }

  private static long timeline(dev.lifeboat.common.model.Endpoint endpoint) throws Exception {
    try (Connection c = DriverManager.getConnection(endpoint.jdbcUrl(), "postgres", "");
        Statement s = c.createStatement();
        java.sql.ResultSet rs = s.executeQuery("select timeline_id from pg_control_checkpoint()")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static void execute(dev.lifeboat.common.model.Endpoint endpoint, String sql) throws Exception {
    try (Connection c = DriverManager.getConnection(endpoint.jdbcUrl(), "postgres", "");
        Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  private static long count(dev.lifeboat.common.model.Endpoint endpoint, String from) throws Exception {
    try (Connection c = DriverManager.getConnection(endpoint.jdbcUrl(), "postgres", "");
        Statement s = c.createStatement(); java.sql.ResultSet rs = s.executeQuery("select count(*) from " + from)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static RunState stateOf(PointInTimeRestoreWorkflow workflow) {
    return workflow.state();
  }

  private static Process startWorker(Path home, int temporalPort, String catalogUrl, String log) throws Exception {
    Path jar = Path.of("target", "lifeboat.jar").toAbsolutePath();
    assertThat(jar).as("the shaded jar (built in the package phase)").exists();
    ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:+UseSerialGC", "-jar", jar.toString(), "worker");
    Map<String, String> env = builder.environment();
    env.put("TEMPORAL_ADDRESS", "127.0.0.1:" + temporalPort);
    env.put("CATALOG_URL", catalogUrl);
    env.put("CATALOG_USER", "postgres");
    env.put("LIFEBOAT_HOME", home.toString());
    env.put("LIFEBOAT_WORKER_PORT", String.valueOf(DevStack.freePort()));
    Path logFile = home.resolve(log);
    Files.deleteIfExists(logFile);
    return builder.redirectErrorStream(true).redirectOutput(logFile.toFile()).start();
  }
}
