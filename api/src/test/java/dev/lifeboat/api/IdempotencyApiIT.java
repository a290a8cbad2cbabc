package dev.lifeboat.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lifeboat.api.runs.Idempotency;
import dev.lifeboat.api.testing.ApiFixture;
import dev.lifeboat.api.testing.FakePlatform;
import dev.lifeboat.api.testing.HoldingRestoreWorkflow;
import dev.lifeboat.api.testing.HoldingSnapshotWorkflow;
import dev.lifeboat.api.testing.Http.Reply;
import dev.lifeboat.api.testing.Http;
import dev.lifeboat.api.testing.RecordingDrillWorkflow;
import dev.lifeboat.api.testing.RecordingRetentionWorkflow;
import dev.lifeboat.api.testing.StartAssertions;
import dev.lifeboat.api.testing.TestClock;
import dev.lifeboat.api.views.RestoreBody;
import dev.lifeboat.catalog.AuditEntry;
import dev.lifeboat.catalog.AuditQuery;
import dev.lifeboat.catalog.RunFilter;
import dev.lifeboat.common.model.DrillRequest;
import dev.lifeboat.common.model.DrillSettings;
import dev.lifeboat.common.model.DrillTargets;
import dev.lifeboat.common.model.RetentionRequest;
import dev.lifeboat.common.model.RunKind;
import dev.lifeboat.common.model.RunState;
import dev.lifeboat.common.model.SnapshotInfo;
import dev.lifeboat.common.model.SnapshotRequest;
import dev.lifeboat.common.model.VerificationSuite;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Idempotency-Key of the POSTs that start runs, end to end: the same key and request twice
 * start one run and replay it, a different request is refused, keys are per caller, and
 * concurrent requests with one key still start one run.
 */
class IdempotencyApiIT {
  private static final TestClock CLOCK = new TestClock(Instant.now().truncatedTo(ChronoUnit.MINUTES));
  private static final DrillSettings DRILLS = new DrillSettings(
      Map.of("smoke", new VerificationSuite("smoke", null, null, null, List.of("postgres"), null)),
      "smoke", new DrillTargets(Duration.ofMinutes(30), Duration.ofHours(12)),
      Map.of(FakePlatform.PRIMARY, FakePlatform.REPLICA), null);
  private static ApiFixture api;

  @BeforeAll
  static void start() {
    api = ApiFixture.start("idempotency-api", CLOCK, List.of(), List.of(), DRILLS);
    Instant copied = Instant.now().minus(Duration.ofHours(3));
    api.platform().addSnapshot(new SnapshotInfo("lb-techcorp-primary-20261129-0300", FakePlatform.PRIMARY,
        FakePlatform.DR_1, "available", copied.minusSeconds(30), copied, 4096, Map.of()));
  }

  @AfterAll
  static void stop() {
    if (api != null) {
      api.close();
    }
  }

  /** Every test in a minute of its own, so no two tests name the same snapshot or retention run. */
  @BeforeEach
  void nextMinute() {
    CLOCK.advance(Duration.ofMinutes(1));
  }

  private static String newKey() {
    return UUID.randomUUID().toString();
  }

  private static String targetTime() {
    return CLOCK.instant().minus(Duration.ofHours(1)).truncatedTo(ChronoUnit.SECONDS).toString();
  }

  private static String restoreBody(String reason) {
    return restoreBody(reason, targetTime());
  }

  private static String restoreBody(String reason, String targetTime) {
    return "{\"instance\": \"techcorp-primary\", \"targetTime\": \"" + targetTime + "\", \"reason\": \"" + reason
        + "\"}";
  }

  private static Reply post(String path, String body, String user, String key) {
    return api.http().postJson(path, body, user, Map.of(Idempotency.HEADER, key));
  }

  private static List<RunState> runsWithReason(RunKind kind, String reason) {
    return api.catalog().runs().list(new RunFilter(kind, null, null), null, 500).items().stream()
        .filter(run -> reason.equals(run.reason())).toList();
  }

