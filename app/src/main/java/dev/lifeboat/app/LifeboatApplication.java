package dev.lifeboat.app;

import dev.lifeboat.activities.local.LocalPlatform;
import dev.lifeboat.activities.pooler.ExternalPgBouncer;
import dev.lifeboat.api.ApiContext;
import dev.lifeboat.api.LifeboatApi;
import dev.lifeboat.api.auth.AuthSettings;
import dev.lifeboat.app.cli.ApiServerCommand;
import dev.lifeboat.app.cli.DevCommand;
import dev.lifeboat.app.cli.FakeRdsCommand;
import dev.lifeboat.app.cli.WorkerCommand;
import dev.lifeboat.app.config.DrillsFactory;
import dev.lifeboat.app.config.FileOrResourceSourceProvider;
import dev.lifeboat.app.config.PlatformFactory;
import dev.lifeboat.app.config.PoolerFactory;
import dev.lifeboat.app.config.ScheduleFactory;
import dev.lifeboat.app.dev.DemoFleet;
import dev.lifeboat.app.dev.DemoWriteLoad;
import dev.lifeboat.app.dev.DevBanner;
import dev.lifeboat.app.dev.DevRds;
import dev.lifeboat.app.dev.DevTokens;
import dev.lifeboat.app.dev.EmbeddedTemporal;
import dev.lifeboat.catalog.Catalog;
import dev.lifeboat.common.failover.FailoverOperations;
import dev.lifeboat.common.failover.TrafficRouter;
import dev.lifeboat.common.model.DrillSettings;
import dev.lifeboat.common.model.ScheduleSpec;
import dev.lifeboat.common.platform.Platform;
import dev.lifeboat.rds.RdsFailover;
import dev.lifeboat.rds.RdsPlatform;
import dev.lifeboat.worker.LifeboatWorker;
import io.dropwizard.configuration.EnvironmentVariableSubstitutor;
import io.dropwizard.configuration.SubstitutingSourceProvider;
import io.dropwizard.core.Application;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.db.ManagedDataSource;
import io.dropwizard.lifecycle.Managed;
import io.temporal.client.WorkflowClient;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The {@code lifeboat} launcher: commands {@code dev}, {@code server} and {@code worker}. */
public class LifeboatApplication extends Application<LifeboatConfiguration> {
  private static final Logger log = LoggerFactory.getLogger(LifeboatApplication.class);

  public static void main(String[] args) throws Exception {
    // Client commands (restore, runs, approve ...) talk to the API and must start fast and quietly:
    // they never reach Dropwizard. Fully qualified to leave the imports alone.
    if (dev.lifeboat.app.client.LifeboatCli.handles(args)) {
      System.exit(dev.lifeboat.app.client.LifeboatCli.run(args));
    }
    new LifeboatApplication().run(args);
  }

  /** Closes {@code resource} when the application stops. */
  private static Managed closing(AutoCloseable resource) {
    return new Managed() {
      @Override
      public void stop() throws Exception {
        resource.close();
      }
    };
  }

  @Override
  public String getName() {
    return "lifeboat";
  }

  @Override
  protected void addDefaultCommands(Bootstrap<LifeboatConfiguration> bootstrap) {
    bootstrap.addCommand(new DevCommand(this));
    bootstrap.addCommand(new ApiServerCommand(this));
    bootstrap.addCommand(new WorkerCommand(this));
    bootstrap.addCommand(new FakeRdsCommand());
  }

  @Override
  public void initialize(Bootstrap<LifeboatConfiguration> bootstrap) {
    bootstrap.setConfigurationSourceProvider(new SubstitutingSourceProvider(
        new FileOrResourceSourceProvider(), new EnvironmentVariableSubstitutor(false)));
  }

