package dev.lifeboat.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeboat.activities.CatalogActivitiesImpl;
import dev.lifeboat.activities.FailoverActivitiesImpl;
import dev.lifeboat.activities.local.LocalPlatform;
import dev.lifeboat.activities.local.LocalPlatformConfig;
import dev.lifeboat.activities.local.OsUser;
import dev.lifeboat.activities.local.PgBinaries;
import dev.lifeboat.activities.local.ProcessRunner;
import dev.lifeboat.activities.pooler.ExternalPgBouncer;
import dev.lifeboat.activities.testing.ExistingPgBouncer;
import dev.lifeboat.activities.testing.TestPostgres;
import dev.lifeboat.catalog.Catalog;
import dev.lifeboat.common.failover.FailoverMode;
import dev.lifeboat.common.failover.FailoverRequest;
import dev.lifeboat.common.workflow.FailoverWorkflow;
import dev.lifeboat.workflows.FailoverWorkflowImpl;
import io.temporal.client.WorkflowOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A promote-replica failover, the workflow and its real activities, switching the traffic of an
 * existing PgBouncer Lifeboat does not run ({@code pooler.type: pgbouncer}): its included databases
 * file is rewritten (the other entry and the comments kept) and a query through it lands on the
 * promoted replica.
 */
class ExternalPoolerFailoverIT {
  private static final String PRIMARY = "ep-primary";
  private static final String REPLICA = "ep-replica";
  private static final String DB = "techcorp";

  @Test
  void aFailover_switchesTheExistingPgBouncersEntry_toThePromotedReplica() throws Exception {
    Path home = DevStack.testHome("external-pooler-failover");
    LocalPlatform platform = new LocalPlatform(LocalPlatformConfig.defaults(home.resolve("platform")));
    try (TestPostgres catalogDb = TestPostgres.start("external-pooler-catalog");
        TestWorkflowEnvironment temporal = TestWorkflowEnvironment.newInstance()) {
      int primaryPort = platform.createPrimary(PRIMARY, DB).endpoint().port();
      int replicaPort = platform.createReplica(REPLICA, PRIMARY).endpoint().port();
      String databases = """
          ; applications' entries (the DBA team's file)
          techcorp = host=127.0.0.1 port=%d dbname=techcorp pool_size=10
          reporting = host=127.0.0.1 port=%d dbname=techcorp
          """.formatted(primaryPort, replicaPort);
      try (ExistingPgBouncer pgbouncer = ExistingPgBouncer.start(home.resolve("etc-pgbouncer"), databases, Map.of(ExistingPgBouncer.ADMIN_USER, "adm", "postgres", "app"))) {
        ExternalPgBouncer router = new ExternalPgBouncer(new ExternalPgBouncer.Settings(pgbouncer.databasesFile(),
            new ExternalPgBouncer.Login("127.0.0.1", pgbouncer.port(), ExistingPgBouncer.ADMIN_USER, "ADMIN_PW", null),
            new ExternalPgBouncer.Login("127.0.0.1", pgbouncer.port(), "postgres", "CLIENT_PW", "disable"),
            PgBinaries.locate(null).tool("psql"), Duration.ofSeconds(10)), platform,
            new ProcessRunner(OsUser.detect(null)), Map.of("ADMIN_PW", "adm", "CLIENT_PW", "app")::get);
        router.validate();
        Catalog catalog = Catalog.open(catalogDb.dataSource());
        Worker worker = temporal.newWorker(RealActivitiesEnv.TASK_QUEUE);
        worker.registerWorkflowImplementationTypes(FailoverWorkflowImpl.class);
        worker.registerActivitiesImplementations(new FailoverActivitiesImpl(platform, platform.failover(), router),
            new CatalogActivitiesImpl(catalog, Clock.systemUTC()));
        temporal.start();
        FailoverWorkflow workflow = temporal.getWorkflowClient().newWorkflowStub(FailoverWorkflow.class,
            WorkflowOptions.newBuilder().setWorkflowId("failover-" + PRIMARY + "-ext00001")
                .setTaskQueue(RealActivitiesEnv.TASK_QUEUE).build());

        Map<String, Object> result = workflow.failover(new FailoverRequest(PRIMARY, FailoverMode.PROMOTE_REPLICA,
            REPLICA, DB, Duration.ofMinutes(5), false, true, Duration.ofMinutes(30), "external pooler test",
            "alice"));

        assertThat(result).containsEntry("newPrimary", REPLICA);
        assertThat(Files.readString(pgbouncer.databasesFile())).isEqualTo(databases.replace(
            "techcorp = host=127.0.0.1 port=" + primaryPort, "techcorp = host=127.0.0.1 port=" + replicaPort));
        try (Connection c = router.dataSource(DB).getConnection(); Statement st = c.createStatement();
            ResultSet rs = st.executeQuery("select inet_server_port(), pg_is_in_recovery()")) {
          rs.next();
          assertThat(rs.getInt(1)).isEqualTo(replicaPort);
          assertThat(rs.getBoolean(2)).isFalse();
        }
      }
    } finally {
      platform.listInstances().forEach(i -> platform.stop(i.id()));
    }
  }
}