  /** How many workflows reached the worker for {@code reason}, once the worker had time to pick them up. */
  private static <T> long startedWith(Collection<T> started, Function<T, String> reasonOf, String reason) {
    StartAssertions.startedWith(started, reasonOf, reason);
    StartAssertions.pause(Duration.ofMillis(500));
    return started.stream().filter(request -> reasonOf.apply(request).equals(reason)).count();
  }

  private static List<AuditEntry> audit(String action, String runId) {
    return api.catalog().audit().list(new AuditQuery(null, runId, action, null, null, null), null, 50).items();
  }

  private static void assertWorkflowRunning(String runId) {
    assertThat(api.workflowClient().newUntypedWorkflowStub(runId).describe().getStatus())
        .isEqualTo(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING);
  }

  /** {@code first} started the one run and workflow of {@code reason}; {@code again} replayed it, with 202. */
  private static <T> void assertOneRunReplayed(Reply first, Reply again, RunKind kind, String reason,
      Collection<T> started, Function<T, String> reasonOf) {
    assertThat(first.status()).as(first.body()).isEqualTo(202);
    assertThat(first.header(Idempotency.REPLAYED_HEADER)).isNull();
    String runId = first.json().get("runId").asText();
    assertThat(again.status()).as("the status the first request got: %s", again.body()).isEqualTo(202);
    assertThat(again.header(Idempotency.REPLAYED_HEADER)).isEqualTo("true");
    assertThat(again.json().get("runId").asText()).isEqualTo(runId);
    assertThat(again.header("Location")).endsWith("/v1/runs/" + runId);
    assertThat(runsWithReason(kind, reason)).extracting(RunState::runId).containsExactly(runId);
    assertThat(startedWith(started, reasonOf, reason)).as("workflows started").isEqualTo(1);
    assertWorkflowRunning(runId);
  }

  @Test
  void restore_sameKeyTwice_startsOneRunAndReplaysIt() {
    String key = newKey();
    String reason = StartAssertions.uniqueReason();
    String targetTime = targetTime();

    Reply first = post("/v1/restores", restoreBody(reason, targetTime), "alice", key);
    // the same request in another field order and spacing, with an explicit null
    Reply again = post("/v1/restores", "{ \"reason\":\"" + reason + "\",\n  \"instance\" : \"techcorp-primary\","
        + " \"schema\": null, \"targetTime\": \"" + targetTime + "\" }", "alice", key);

    assertThat(first.status()).as(first.body()).isEqualTo(202);
    assertThat(first.header(Idempotency.REPLAYED_HEADER)).isNull();
    String runId = first.json().get("runId").asText();
    assertThat(again.status()).as(again.body()).isEqualTo(202);
    assertThat(again.header(Idempotency.REPLAYED_HEADER)).isEqualTo("true");
    assertThat(again.json().get("runId").asText()).isEqualTo(runId);
    assertThat(again.header("Location")).endsWith("/v1/runs/" + runId);
    assertThat(again.json().get("kind").asText()).isEqualTo("restore");

    assertThat(runsWithReason(RunKind.RESTORE, reason)).extracting(RunState::runId).containsExactly(runId);
    assertWorkflowRunning(runId);
    assertThat(HoldingRestoreWorkflow.STARTED_REASONS).contains(reason);
    assertThat(audit("POST /v1/restores", runId)).as("both requests, each with the run id")
        .extracting(AuditEntry::status).containsExactly(202, 202);
  }

