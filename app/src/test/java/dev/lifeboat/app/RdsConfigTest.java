package dev.lifeboat.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lifeboat.app.config.FileOrResourceSourceProvider;
import dev.lifeboat.rds.RdsSettings;
import io.dropwizard.configuration.EnvironmentVariableSubstitutor;
import io.dropwizard.configuration.SubstitutingSourceProvider;
import io.dropwizard.configuration.YamlConfigurationFactory;
import io.dropwizard.jackson.Jackson;
import io.dropwizard.jersey.validation.Validators;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** config/rds.yml, the production fleet on Amazon RDS, parses into the RDS platform's settings. */
class RdsConfigTest {
  private static LifeboatConfiguration load(String path) throws Exception {
    return new YamlConfigurationFactory<>(LifeboatConfiguration.class, Validators.newValidator(),
        Jackson.newObjectMapper(), "dw")
        .build(new SubstitutingSourceProvider(new FileOrResourceSourceProvider(),
            new EnvironmentVariableSubstitutor(false)), path);
  }

  @Test
  void sampleRdsConfiguration_namesTheFleetByRdsIdentifier_withHomeAndDrRegions() throws Exception {
    LifeboatConfiguration config = load(Path.of("..", "config", "rds.yml").toString());

    assertThat(config.getPlatform().isRds()).isTrue();
    RdsSettings rds = config.getPlatform().getRds().settings();
    assertThat(rds.regions()).extracting(RdsSettings.Region::name).containsExactly("us-east-1", "us-west-2");
    assertThat(rds.home().exports().bucket()).isNotBlank();
    assertThat(rds.region("us-west-2").orElseThrow().kmsKeyId()).startsWith("arn:aws:kms:us-west-2:");
    assertThat(rds.instances()).extracting(RdsSettings.Instance::id)
        .contains("techcorp-primary", "techcorp-replica-1", "techcorp-analytics");
    assertThat(rds.instances()).extracting(RdsSettings.Instance::database).containsOnly("techcorp");
    assertThat(rds.retryMode()).isEqualTo("adaptive");
    assertThat(rds.apiCallTimeout()).isEqualTo(Duration.ofMinutes(2));
    assertThat(rds.apiCallAttemptTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(rds.temporary().subnetGroupByRegion()).containsKeys("us-east-1", "us-west-2");
    assertThat(rds.drPrimary().configured("us-west-2")).isTrue();
    assertThat(rds.drPrimary().multiAz()).isTrue();
    assertThat(rds.drPrimary().parameterGroupByRegion()).containsEntry("us-west-2", "techcorp-pg15");
    assertThat(rds.database().sslMode()).isEqualTo("verify-full");
    assertThat(config.getTableRecovery().getExportStore()).isEqualTo("s3");
    assertThat(config.getSchedules()).anySatisfy(s -> assertThat(s.getDrRegions()).isEqualTo(List.of("us-west-2")));
  }

  @Test
  void anRdsPlatformWithoutItsSection_orAnUnknownRetryMode_stopsStartUpNamingTheKey() throws Exception {
    LifeboatConfiguration config = load(Path.of("..", "config", "rds.yml").toString());
    config.getPlatform().getRds().setRetryMode("eager");
    assertThatThrownBy(() -> config.getPlatform().getRds().settings()).hasMessageContaining("platform.rds.retryMode");
    config.getPlatform().setRds(null);
    assertThatThrownBy(() -> config.getPlatform().buildRds(java.time.Clock.systemUTC()))
        .hasMessageContaining("platform.rds is missing");
  }
}