  @Override
  public void run(LifeboatConfiguration config, Environment environment) {
    long started = System.nanoTime();
    Clock clock = Clock.systemUTC();
    LifeboatApi.useOwnErrorBodies(config);

    EmbeddedTemporal embedded = null;
    if (config.isDevMode()) {
      embedded = new EmbeddedTemporal(config.getDev().getTemporalPort()).startNow();
      environment.lifecycle().manage(embedded);
      config.getTemporal().setTarget(embedded.target());
    }

    PlatformFactory platforms = config.getPlatform();
    boolean rds = platforms.isRds();
    Platform platform;
    LocalPlatform local = null;
    FailoverOperations failover;
    TrafficRouter router;
    if (rds && !config.isDevMode()) {
      RdsPlatform rdsPlatform = platforms.buildRds(clock);
      environment.lifecycle().manage(closing(rdsPlatform));
      platform = rdsPlatform;
      failover = new RdsFailover(rdsPlatform.clients(), rdsPlatform::dataSource, clock);
      // the production pooler is not Lifeboat's to run: an existing PgBouncer when pooler.type says so, below
      router = TrafficRouter.UNAVAILABLE;
    } else {
      local = platforms.buildLocal(clock);
      platform = local;
      failover = local.failover();
      router = local.pgBouncer();
    }
    URI fakeRds = null;
    if (config.isDevMode()) {
      DemoFleet fleet = new DemoFleet(local, clock);
      // Registered before everything that uses the fleet, so it is stopped after all of them.
      environment.lifecycle().manage(new Managed() {
        @Override
        public void stop() {
          fleet.stopAll();
        }
      });
      String catalogUrl = fleet.ensure();
      config.getDatabase().setUrl(catalogUrl);
      config.getDatabase().setUser("postgres");
      config.getDatabase().setPassword("");
      if (rds) {
        DevRds devRds = DevRds.start(local, DemoFleet.MANAGED, DemoFleet.DATABASES, config.getDev().getFakeRdsPort(),
            clock);
        environment.lifecycle().manage(closing(devRds));
        platform = devRds.platform();
        failover = devRds.failover();
        fakeRds = devRds.fake().endpoint();
      }
    }

    PoolerFactory pooler = config.getPooler();
    ExternalPgBouncer external = null;
    if (config.isDevMode()) {
      if (pooler.getType() != null && !PoolerFactory.MANAGED.equals(pooler.getType())) {
        log.warn("pooler.type {} is ignored by lifeboat dev: it switches the PgBouncer it runs itself",
            pooler.getType());
      }
    } else {
      switch (pooler.effectiveType(rds)) {
        case PoolerFactory.NONE -> router = TrafficRouter.UNAVAILABLE;
        case PoolerFactory.PGBOUNCER -> {
          external = pooler.buildExternal(platform, System::getenv);
          if (config.getRoles().contains(Role.WORKER)) {
            // the worker writes the databases file: it must be there and writable before the worker takes work
            external.validate();
          }
          router = external;
        }
        default -> {
          // managed: the local platform's own PgBouncer, chosen above
        }
      }
    }

    ManagedDataSource dataSource = config.getDatabase().build(environment.metrics(), "catalog");
    environment.lifecycle().manage(dataSource);
    Catalog catalog = Catalog.open(dataSource);
    WorkflowClient client = config.getTemporal().build(environment.lifecycle());
    String taskQueue = config.getTemporal().getTaskQueue();

    List<ScheduleSpec> schedules = config.getSchedules().stream().map(ScheduleFactory::build).toList();
    DrillSettings drills = config.getDrills().settings();
    DrillsFactory.checkSchedules(schedules, drills);
    if (config.getRoles().contains(Role.WORKER)) {
      environment.lifecycle().manage(new LifeboatWorker(client, taskQueue, platform, catalog, clock,
          config.getTableRecovery().exportStore(platform)).withDrills(drills).withFailover(failover, router));
      environment.lifecycle().manage(new ScheduleStarter(client, taskQueue, schedules, platform));
      OrphanSweeper sweeper = new OrphanSweeper(client, platform, catalog.runs(), clock, router);
      environment.lifecycle().manage(new Managed() {
        @Override
        public void start() {
          try {
            sweeper.sweep();
          } catch (RuntimeException e) {
            log.warn("could not look for orphaned temporary instances: {}", e.getMessage());
          }
        }
      });
    }
    DevTokens devTokens = config.isDevMode() ? DevTokens.ensure(Path.of(config.getDev().getHome())) : null;
    if (config.getRoles().contains(Role.API)) {
      AuthSettings auth = config.getAuth().settings(devTokens == null ? List.of() : devTokens.staticTokens());
      if (auth.tokens().isEmpty() && auth.jwt() == null) {
        log.warn("auth: no tokens and no JWT issuer are configured, so every API request will be refused with 401; "
            + "add auth.tokens (lifeboat token --name NAME --role ROLE prints one) or auth.jwt");
      }
      ExternalPgBouncer checked = external;
      boolean writesFile = config.getRoles().contains(Role.WORKER);
      LifeboatApi.register(environment, new ApiContext(client, taskQueue, platform, catalog, clock,
          config.getRestore(), schedules, config.getTableRecovery().settings(), new PgCatalogTableCheck(platform),
          drills, auth, checked == null ? List::of : () -> checked.preflight(writesFile)));
    }
    if (config.isDevMode()) {
      if (config.getDev().isWriteLoad()) {
        // through PgBouncer, as applications write: after a failover the load follows the new primary
        environment.lifecycle().manage(new DemoWriteLoad(local.pgBouncer().isRunning()
            ? local.pgBouncer().dataSource(DemoFleet.DATABASE) : local.dataSource(DemoFleet.PRIMARY)));
      }
      DevBanner banner = new DevBanner(config, local, embedded, started, devTokens).withFakeRds(fakeRds);
      environment.lifecycle().addServerLifecycleListener(jetty -> banner.print());
    }
  }
}