  @Test
  void restore_sameKeyWithADifferentRequest_isRefusedAndStartsNothing() {
    String key = newKey();
    String firstReason = StartAssertions.uniqueReason();
    Reply first = post("/v1/restores", restoreBody(firstReason), "alice", key);
    assertThat(first.status()).as(first.body()).isEqualTo(202);
    String runId = first.json().get("runId").asText();
    String otherReason = StartAssertions.uniqueReason();

    Reply other = post("/v1/restores", restoreBody(otherReason), "alice", key);

    assertThat(other.status()).as(other.body()).isEqualTo(409);
    JsonNode error = other.json();
    assertThat(error.get("error").asText()).isEqualTo("IDEMPOTENCY_KEY_REUSED");
    assertThat(error.get("message").asText()).contains("different request", runId, "new key");
    assertThat(error.at("/details/field").asText()).isEqualTo(Idempotency.HEADER);
    assertThat(error.at("/details/runId").asText()).isEqualTo(runId);
    assertThat(other.header(Idempotency.REPLAYED_HEADER)).isNull();

    assertThat(runsWithReason(RunKind.RESTORE, otherReason)).isEmpty();
    StartAssertions.pause(Duration.ofMillis(500));
    assertThat(HoldingRestoreWorkflow.STARTED_REASONS).doesNotContain(otherReason);
    assertThat(audit("POST /v1/restores", null)).filteredOn(entry -> entry.request().contains(otherReason))
        .singleElement().satisfies(entry -> {
          assertThat(entry.status()).isEqualTo(409);
          assertThat(entry.runId()).isNull();
        });
  }

  @Test
  void restore_sameKeyByTwoCallers_startsTwoRuns() {
    String key = newKey();
    String reason = StartAssertions.uniqueReason();
    String body = restoreBody(reason);

    Reply alice = post("/v1/restores", body, "alice", key);
    Reply olga = post("/v1/restores", body, "olga", key);

    assertThat(alice.status()).as(alice.body()).isEqualTo(202);
    assertThat(olga.status()).as(olga.body()).isEqualTo(202);
    assertThat(olga.header(Idempotency.REPLAYED_HEADER)).isNull();
    assertThat(olga.json().get("runId").asText()).isNotEqualTo(alice.json().get("runId").asText());
    assertThat(runsWithReason(RunKind.RESTORE, reason)).extracting(RunState::requester)
        .containsExactlyInAnyOrder("alice", "olga");
  }

  @Test
  void restore_concurrentRequestsWithOneKey_startOneRun() throws Exception {
    String key = newKey();
    String reason = StartAssertions.uniqueReason();
    String body = restoreBody(reason);
    int requests = 8;
    CountDownLatch go = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(requests);
    List<Reply> replies = new ArrayList<>();
    try {
      List<Future<Reply>> futures = new ArrayList<>();
      for (int i = 0; i < requests; i++) {
        futures.add(pool.submit(() -> {
          go.await();
          return post("/v1/restores", body, "alice", key);
        }));
      }
      go.countDown();
      for (Future<Reply> future : futures) {
        replies.add(future.get(60, TimeUnit.SECONDS));
      }
    } finally {
      pool.shutdownNow();
    }

    assertThat(replies).allSatisfy(reply -> assertThat(reply.status()).as(reply.body()).isIn(200, 202));
    List<String> runIds = replies.stream().map(reply -> reply.json().get("runId").asText()).distinct().toList();
    assertThat(runIds).hasSize(1);
    assertThat(replies).filteredOn(reply -> reply.header(Idempotency.REPLAYED_HEADER) == null)
        .as("the request that reserved the key").hasSize(1);
    assertThat(runsWithReason(RunKind.RESTORE, reason)).extracting(RunState::runId).containsExactly(runIds.get(0));
    assertWorkflowRunning(runIds.get(0));
  }

  @Test
  void restore_withoutKey_startsARunPerRequestAsBefore() {
    String reason = StartAssertions.uniqueReason();
    String body = restoreBody(reason);

    Reply first = api.http().postJson("/v1/restores", body);
    Reply second = api.http().postJson("/v1/restores", body);

    assertThat(first.status()).as(first.body()).isEqualTo(202);
    assertThat(second.status()).as(second.body()).isEqualTo(202);
    assertThat(second.header(Idempotency.REPLAYED_HEADER)).isNull();
    assertThat(runsWithReason(RunKind.RESTORE, reason)).hasSize(2);
  }

