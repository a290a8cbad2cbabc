package dev.lifeboat.app.cli;

import dev.lifeboat.activities.local.LocalPlatform;
import dev.lifeboat.activities.local.LocalPlatformConfig;
import dev.lifeboat.app.LifeboatConfiguration;
import dev.lifeboat.app.dev.DemoFleet;
import dev.lifeboat.fakerds.FakeRds;
import dev.lifeboat.fakerds.FakeRdsOptions;
import io.dropwizard.core.cli.ConfiguredCommand;
import io.dropwizard.core.setup.Bootstrap;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import net.sourceforge.argparse4j.inf.Argument;
import net.sourceforge.argparse4j.inf.Namespace;
import net.sourceforge.argparse4j.inf.Subparser;

/**
 * {@code lifeboat fake-rds}: the RDS Query API on loopback over a demo fleet of real local clusters
 * (its own, beside {@code lifeboat dev}'s), for trying the RDS platform and its configuration
 * without AWS. Test and demo use only. Faults can be set at start or later through
 * {@code POST /_fake/faults}; {@code GET /_fake/stats} counts calls and copies in flight.
 */
public final class FakeRdsCommand extends ConfiguredCommand<LifeboatConfiguration> {
  public FakeRdsCommand() {
    super("fake-rds", "Serves the RDS Query API on loopback over a local demo fleet (tests and demos only)");
  }

  @Override
  protected Argument addFileArgument(Subparser subparser) {
    return super.addFileArgument(subparser).setDefault(RoleCommand.DEFAULT_CONFIG)
        .help("configuration file (default: the built-in " + RoleCommand.DEFAULT_CONFIG + "); its platform section"
            + " gives the data root, binaries and region names");
  }

  @Override
  public void configure(Subparser subparser) {
    super.configure(subparser);
    subparser.addArgument("--port").type(Integer.class).setDefault(4599).help("port on 127.0.0.1 (default 4599)");
    subparser.addArgument("--throttle-every").type(Integer.class).setDefault(0)
        .help("answer every N-th call with Throttling: Rate exceeded (0: never)");
    subparser.addArgument("--latency-ms").type(Integer.class).setDefault(0).help("added to every answer");
    subparser.addArgument("--copy-delay-ms").type(Integer.class).setDefault(0)
        .help("each snapshot copy stays `copying` at least this long");
    subparser.addArgument("--manual-snapshot-quota").type(Integer.class).setDefault(100)
        .help("manual snapshots per region before SnapshotQuotaExceeded");
    subparser.addArgument("--stuck-copies").type(Boolean.class).setDefault(false)
        .help("copies never finish (to watch Lifeboat give up on them)");
  }

  @Override
  protected void run(Bootstrap<LifeboatConfiguration> bootstrap, Namespace namespace,
      LifeboatConfiguration configuration) throws Exception {
    Clock clock = Clock.systemUTC();
    LocalPlatformConfig base = configuration.getPlatform().buildLocal(clock).config();
    Path root = base.dataRoot().resolveSibling("fake-rds");
    LocalPlatform local = new LocalPlatform(new LocalPlatformConfig(root, base.binDir(), base.osUser(), base.region(),
        base.archiveTimeout(), null, clock, base.drRegions()));
    DemoFleet fleet = new DemoFleet(local, clock);
    fleet.ensure();
    FakeRdsOptions options = FakeRdsOptions.defaults(local, DemoFleet.MANAGED).withPort(namespace.getInt("port"))
        .withManualSnapshotQuota(namespace.getInt("manual_snapshot_quota"));
    FakeRds fake = FakeRds.start(options);
    fake.faults().throttleEveryNth(namespace.getInt("throttle_every"));
    fake.faults().latency(Duration.ofMillis(namespace.getInt("latency_ms")));
    fake.faults().copyDelay(Duration.ofMillis(namespace.getInt("copy_delay_ms")));
    fake.faults().stuckCopies(namespace.getBoolean("stuck_copies"));
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      fake.close();
      fleet.stopAll();
      stopped.countDown();
    }, "fake-rds-stop"));
    System.out.println();
    System.out.println("fake RDS  " + fake.endpoint() + "   (regions " + local.config().regions() + ", account "
        + options.accountId() + ", subnet group " + options.subnetGroup() + ", security groups "
        + options.securityGroups() + ")");
    System.out.println("KMS keys  " + options.kmsKeyByRegion());
    System.out.println("instances " + DemoFleet.MANAGED + ", database " + DemoFleet.DATABASE + ", user postgres");
    System.out.println("faults    POST " + fake.endpoint() + "/_fake/faults   stats GET " + fake.endpoint()
        + "/_fake/stats");
    System.out.println("point Lifeboat at it with platform.rds.regions[].endpoint (config/rds.yml shows the shape); Ctrl-C stops");
    stopped.await();
  }
}
