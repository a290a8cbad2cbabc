package dev.lifeboat.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lifeboat.api.testing.ApiFixture;
import dev.lifeboat.api.testing.FakePlatform;
import dev.lifeboat.api.testing.Http.Reply;
import dev.lifeboat.api.testing.Http;
import dev.lifeboat.catalog.RunFilter;
import dev.lifeboat.common.model.PreflightCheck;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * POST /v1/preflight answers the platform's findings; a run whose instance or region fails a check
 * is refused with 503 PREFLIGHT_FAILED and nothing starts; a fixed problem stops refusing at once;
 * the findings are series on the admin port.
 */
class PreflightApiIT {
  private static ApiFixture api;
  private static Http admin;

  @BeforeAll
  static void start() {
    api = ApiFixture.start("preflight-api");
    admin = new Http(api.app().getAdminPort());
  }

  @AfterAll
  static void stop() {
    if (api != null) {
      api.close();
    }
  }

  @AfterEach
  void healthy() {
    api.platform().preflightChecks.clear();
  }

  @Test
  void preflight_listsEveryCheck_andSaysWhetherAllPassed() {
    api.platform().preflightChecks.add(PreflightCheck.ok("instance", FakePlatform.PRIMARY, FakePlatform.HOME_REGION,
        "available", Map.of()));
    api.platform().preflightChecks.add(PreflightCheck.warn("snapshot-quota", null, FakePlatform.DR_1,
        "95 of 100 manual snapshots used", Map.of("used", 95, "max", 100)));
    api.platform().preflightChecks.add(PreflightCheck.fail("kms-key", null, FakePlatform.DR_1,
        "key alias/dr is disabled: enable it or configure another", Map.of("keyState", "Disabled")));

    Reply reply = api.http().postJson("/v1/preflight", "", "alice");

    assertThat(reply.status()).as(reply.body()).isEqualTo(200);
    JsonNode body = reply.json();
    assertThat(body.get("ok").asBoolean()).isFalse();
    assertThat(body.get("failed").asLong()).isEqualTo(1);
    assertThat(body.get("warnings").asLong()).isEqualTo(1);
    assertThat(body.get("checks")).hasSize(3);
    assertThat(body.at("/checks/2/status").asText()).isEqualTo("fail");
    assertThat(body.at("/checks/2/details/keyState").asText()).isEqualTo("Disabled");
    assertThat(api.http().postJson("/v1/preflight", "", "victor").status()).as("viewers only read").isEqualTo(403);
  }

  @Test
  void aFailingCheckOfTheRunsInstance_refusesTheRun_withNothingStarted_untilItIsFixed() {
    api.platform().preflightChecks.add(PreflightCheck.fail("automated-backups", FakePlatform.PRIMARY,
        FakePlatform.HOME_REGION, "backup retention is 0 days: point-in-time restore is off", Map.of()));
    long runsBefore = api.catalog().runs().list(new RunFilter(null, null, null), null, 500).items().size();

    Reply refused = api.http().postJson("/v1/snapshots", "{\"instance\": \"techcorp-primary\", \"reason\": \"pf\"}");

    assertThat(refused.status()).as(refused.body()).isEqualTo(503);
    assertThat(refused.json().get("error").asText()).isEqualTo("PREFLIGHT_FAILED");
    assertThat(refused.json().get("message").asText()).contains("automated-backups").contains("retention is 0 days");
    assertThat(refused.json().at("/details/failedChecks/0/check").asText()).isEqualTo("automated-backups");
    assertThat(api.catalog().runs().list(new RunFilter(null, null, null), null, 500).items()).hasSize((int) runsBefore);

    // a finding about a DR region concerns a snapshot copied there (by default: to every DR region), no other
    api.platform().preflightChecks.clear();
    api.platform().preflightChecks.add(PreflightCheck.fail("kms-key", null, FakePlatform.DR_2, "no key", Map.of()));
    assertThat(api.http().postJson("/v1/snapshots", "{\"instance\": \"techcorp-primary\", \"reason\": \"pf2\"}")
        .status()).isEqualTo(503);
    Reply started = api.http().postJson("/v1/snapshots", "{\"instance\": \"techcorp-primary\", \"drRegions\": "
        + "[\"dr-1\"], \"reason\": \"pf3\"}");
    assertThat(started.status()).as(started.body()).isIn(200, 202);
  }

  @Test
  void aFullSnapshotQuota_refusesSnapshots_butNotRestores() {
    api.platform().preflightChecks.add(PreflightCheck.fail("snapshot-quota", null, FakePlatform.HOME_REGION,
        "100 of 100 manual snapshots used", Map.of()));

    Reply snapshot = api.http().postJson("/v1/snapshots", "{\"instance\": \"techcorp-primary\", \"drRegions\": "
        + "[\"dr-1\"], \"reason\": \"quota\"}");
    Reply restore = api.http().postJson("/v1/restores", "{\"instance\": \"techcorp-primary\", \"reason\": \"q\"}");

    assertThat(snapshot.status()).as(snapshot.body()).isEqualTo(503);
    assertThat(restore.status()).as(restore.body()).isNotEqualTo(503);
  }

  @Test
  void findingsAreSeriesOnTheAdminPort() {
    api.platform().preflightChecks.add(PreflightCheck.fail("kms-key", null, FakePlatform.DR_1, "no key", Map.of()));
    assertThat(api.http().postJson("/v1/preflight", "", "alice").status()).isEqualTo(200);

    String metrics = admin.get("/metrics").body();

    assertThat(metrics).contains("lifeboat_preflight_failed_checks 1.0");
    assertThat(metrics).contains("lifeboat_preflight_problem{check=\"kms-key\",instance=\"\",region=\"dr-1\","
        + "status=\"fail\"} 1.0");
  }
}