  @Test
  void restore_withMalformedKey_isRefusedNamingTheHeader() {
    // (non-ASCII is refused too, but the JDK's client sends it as '?')
    for (String key : List.of("", "k".repeat(201), "tab\there")) {
      String reason = StartAssertions.uniqueReason();

      Reply reply = post("/v1/restores", restoreBody(reason), "alice", key);

      assertThat(reply.status()).as("key '%s': %s", key, reply.body()).isEqualTo(400);
      assertThat(reply.json().get("error").asText()).isEqualTo("INVALID_REQUEST");
      assertThat(reply.json().at("/details/field").asText()).isEqualTo(Idempotency.HEADER);
      assertThat(reply.json().get("message").asText()).contains("1 to 200 printable ASCII characters");
      assertThat(runsWithReason(RunKind.RESTORE, reason)).isEmpty();
    }
    Reply twice = api.http().send(Http.as("alice", HttpRequest.newBuilder(api.http().uri("/v1/restores"))
        .header("Content-Type", "application/json")
        .header(Idempotency.HEADER, newKey())
        .header(Idempotency.HEADER, newKey())
        .POST(HttpRequest.BodyPublishers.ofString(restoreBody(StartAssertions.uniqueReason())))));
    assertThat(twice.status()).as(twice.body()).isEqualTo(400);
    assertThat(twice.json().get("message").asText()).contains("sent 2 times");

    Reply longest = post("/v1/restores", restoreBody(StartAssertions.uniqueReason()), "alice", "k".repeat(200));
    assertThat(longest.status()).as(longest.body()).isEqualTo(202);
  }

  @Test
  void restore_invalidRequestWithKey_reservesNothing() {
    String key = newKey();
    String future = CLOCK.instant().plus(Duration.ofHours(2)).truncatedTo(ChronoUnit.SECONDS).toString();

    Reply invalid = post("/v1/restores", "{\"instance\": \"techcorp-primary\", \"targetTime\": \"" + future
        + "\", \"reason\": \"typo\"}", "alice", key);
    Reply corrected = post("/v1/restores", restoreBody(StartAssertions.uniqueReason()), "alice", key);

    assertThat(invalid.status()).as(invalid.body()).isEqualTo(400);
    assertThat(corrected.status()).as(corrected.body()).isEqualTo(202);
    assertThat(corrected.header(Idempotency.REPLAYED_HEADER)).isNull();
  }

  @Test
  void restore_whoseFirstRequestFailedAfterReservingTheKey_isStartedByTheRepeat() {
    String key = newKey();
    String reason = StartAssertions.uniqueReason();
    String targetTime = targetTime();
    String body = restoreBody(reason, targetTime);
    String runId = "restore-techcorp-primary-0badf00d";
    // what a first request leaves when it dies between reserving the key and recording its run
    api.catalog().idempotencyKeys().reserve("alice", key, Idempotency.fingerprint("POST /v1/restores",
        new RestoreBody("techcorp-primary", targetTime, null, reason, null)), runId);

    Reply repeat = post("/v1/restores", body, "alice", key);

    assertThat(repeat.status()).as(repeat.body()).isEqualTo(202);
    assertThat(repeat.header(Idempotency.REPLAYED_HEADER)).isEqualTo("true");
    assertThat(repeat.json().get("runId").asText()).isEqualTo(runId);
    assertThat(runsWithReason(RunKind.RESTORE, reason)).extracting(RunState::runId).containsExactly(runId);
    assertWorkflowRunning(runId);
  }

  @Test
  void key_reusedOnAnotherEndpoint_isRefused() {
    String key = newKey();
    Reply restore = post("/v1/restores", restoreBody(StartAssertions.uniqueReason()), "alice", key);
    assertThat(restore.status()).as(restore.body()).isEqualTo(202);
    String reason = StartAssertions.uniqueReason();

    Reply drill = post("/v1/drills", "{\"instance\": \"techcorp-primary\", \"reason\": \"" + reason + "\"}", "alice",
        key);

    assertThat(drill.status()).as(drill.body()).isEqualTo(409);
    assertThat(drill.json().get("error").asText()).isEqualTo("IDEMPOTENCY_KEY_REUSED");
    assertThat(runsWithReason(RunKind.DRILL, reason)).isEmpty();
  }

