package dev.lifeboat.rds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lifeboat.common.ErrorType;
import dev.lifeboat.common.LifeboatException;
import dev.lifeboat.common.model.Endpoint;
import dev.lifeboat.common.model.InstanceInfo;
import dev.lifeboat.common.model.InstanceRole;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

class RdsDataSourcesTest {
  private static final InstanceInfo TEMP = new InstanceInfo("lb-pitr-1", RdsPlatform.NAME, "us-east-1",
      InstanceRole.TEMPORARY, "available", new Endpoint("lb-pitr-1.abc.us-east-1.rds.amazonaws.com", 5432, "techcorp",
      "lifeboat"), "techcorp-primary", "run-1", null, null);

  private static RdsDataSources dataSources(RdsSettings.Database database, Map<String, String> env) {
    RdsSettings settings = new RdsSettings(
        List.of(new RdsSettings.Region("us-east-1", URI.create("http://127.0.0.1:1"), null, null, 5, 100, null)),
        List.of(new RdsSettings.Instance("techcorp-primary", "techcorp")), Duration.ofSeconds(10),
        Duration.ofSeconds(5), "standard", 3, Duration.ofSeconds(1), database,
        new RdsSettings.Temporary("db.t4g.medium", Map.of(), Map.of()));
    return new RdsDataSources(new RdsContext(new RdsClients(settings), Clock.systemUTC()), env::get);
  }

  @Test
  void dataSource_usesTheEndpointTheUserThePasswordFromTheEnvironmentAndVerifyFull() {
    DataSource ds = dataSources(new RdsSettings.Database("lifeboat", "LIFEBOAT_DB_PASSWORD", false, null),
        Map.of("LIFEBOAT_DB_PASSWORD", "s3cret")).forInstance(TEMP);

    assertThat(ds).isInstanceOfSatisfying(PGSimpleDataSource.class, pg -> {
      assertThat(pg.getServerNames()).containsExactly("lb-pitr-1.abc.us-east-1.rds.amazonaws.com");
      assertThat(pg.getPortNumbers()).containsExactly(5432);
      assertThat(pg.getDatabaseName()).isEqualTo("techcorp");
      assertThat(pg.getUser()).isEqualTo("lifeboat");
      assertThat(pg.getPassword()).isEqualTo("s3cret");
      assertThat(pg.getSslMode()).isEqualTo("verify-full");
    });
  }

  @Test
  void dataSource_withoutThePasswordVariable_isAConfigurationError() {
    assertThatThrownBy(() -> dataSources(new RdsSettings.Database("lifeboat", "LIFEBOAT_DB_PASSWORD", false,
        "disable"), Map.of()).forInstance(TEMP))
        .isInstanceOfSatisfying(LifeboatException.class, e -> {
          assertThat(e.type()).isEqualTo(ErrorType.CONFIGURATION_ERROR);
          assertThat(e.getMessage()).contains("LIFEBOAT_DB_PASSWORD");
        });
  }

  @Test
  void dataSource_withIamAuth_needsNoPassword() {
    DataSource ds = dataSources(new RdsSettings.Database("lifeboat", null, true, "require"), Map.of())
        .forInstance(TEMP);

    assertThat(ds).isInstanceOfSatisfying(PGSimpleDataSource.class, pg -> {
      assertThat(pg.getPassword()).isNull();
      assertThat(pg.getSslMode()).isEqualTo("require");
    });
  }
}
