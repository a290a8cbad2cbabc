package dev.lifeboat.api.preflight;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeboat.api.testing.FakePlatform;
import dev.lifeboat.common.model.PreflightCheck;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PreflightTest {
  @Test
  void run_reportsThePoolersChecksAfterThePlatforms_andAFailingPoolerCheckFailsIt() {
    Clock clock = Clock.systemUTC();
    FakePlatform platform = new FakePlatform(clock);
    PreflightCheck pooler = PreflightCheck.fail("pooler-databases-file", null, null,
        "/etc/pgbouncer/databases.ini is not writable", Map.of());

    Preflight.Result result = new Preflight(platform, () -> List.of(pooler), clock).run();

    assertThat(result.checks()).containsAll(platform.preflight()).endsWith(pooler);
    assertThat(result.ok()).isFalse();
    assertThat(new Preflight(platform, clock).run().checks()).doesNotContain(pooler);
  }
}