  @Test
  void snapshot_sameKeyInALaterMinute_answersTheFirstMinutesRun() {
    String key = newKey();
    String reason = StartAssertions.uniqueReason();
    String body = "{\"instance\": \"techcorp-primary\", \"reason\": \"" + reason + "\"}";

    Reply first = post("/v1/snapshots", body, "alice", key);
    CLOCK.advance(Duration.ofMinutes(2));
    Reply again = post("/v1/snapshots", body, "alice", key);

    assertOneRunReplayed(first, again, RunKind.SNAPSHOT, reason, HoldingSnapshotWorkflow.STARTED,
        SnapshotRequest::reason);
  }

  @Test
  void snapshot_keyFirstAnsweredWith200_isReplayedWith200() {
    String first = StartAssertions.uniqueReason();
    Reply minuteRun = api.http().postJson("/v1/snapshots", "{\"instance\": \"techcorp-primary\", \"reason\": \""
        + first + "\"}");
    assertThat(minuteRun.status()).as(minuteRun.body()).isEqualTo(202);
    String key = newKey();
    String body = "{\"instance\": \"techcorp-primary\", \"reason\": \"" + StartAssertions.uniqueReason() + "\"}";

    Reply keyed = post("/v1/snapshots", body, "alice", key);
    CLOCK.advance(Duration.ofMinutes(1));
    Reply again = post("/v1/snapshots", body, "alice", key);

    assertThat(keyed.status()).as("the minute's run existed: %s", keyed.body()).isEqualTo(200);
    assertThat(again.status()).as(again.body()).isEqualTo(200);
    assertThat(again.header(Idempotency.REPLAYED_HEADER)).isEqualTo("true");
    assertThat(again.json().get("runId").asText()).isEqualTo(minuteRun.json().get("runId").asText());
  }

  @Test
  void snapshot_sameKeyWithADifferentRequest_isRefused() {
    String key = newKey();
    Reply first = post("/v1/snapshots", "{\"instance\": \"techcorp-primary\", \"reason\": \"" + StartAssertions
        .uniqueReason() + "\"}", "alice", key);
    assertThat(first.status()).as(first.body()).isEqualTo(202);

    Reply other = post("/v1/snapshots", "{\"instance\": \"techcorp-primary\", \"drRegions\": [], \"reason\": \""
        + StartAssertions.uniqueReason() + "\"}", "alice", key);

    assertThat(other.status()).as(other.body()).isEqualTo(409);
    assertThat(other.json().get("error").asText()).isEqualTo("IDEMPOTENCY_KEY_REUSED");
  }

  @Test
  void drill_sameKeyTwice_startsOneDrill() {
    String key = newKey();
    String reason = StartAssertions.uniqueReason();
    String body = "{\"instance\": \"techcorp-primary\", \"targets\": {\"rto\": \"15m\"}, \"reason\": \"" + reason
        + "\"}";

    Reply first = post("/v1/drills", body, "alice", key);
    Reply again = post("/v1/drills", body, "alice", key);

    assertOneRunReplayed(first, again, RunKind.DRILL, reason, RecordingDrillWorkflow.STARTED, DrillRequest::reason);
  }

  @Test
  void retention_sameKeyTwice_startsOneRun() {
    String key = newKey();
    String reason = StartAssertions.uniqueReason();
    String body = "{\"instances\": [\"techcorp-primary\"], \"dryRun\": true, \"reason\": \"" + reason + "\"}";

    Reply first = post("/v1/retention", body, "carol", key);
    CLOCK.advance(Duration.ofSeconds(5));
    Reply again = post("/v1/retention", body, "carol", key);

    assertOneRunReplayed(first, again, RunKind.RETENTION, reason, RecordingRetentionWorkflow.STARTED,
        RetentionRequest::reason);
  }
}
