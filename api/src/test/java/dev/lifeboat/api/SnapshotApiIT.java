package dev.lifeboat.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lifeboat.api.testing.ApiFixture;
import dev.lifeboat.api.testing.FakePlatform;
import dev.lifeboat.api.testing.HoldingSnapshotWorkflow;
import dev.lifeboat.api.testing.Http.Reply;
import dev.lifeboat.api.testing.StartAssertions;
import dev.lifeboat.api.testing.TestClock;
import dev.lifeboat.catalog.AuditEntry;
import dev.lifeboat.catalog.RunFilter;
import dev.lifeboat.common.model.RunKind;
import dev.lifeboat.common.model.RunPhase;
import dev.lifeboat.common.model.RunState;
import dev.lifeboat.common.model.SnapshotInfo;
import dev.lifeboat.common.model.SnapshotRequest;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** POST and GET /v1/snapshots end to end: one run per instance and minute, copies beside their snapshot. */
class SnapshotApiIT {
  private static final TestClock CLOCK = new TestClock(Instant.parse("2026-11-24T10:31:17Z"));
  private static final String NEWEST = "lb-techcorp-primary-20261124-0300";
  private static final String OLDER = "lb-techcorp-primary-20261120-0300";
  private static final String REPLICA_SNAPSHOT = "lb-techcorp-replica-1-20261124-0200";
  private static ApiFixture api;

  @BeforeAll
  static void start() {
    api = ApiFixture.start("snapshot-api", CLOCK, List.of(), List.of());
    FakePlatform platform = api.platform();
    platform.addSnapshot(snapshot(OLDER, FakePlatform.PRIMARY, FakePlatform.HOME_REGION, "available",
        "2026-11-20T03:00:00Z", Map.of("policy", "daily")));
    platform.addSnapshot(snapshot(OLDER, FakePlatform.PRIMARY, FakePlatform.DR_1, "available",
        "2026-11-20T03:00:00Z", Map.of()));
    platform.addSnapshot(snapshot(NEWEST, FakePlatform.PRIMARY, FakePlatform.HOME_REGION, "available",
        "2026-11-24T03:00:00Z", Map.of("policy", "daily")));
    platform.addSnapshot(snapshot(NEWEST, FakePlatform.PRIMARY, FakePlatform.DR_1, "available",
        "2026-11-24T03:00:00Z", Map.of()));
    platform.addSnapshot(snapshot(NEWEST, FakePlatform.PRIMARY, FakePlatform.DR_2, "creating",
        "2026-11-24T03:00:00Z", Map.of()));
    platform.addSnapshot(snapshot(REPLICA_SNAPSHOT, FakePlatform.REPLICA, FakePlatform.HOME_REGION, "available",
        "2026-11-24T02:00:00Z", Map.of()));
  }

  @AfterAll
  static void stop() {
    if (api != null) {
      api.close();
    }
  }

  /** Every test starts in a minute of its own, so no two tests name the same snapshot run. */
  @BeforeEach
  void nextMinute() {
    CLOCK.advance(Duration.ofMinutes(1));
  }

  private static SnapshotInfo snapshot(String id, String instance, String region, String status, String startedAt,
      Map<String, String> tags) {
    Instant began = Instant.parse(startedAt);
    return new SnapshotInfo(id, instance, region, status, began, began.plusSeconds(90), 4_194_304L, tags);
  }

  private static String uniqueReason() {
    return StartAssertions.uniqueReason();
  }

  private static String expectedRunId() {
    return "snapshot-techcorp-primary-" + DateTimeFormatter.ofPattern("yyyyMMdd-HHmm")
        .withZone(ZoneOffset.UTC).format(CLOCK.instant());
  }

