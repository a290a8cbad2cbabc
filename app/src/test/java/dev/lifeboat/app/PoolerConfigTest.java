package dev.lifeboat.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lifeboat.activities.pooler.ExternalPgBouncer;
import dev.lifeboat.app.cli.WorkerCommand;
import dev.lifeboat.app.config.FileOrResourceSourceProvider;
import dev.lifeboat.app.config.PoolerFactory;
import dev.lifeboat.common.failover.TrafficRouter;
import io.dropwizard.configuration.EnvironmentVariableSubstitutor;
import io.dropwizard.configuration.SubstitutingSourceProvider;
import io.dropwizard.configuration.YamlConfigurationFactory;
import io.dropwizard.jackson.Jackson;
import io.dropwizard.jersey.validation.Validators;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.DropwizardTestSupport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code pooler:}: which router a worker gets, and the settings start-up refuses. */
class PoolerConfigTest {
  @TempDir
  Path dir;

  private static LifeboatConfiguration load(String path) throws Exception {
    return new YamlConfigurationFactory<>(LifeboatConfiguration.class, Validators.newValidator(),
        Jackson.newObjectMapper(), "dw")
        .build(new SubstitutingSourceProvider(new FileOrResourceSourceProvider(),
            new EnvironmentVariableSubstitutor(false)), path);
  }

  private LifeboatConfiguration loadYaml(String yaml) throws Exception {
    Path file = dir.resolve("lifeboat.yml");
    Files.writeString(file, "database: {url: 'jdbc:postgresql://127.0.0.1:5432/lifeboat'}\n" + yaml);
    return load(file.toString());
  }

  @Test
  void rdsYaml_drivesAnExistingPgBouncer_withPasswordsFromTheEnvironment() throws Exception {
    LifeboatConfiguration config = load(Path.of("..", "config", "rds.yml").toString());
    PoolerFactory pooler = config.getPooler();

    assertThat(pooler.effectiveType(true)).isEqualTo(PoolerFactory.PGBOUNCER);
    ExternalPgBouncer router = pooler.buildExternal(null, name -> null);
    assertThat(router).isInstanceOf(TrafficRouter.class);
    ExternalPgBouncer.Settings settings = router.settings();
    assertThat(settings.databasesFile()).isEqualTo(Path.of("/etc/pgbouncer/databases.ini"));
    assertThat(settings.admin()).isEqualTo(new ExternalPgBouncer.Login("127.0.0.1", 6432, "pbadmin",
        "PGBOUNCER_ADMIN_PASSWORD", null));
    assertThat(settings.client().sslMode()).isEqualTo("prefer");
    assertThat(settings.pauseTimeout()).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void noPoolerSection_isTheManagedOneLocally_andNoneOnRds() throws Exception {
    PoolerFactory pooler = loadYaml("").getPooler();

    assertThat(pooler.effectiveType(false)).isEqualTo(PoolerFactory.MANAGED);
    assertThat(pooler.effectiveType(true)).isEqualTo(PoolerFactory.NONE);
  }

  @Test
  void anUnknownType_isRefusedNamingTheAllowedOnes_andManagedOnRdsToo() throws Exception {
    PoolerFactory pooler = loadYaml("pooler: {type: haproxy}\n").getPooler();

    assertThatThrownBy(() -> pooler.effectiveType(true)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("pooler.type 'haproxy'").hasMessageContaining("none, managed, pgbouncer");
    pooler.setType("managed");
    assertThatThrownBy(() -> pooler.effectiveType(true)).hasMessageContaining("on platform.type rds use pgbouncer");
  }

  @Test
  void aWorker_whosePgBouncerDatabasesFileIsMissing_stopsAtStartUp_namingTheKey() throws Exception {
    Path home = DevStack.testHome("pooler-start-up");
    DropwizardTestSupport<LifeboatConfiguration> worker = new DropwizardTestSupport<>(LifeboatApplication.class,
        "lifeboat.yml",
        new SubstitutingSourceProvider(new FileOrResourceSourceProvider(), new EnvironmentVariableSubstitutor(false)),
        "dw.",
        WorkerCommand::new,
        ConfigOverride.config("worker.port", "0"),
        ConfigOverride.config("platform.dataRoot", home.resolve("platform").toString()),
        ConfigOverride.config("pooler.type", "pgbouncer"),
        ConfigOverride.config("pooler.databasesFile", dir.resolve("nosuch.ini").toString()));
    try {
      assertThatThrownBy(worker::before).hasStackTraceContaining("pooler.databasesFile")
          .hasStackTraceContaining("does not exist");
    } finally {
      worker.after();
    }
  }

  @Test
  void pgbouncerWithoutItsFile_orWithABadPauseTimeoutOrSslMode_isRefusedNamingTheKey() throws Exception {
    PoolerFactory pooler = loadYaml("pooler: {type: pgbouncer}\n").getPooler();
    assertThatThrownBy(() -> pooler.buildExternal(null, Map.<String, String>of()::get))
        .hasMessageContaining("pooler.databasesFile is missing");

    pooler.setDatabasesFile(dir.resolve("databases.ini").toString());
    pooler.setPauseTimeout("soon");
    assertThatThrownBy(() -> pooler.buildExternal(null, name -> null)).hasMessageContaining("pooler.pauseTimeout");

    pooler.setPauseTimeout("10s");
    pooler.getClient().setSslMode("maybe");
    assertThatThrownBy(() -> pooler.buildExternal(null, name -> null)).hasMessageContaining("pooler.client.sslMode");

    pooler.getClient().setSslMode("require");
    assertThatThrownBy(() -> pooler.buildExternal(null, name -> null).validate())
        .hasMessageContaining("pooler.databasesFile").hasMessageContaining("does not exist");
  }
}
