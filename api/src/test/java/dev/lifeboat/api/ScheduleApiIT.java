package dev.lifeboat.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lifeboat.api.testing.ApiFixture;
import dev.lifeboat.api.testing.Http.Reply;
import dev.lifeboat.catalog.AuditEntry;
import dev.lifeboat.common.model.RunKind;
import dev.lifeboat.common.model.ScheduleSpec;
import dev.lifeboat.common.model.SnapshotRequest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** /v1/schedules end to end: the describe query and the signals, through the real Temporal client. */
class ScheduleApiIT {
  private static final SnapshotRequest DAILY = new SnapshotRequest("daily", List.of("techcorp-primary"),
      List.of("dr-1"), "lifeboat", "daily snapshot", null, 2);
  private static final ScheduleSpec PAUSABLE = new ScheduleSpec("daily-snapshots", "0 3 * * *", "UTC",
      RunKind.SNAPSHOT, DAILY);
  private static final ScheduleSpec TRIGGERED = new ScheduleSpec("hourly-snapshots", "0 * * * *", "Europe/Zurich",
      RunKind.SNAPSHOT, DAILY);
  private static final ScheduleSpec UNTOUCHED = new ScheduleSpec("nightly-retention", "30 4 * * *", "UTC",
      RunKind.RETENTION, null, null);
  private static ApiFixture api;

  @BeforeAll
  static void start() {
    List<ScheduleSpec> schedules = List.of(PAUSABLE, TRIGGERED, UNTOUCHED);
    api = ApiFixture.start("schedule-api", Clock.systemUTC(), schedules, schedules);
  }

  @AfterAll
  static void stop() {
    if (api != null) {
      api.close();
    }
  }

  @Test
  void list_describesEveryConfiguredScheduleInOrder() {
    Reply reply = api.http().get("/v1/schedules");

    assertThat(reply.status()).as(reply.body()).isEqualTo(200);
    List<String> ids = new ArrayList<>();
    reply.json().get("items").forEach(item -> ids.add(item.get("id").asText()));
    assertThat(ids).containsExactly("daily-snapshots", "hourly-snapshots", "nightly-retention");
  }

  @Test
  void get_describesTheSchedule() {
    Reply reply = api.http().get("/v1/schedules/nightly-retention");

    assertThat(reply.status()).as(reply.body()).isEqualTo(200);
    JsonNode schedule = reply.json();
    assertThat(schedule.get("id").asText()).isEqualTo("nightly-retention");
    assertThat(schedule.get("cron").asText()).isEqualTo("30 4 * * *");
    assertThat(schedule.get("timeZone").asText()).isEqualTo("UTC");
    assertThat(schedule.get("kind").asText()).isEqualTo("retention");
    assertThat(schedule.get("paused").asBoolean()).isFalse();
    assertThat(schedule.get("pausedReason").isNull()).isTrue();
    assertThat(schedule.get("nextFireTimes")).hasSize(2);
    assertThat(schedule.get("nextFireTimes").get(0).asText()).endsWith("04:30:00Z");
    assertThat(schedule.get("recent")).isEmpty();
    assertThat(schedule.get("fires").asLong()).isZero();
    assertThat(schedule.get("skips").asLong()).isZero();
  }

  @Test
  void pauseThenResume_isSeenByTheScheduleAndAudited() {
    Reply paused = api.http().postJson("/v1/schedules/daily-snapshots/pause", "{\"reason\": \"region maintenance\"}",
        "carol");

    assertThat(paused.status()).as(paused.body()).isEqualTo(202);
    assertThat(paused.json().get("id").asText()).isEqualTo("daily-snapshots");
    JsonNode described = awaitSchedule("daily-snapshots", s -> s.get("paused").asBoolean());
    assertThat(described.get("pausedReason").asText()).isEqualTo("region maintenance (paused by carol)");
    List<AuditEntry> audit = api.catalog().audit().list(null, null, null, 200).items();
    assertThat(audit).anySatisfy(entry -> {
      assertThat(entry.action()).isEqualTo("POST /v1/schedules/{id}/pause");
      assertThat(entry.request()).contains("region maintenance");
      assertThat(entry.status()).isEqualTo(202);
    });

    Reply resumed = api.http().postEmptyAs("carol", "/v1/schedules/daily-snapshots/resume");

    assertThat(resumed.status()).as(resumed.body()).isEqualTo(202);
    JsonNode after = awaitSchedule("daily-snapshots", s -> !s.get("paused").asBoolean());
    assertThat(after.get("pausedReason").isNull()).isTrue();
  }

  @Test
  void pause_withoutReason_isRejectedAndChangesNothing() {
    Reply reply = api.http().postJson("/v1/schedules/hourly-snapshots/pause", "{}", "carol");

    assertThat(reply.status()).isEqualTo(400);
    assertThat(reply.json().get("error").asText()).isEqualTo("INVALID_REQUEST");
    assertThat(reply.json().get("details").get("field").asText()).isEqualTo("reason");
    assertThat(api.http().get("/v1/schedules/hourly-snapshots").json().get("paused").asBoolean()).isFalse();
  }

  @Test
  void trigger_firesTheScheduleOnce() {
    Reply reply = api.http().postEmptyAs("carol", "/v1/schedules/hourly-snapshots/trigger");

    assertThat(reply.status()).as(reply.body()).isEqualTo(202);
    assertThat(reply.json().get("cron").asText()).isEqualTo("0 * * * *");
    JsonNode described = awaitSchedule("hourly-snapshots", s -> s.get("fires").asLong() == 1);
    JsonNode fire = described.get("recent").get(0);
    assertThat(fire.get("trigger").asText()).isEqualTo("trigger");
    assertThat(fire.get("outcome").asText()).isEqualTo("started");
    assertThat(fire.get("runId").asText()).isNotBlank();
    assertThat(fire.get("firedAt").asText()).endsWith("Z");
  }

  @Test
  void unknownSchedule_is404NamingTheKnownOnes() {
    for (Reply reply : List.of(
        api.http().get("/v1/schedules/weekly-snapshots"),
        api.http().postEmptyAs("carol", "/v1/schedules/weekly-snapshots/trigger"),
        api.http().postEmptyAs("carol", "/v1/schedules/weekly-snapshots/resume"),
        api.http().postJson("/v1/schedules/weekly-snapshots/pause", "{}", "carol"))) {
      assertThat(reply.status()).as(reply.body()).isEqualTo(404);
      assertThat(reply.json().get("error").asText()).isEqualTo("SCHEDULE_NOT_FOUND");
      assertThat(reply.json().get("details").get("schedules").toString()).contains("daily-snapshots");
    }
  }

  /** The schedule once the condition holds: a signal is handled after the API has answered. */
  private static JsonNode awaitSchedule(String id, Predicate<JsonNode> condition) {
    Instant until = Instant.now().plusSeconds(10);
    JsonNode last = null;
    while (Instant.now().isBefore(until)) {
      Reply reply = api.http().get("/v1/schedules/" + id);
      assertThat(reply.status()).as(reply.body()).isEqualTo(200);
      last = reply.json();
      if (condition.test(last)) {
        return last;
      }
      try {
        Thread.sleep(Duration.ofMillis(50).toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    throw new AssertionError("schedule " + id + " never reached the expected state: " + last);
  }
}