  @Test
  void snapshot_whenValid_isAcceptedWithRunWorkflowAndAudit() {
    String reason = uniqueReason();
    Reply reply = api.http().postJson("/v1/snapshots",
        "{\"instance\": \"techcorp-primary\", \"reason\": \"" + reason + "\"}");

    assertThat(reply.status()).as(reply.body()).isEqualTo(202);
    String runId = reply.json().get("runId").asText();
    assertThat(runId).isEqualTo(expectedRunId());
    assertThat(reply.header("Location")).endsWith("/v1/runs/" + runId);
    assertThat(reply.json().get("kind").asText()).isEqualTo("snapshot");
    assertThat(reply.json().get("phase").asText()).isEqualTo("pending");
    assertThat(reply.json().get("instance").asText()).isEqualTo("techcorp-primary");

    RunState stored = api.catalog().runs().find(runId).orElseThrow();
    assertThat(stored.kind()).isEqualTo(RunKind.SNAPSHOT);
    assertThat(stored.phase()).isEqualTo(RunPhase.PENDING);
    assertThat(stored.request()).containsEntry("drRegions", List.of(FakePlatform.DR_1, FakePlatform.DR_2));

    SnapshotRequest started = startedWith(reason);
    Instant minute = CLOCK.instant().truncatedTo(ChronoUnit.MINUTES);
    assertThat(started).isEqualTo(new SnapshotRequest("on-demand", List.of(FakePlatform.PRIMARY),
        List.of(FakePlatform.DR_1, FakePlatform.DR_2), "alice", reason, minute, 1));
    assertThat(api.workflowClient().newUntypedWorkflowStub(runId).describe().getStatus())
        .isEqualTo(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING);

    assertThat(api.catalog().audit().list(null, runId, null, 10).items()).singleElement().satisfies(entry -> {
      assertThat(entry.action()).isEqualTo("POST /v1/snapshots");
      assertThat(entry.status()).isEqualTo(202);
      assertThat(entry.request()).contains(reason);
    });
  }

  @Test
  void snapshot_reTriggeredInTheSameMinute_answersTheSameRunWithoutASecondWorkflow() {
    String first = uniqueReason();
    String second = uniqueReason();
    Reply started = api.http().postJson("/v1/snapshots",
        "{\"instance\": \"techcorp-primary\", \"reason\": \"" + first + "\"}");
    assertThat(started.status()).as(started.body()).isEqualTo(202);
    String runId = started.json().get("runId").asText();
    startedWith(first);
    CLOCK.advance(Duration.ofSeconds(40));

    Reply again = api.http().postJson("/v1/snapshots",
        "{\"instance\": \"techcorp-primary\", \"reason\": \"" + second + "\"}");

    assertThat(again.status()).as(again.body()).isEqualTo(200);
    assertThat(again.json().get("runId").asText()).isEqualTo(runId);
    assertThat(again.header("Location")).endsWith("/v1/runs/" + runId);
    assertThat(again.json().get("reason").asText()).as("the first request's run").isEqualTo(first);
    assertThat(snapshotRuns().stream().filter(run -> run.runId().equals(runId))).hasSize(1);
    assertThat(api.catalog().runs().find(runId).orElseThrow().reason()).isEqualTo(first);
    StartAssertions.pause(Duration.ofMillis(500));
    assertThat(HoldingSnapshotWorkflow.STARTED.stream().filter(r -> r.reason().equals(second))).isEmpty();
    assertThat(HoldingSnapshotWorkflow.STARTED.stream().filter(r -> r.reason().equals(first))).hasSize(1);
    assertThat(api.catalog().audit().list(null, runId, null, 10).items())
        .extracting(AuditEntry::status).containsExactlyInAnyOrder(202, 200);

    CLOCK.advance(Duration.ofSeconds(20));
    Reply nextMinute = api.http().postJson("/v1/snapshots",
        "{\"instance\": \"techcorp-primary\", \"reason\": \"" + uniqueReason() + "\"}");
    assertThat(nextMinute.status()).as(nextMinute.body()).isEqualTo(202);
    assertThat(nextMinute.json().get("runId").asText()).isNotEqualTo(runId);
  }

