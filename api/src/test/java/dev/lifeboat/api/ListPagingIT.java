package dev.lifeboat.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lifeboat.api.testing.ApiFixture;
import dev.lifeboat.api.testing.FakePlatform;
import dev.lifeboat.api.testing.Http.Reply;
import dev.lifeboat.common.model.RunKind;
import dev.lifeboat.common.model.ScheduleSpec;
import dev.lifeboat.common.model.SnapshotInfo;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every list pages with a cursor: all items once, in order, whatever the page size. */
class ListPagingIT {
  private static final List<ScheduleSpec> SCHEDULES = List.of(
      new ScheduleSpec("zeta-retention", "30 4 * * *", "UTC", RunKind.RETENTION, null, null),
      new ScheduleSpec("alpha-retention", "30 5 * * *", "UTC", RunKind.RETENTION, null, null),
      new ScheduleSpec("mid-retention", "30 6 * * *", "UTC", RunKind.RETENTION, null, null));
  private static ApiFixture api;

  @BeforeAll
  static void start() {
    api = ApiFixture.start("list-paging", Clock.systemUTC(), SCHEDULES, SCHEDULES);
    Instant base = Instant.parse("2026-11-20T03:00:00Z");
    for (int day = 0; day < 5; day++) {
      Instant at = base.plusSeconds(86_400L * day);
      api.platform().addSnapshot(new SnapshotInfo("lb-techcorp-primary-2026112" + day + "-0300", FakePlatform.PRIMARY,
          FakePlatform.HOME_REGION, "available", at, at.plusSeconds(60), 1024, Map.of()));
    }
  }

  @AfterAll
  static void stop() {
    if (api != null) {
      api.close();
    }
  }

  @Test
  void snapshots_pageNewestFirst() {
    List<String> all = ids(api.http().get("/v1/snapshots?limit=200").json().get("items"), s -> s.get("id").asText());
    assertThat(all).hasSize(5).isSortedAccordingTo(java.util.Comparator.reverseOrder());
    assertThat(walk("/v1/snapshots?limit=2", s -> s.get("id").asText())).isEqualTo(all);
  }

  @Test
  void instances_pageById() {
    List<String> all = ids(api.http().get("/v1/instances?limit=200").json().get("items"), i -> i.get("id").asText());
    assertThat(all).hasSizeGreaterThan(2).isSorted();
    assertThat(walk("/v1/instances?limit=1", i -> i.get("id").asText())).isEqualTo(all);
  }

  @Test
  void schedules_pageInConfigurationOrder() {
    assertThat(walk("/v1/schedules?limit=2", s -> s.get("id").asText()))
        .containsExactly("zeta-retention", "alpha-retention", "mid-retention");
  }

  @Test
  void cursorOfAnotherList_isRefusedNamingTheField() {
    String cursor = api.http().get("/v1/instances?limit=1").json().get("nextCursor").asText();
    Reply reply = api.http().get("/v1/snapshots?cursor=" + cursor);

    assertThat(reply.status()).isEqualTo(400);
    assertThat(reply.json().get("details").get("field").asText()).isEqualTo("cursor");
  }

  private static List<String> walk(String first, Function<JsonNode, String> id) {
    List<String> seen = new ArrayList<>();
    String path = first;
    for (int pages = 0; pages < 20; pages++) {
      Reply reply = api.http().get(path);
      assertThat(reply.status()).as(reply.body()).isEqualTo(200);
      seen.addAll(ids(reply.json().get("items"), id));
      JsonNode next = reply.json().get("nextCursor");
      if (next == null || next.isNull()) {
        return seen;
      }
      path = first + "&cursor=" + next.asText();
    }
    throw new AssertionError("more than 20 pages: the cursor does not advance");
  }

  private static List<String> ids(JsonNode items, Function<JsonNode, String> id) {
    List<String> ids = new ArrayList<>();
    items.forEach(item -> ids.add(id.apply(item)));
    return ids;
  }
}