  @Test
  void snapshot_withDrRegions_copiesToThoseOnly() {
    String reason = uniqueReason();
    Reply reply = api.http().postJson("/v1/snapshots", "{\"instance\": \"techcorp-primary\", \"drRegions\": [\"dr-2\","
        + " \"dr-2\"], \"reason\": \"" + reason + "\"}");

    assertThat(reply.status()).as(reply.body()).isEqualTo(202);
    assertThat(startedWith(reason).drRegions()).containsExactly(FakePlatform.DR_2);
  }

  @Test
  void snapshot_whenInstanceIdMalformed_isRejected() {
    assertRefused("{\"instance\": \"techcorp_primary!\", \"reason\": \"%s\"}", 400, "INVALID_REQUEST", "instance",
        "not an instance id");
  }

  @Test
  void snapshot_whenInstanceUnknown_is404() {
    assertRefused("{\"instance\": \"techcorp-nowhere\", \"reason\": \"%s\"}", 404, "INSTANCE_NOT_FOUND", null,
        "/v1/instances");
  }

  @Test
  void snapshot_ofReplica_isRejectedNamingItsPrimary() {
    JsonNode error = assertRefused("{\"instance\": \"" + FakePlatform.REPLICA + "\", \"reason\": \"%s\"}", 400,
        "INVALID_REQUEST", "instance", "techcorp-primary instead");
    assertThat(error.get("details").get("role").asText()).isEqualTo("replica");
  }

  @Test
  void snapshot_toUnknownRegion_is404NamingTheDrRegions() {
    JsonNode error = assertRefused("{\"instance\": \"techcorp-primary\", \"drRegions\": [\"dr-1\", \"mars-1\"],"
        + " \"reason\": \"%s\"}", 404, "REGION_NOT_FOUND", "drRegions", "dr-1, dr-2");
    assertThat(error.get("details").get("region").asText()).isEqualTo("mars-1");
    assertThat(error.get("details").get("drRegions").toString()).isEqualTo("[\"dr-1\",\"dr-2\"]");
  }

  @Test
  void snapshot_toTheHomeRegion_is404() {
    assertRefused("{\"instance\": \"techcorp-primary\", \"drRegions\": [\"local-a\"], \"reason\": \"%s\"}", 404,
        "REGION_NOT_FOUND", "drRegions", "home region");
  }

  @Test
  void snapshot_whenReasonMissing_isRejected() {
    // the unique marker rides in drRegions, checked after reason, so the audit entry can be found
    assertRefused("{\"instance\": \"techcorp-primary\", \"drRegions\": [\"%s\"]}", 400, "INVALID_REQUEST", "reason",
        "required");
  }

  @Test
  void snapshot_withUnknownField_isRejected() {
    assertRefused("{\"instance\": \"techcorp-primary\", \"regions\": [\"dr-1\"], \"reason\": \"%s\"}", 400,
        "INVALID_REQUEST", "regions", "Unknown field 'regions'");
  }

  @Test
  void list_showsHomeSnapshotsNewestFirstWithTheirCopies() {
    Reply reply = api.http().get("/v1/snapshots?instance=techcorp-primary");

    assertThat(reply.status()).as(reply.body()).isEqualTo(200);
    JsonNode items = reply.json().get("items");
    assertThat(ids(items)).containsExactly(NEWEST, OLDER);
    JsonNode newest = items.get(0);
    assertThat(newest.get("region").asText()).isEqualTo(FakePlatform.HOME_REGION);
    assertThat(newest.get("instance").asText()).isEqualTo(FakePlatform.PRIMARY);
    assertThat(newest.get("status").asText()).isEqualTo("available");
    assertThat(newest.get("startedAt").asText()).isEqualTo("2026-11-24T03:00:00Z");
    assertThat(newest.get("stoppedAt").asText()).isEqualTo("2026-11-24T03:01:30Z");
    assertThat(newest.get("bytes").asLong()).isEqualTo(4_194_304L);
    assertThat(newest.get("ageSeconds").asLong())
        .isEqualTo(Duration.between(Instant.parse("2026-11-24T03:00:00Z"), CLOCK.instant()).toSeconds());
    assertThat(newest.get("tags").get("policy").asText()).isEqualTo("daily");
    assertThat(newest.get("copies").toString()).isEqualTo("[{\"region\":\"dr-1\",\"status\":\"available\","
        + "\"bytes\":4194304},{\"region\":\"dr-2\",\"status\":\"creating\",\"bytes\":4194304}]");
    assertThat(items.get(1).get("copies")).hasSize(1);
  }

  @Test
  void list_withoutInstance_showsEveryInstance() {
    assertThat(ids(api.http().get("/v1/snapshots").json().get("items")))
        .containsExactly(NEWEST, REPLICA_SNAPSHOT, OLDER);
  }

  @Test
  void list_ofADrRegion_showsItsSnapshotsWithoutCopies() {
    JsonNode items = api.http().get("/v1/snapshots?region=dr-1").json().get("items");

    assertThat(ids(items)).containsExactly(NEWEST, OLDER);
    items.forEach(item -> {
      assertThat(item.get("region").asText()).isEqualTo(FakePlatform.DR_1);
      assertThat(item.get("copies")).isEmpty();
    });
  }

  @Test
  void list_olderThan_keepsOnlyOlderSnapshots() {
    assertThat(ids(api.http().get("/v1/snapshots?olderThan=1d").json().get("items"))).containsExactly(OLDER);
    assertThat(ids(api.http().get("/v1/snapshots?olderThan=P3D").json().get("items"))).containsExactly(OLDER);
    assertThat(ids(api.http().get("/v1/snapshots?olderThan=30d").json().get("items"))).isEmpty();
  }

  @Test
  void list_ofUnknownRegion_is404NamingTheRegions() {
    Reply reply = api.http().get("/v1/snapshots?region=mars-1");

    assertThat(reply.status()).isEqualTo(404);
    assertThat(reply.json().get("error").asText()).isEqualTo("REGION_NOT_FOUND");
    assertThat(reply.json().get("details").get("regions").toString()).isEqualTo("[\"local-a\",\"dr-1\",\"dr-2\"]");
  }

  @Test
  void list_withMalformedParameters_is400NamingThem() {
    Reply instance = api.http().get("/v1/snapshots?instance=bad_id");
    assertThat(instance.status()).isEqualTo(400);
    assertThat(instance.json().get("details").get("field").asText()).isEqualTo("instance");

    Reply olderThan = api.http().get("/v1/snapshots?olderThan=soon");
    assertThat(olderThan.status()).isEqualTo(400);
    assertThat(olderThan.json().get("details").get("field").asText()).isEqualTo("olderThan");
    assertThat(olderThan.json().get("message").asText()).contains("PT2H");
  }

  private static List<String> ids(JsonNode items) {
    List<String> ids = new ArrayList<>();
    items.forEach(item -> ids.add(item.get("id").asText()));
    return ids;
  }

  private static SnapshotRequest startedWith(String reason) {
    return StartAssertions.startedWith(HoldingSnapshotWorkflow.STARTED, SnapshotRequest::reason, reason);
  }

  /** Sends the body (its {@code %s} replaced by a unique reason); nothing is created but the audit entry. */
  private static JsonNode assertRefused(String template, int status, String error, String field, String message) {
    return StartAssertions.assertRefused(api, "/v1/snapshots", RunKind.SNAPSHOT, expectedRunId(), HoldingSnapshotWorkflow.STARTED,
        SnapshotRequest::reason, template, status, error, field, message);
  }

  private static List<RunState> snapshotRuns() {
    return api.catalog().runs().list(new RunFilter(RunKind.SNAPSHOT, null, null), null, 200).items();
  }
}
