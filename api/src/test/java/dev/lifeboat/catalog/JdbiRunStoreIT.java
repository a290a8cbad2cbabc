package dev.lifeboat.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lifeboat.activities.testing.TestPostgres;
import dev.lifeboat.common.ErrorType;
import dev.lifeboat.common.LifeboatException;
import dev.lifeboat.common.model.Endpoint;
import dev.lifeboat.common.model.RunError;
import dev.lifeboat.common.model.RunKind;
import dev.lifeboat.common.model.RunPhase;
import dev.lifeboat.common.model.RunState;
import dev.lifeboat.common.model.StepState;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The runs store on a real PostgreSQL 15, migrated by {@link Catalog#open}. */
class JdbiRunStoreIT {
  private static final Instant T0 = Instant.parse("2026-11-24T10:00:00.123456Z");

  private static TestPostgres postgres;
  private static Catalog catalog;
  private static RunStore runs;

  @BeforeAll
  static void start() {
    postgres = TestPostgres.start("catalog-runs");
    catalog = Catalog.open(postgres.dataSource());
    runs = catalog.runs();
  }

  @AfterAll
  static void stop() {
    if (postgres != null) {
      postgres.close();
    }
  }

  private static String instance() {
    return "inst-" + UUID.randomUUID().toString().substring(0, 8);
  }

  private static RunState full(String runId, String instance, RunPhase phase, List<StepState> steps) {
    return new RunState(runId, RunKind.RESTORE, instance, "alice", "rows deleted", phase, "verify", 40, 4096L,
        "replaying WAL", steps, Map.of("instance", instance, "targetTime", "2026-11-24T10:31:00Z", "nested",
        Map.of("a", List.of(1, 2))), new Endpoint("127.0.0.1", 55432, "techcorp", "postgres"),
        Map.of("rows", 12), new RunError("WAL_MISSING", "gone"), T0, T0.plusSeconds(90), T0.plusSeconds(3600));
  }

  private static RunState simple(String runId, RunKind kind, String instance, RunPhase phase, Instant startedAt) {
    return new RunState(runId, kind, instance, null, null, phase, null, null, null, null, List.of(), null, null,
        null, null, startedAt, null, null);
  }

  @Test
  void save_thenFind_rebuildsTheSameState() {
    String instance = instance();
    RunState state = full("run-" + instance, instance, RunPhase.RUNNING, List.of(
        new StepState("plan", "succeeded", T0, T0.plusSeconds(1), null),
        new StepState("restore", "running", T0.plusSeconds(1), null, "replaying")));

    runs.save(state);

    assertThat(runs.find(state.runId())).contains(state);
  }

  @Test
  void save_twice_isIdempotent() {
    String instance = instance();
    RunState state = full("run-" + instance, instance, RunPhase.RUNNING,
        List.of(new StepState("plan", "succeeded", T0, T0.plusSeconds(1), null)));

    runs.save(state);
    runs.save(state);

    assertThat(runs.find(state.runId())).contains(state);
    assertThat(runs.list(new RunFilter(null, null, instance), null, 10).items()).hasSize(1);
  }

  @Test
  void save_withFewerSteps_dropsTheOthers() {
    String instance = instance();
    StepState plan = new StepState("plan", "succeeded", T0, T0.plusSeconds(1), null);
    runs.save(full("run-" + instance, instance, RunPhase.RUNNING,
        List.of(plan, new StepState("restore", "running", T0, null, null))));

    runs.save(full("run-" + instance, instance, RunPhase.RUNNING, List.of(plan)));

    assertThat(runs.find("run-" + instance).orElseThrow().steps()).containsExactly(plan);
  }

  @Test
  void find_whenUnknown_isEmpty() {
    assertThat(runs.find("nothing-here")).isEmpty();
  }

  @Test
  void updateProgress_touchesOnlyProgressOfRunningRuns() {
    String instance = instance();
    RunState running = full("running-" + instance, instance, RunPhase.RUNNING, List.of());
    RunState done = full("done-" + instance, instance, RunPhase.SUCCEEDED, List.of());
    runs.save(running);
    runs.save(done);

    runs.updateProgress(running.runId(), 75, 8192L, "almost there");
    runs.updateProgress(done.runId(), 75, 8192L, "too late");
    runs.updateProgress("unknown-" + instance, 1, 1L, "nobody");

    RunState updated = runs.find(running.runId()).orElseThrow();
    assertThat(updated.percent()).isEqualTo(75);
    assertThat(updated.bytes()).isEqualTo(8192L);
    assertThat(updated.detail()).isEqualTo("almost there");
    assertThat(updated.step()).isEqualTo(running.step());
    assertThat(runs.find(done.runId())).contains(done);
  }

  @Test
  void list_isNewestFirstAndFilters() {
    String instance = instance();
    runs.save(simple("a-" + instance, RunKind.SNAPSHOT, instance, RunPhase.SUCCEEDED, T0));
    runs.save(simple("b-" + instance, RunKind.RESTORE, instance, RunPhase.FAILED, T0.plusSeconds(1)));
    runs.save(simple("c-" + instance, RunKind.RESTORE, instance, RunPhase.RUNNING, T0.plusSeconds(2)));

    assertThat(ids(new RunFilter(null, null, instance))).containsExactly("c-" + instance, "b-" + instance,
        "a-" + instance);
    assertThat(ids(new RunFilter(RunKind.RESTORE, null, instance))).containsExactly("c-" + instance, "b-" + instance);
    assertThat(ids(new RunFilter(RunKind.RESTORE, RunPhase.FAILED, instance))).containsExactly("b-" + instance);
  }

  @Test
  void list_pagesWithCursorWithoutSkippingOrRepeating() {
    String instance = instance();
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      // pairs share a start time: the run id breaks the tie
      String runId = "run-" + i + "-" + instance;
      runs.save(simple(runId, RunKind.DRILL, instance, RunPhase.SUCCEEDED, T0.plusSeconds(i / 2)));
      expected.add(runId);
    }
    expected.sort((a, b) -> {
      int byTime = Integer.compare(Integer.parseInt(b.substring(4, 5)) / 2, Integer.parseInt(a.substring(4, 5)) / 2);
      return byTime != 0 ? byTime : b.compareTo(a);
    });

    List<String> seen = new ArrayList<>();
    String cursor = null;
    do {
      Page<RunState> page = runs.list(new RunFilter(null, null, instance), cursor, 3);
      assertThat(page.items()).hasSizeLessThanOrEqualTo(3);
      page.items().forEach(run -> seen.add(run.runId()));
      cursor = page.nextCursor();
    } while (cursor != null);

    assertThat(seen).containsExactlyElementsOf(expected);
  }

  @Test
  void list_onExactlyFullLastPage_hasNoNextCursor() {
    String instance = instance();
    runs.save(simple("x-" + instance, RunKind.DRILL, instance, RunPhase.SUCCEEDED, T0));
    runs.save(simple("y-" + instance, RunKind.DRILL, instance, RunPhase.SUCCEEDED, T0));

    assertThat(runs.list(new RunFilter(null, null, instance), null, 2).nextCursor()).isNull();
  }

  @Test
  void list_clampsTheLimit() {
    String instance = instance();
    runs.save(simple("x-" + instance, RunKind.DRILL, instance, RunPhase.SUCCEEDED, T0));
    runs.save(simple("y-" + instance, RunKind.DRILL, instance, RunPhase.SUCCEEDED, T0));

    Page<RunState> page = runs.list(new RunFilter(null, null, instance), null, 0);

    assertThat(page.items()).hasSize(1);
    assertThat(page.nextCursor()).isNotNull();
  }

  @Test
  void list_withForeignCursor_isInvalidRequest() {
    String auditCursor = Cursors.audit(42);

    assertThatThrownBy(() -> runs.list(RunFilter.ALL, auditCursor, 10))
        .isInstanceOfSatisfying(LifeboatException.class, e -> {
          assertThat(e.type()).isEqualTo(ErrorType.INVALID_REQUEST);
          assertThat(e.details()).containsEntry("field", "cursor");
        });
  }

  @Test
  void jsonColumns_holdIsoDatesReadableWithPsql() throws SQLException {
    String instance = instance();
    runs.save(full("json-" + instance, instance, RunPhase.RUNNING, List.of()));

    try (Connection connection = postgres.dataSource().getConnection();
        Statement statement = connection.createStatement();
        ResultSet rs = statement.executeQuery("SELECT endpoint->>'port', request->>'targetTime', error->>'type'"
            + " FROM runs WHERE run_id = 'json-" + instance + "'")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString(1)).isEqualTo("55432");
      assertThat(rs.getString(2)).isEqualTo("2026-11-24T10:31:00Z");
      assertThat(rs.getString(3)).isEqualTo("WAL_MISSING");
    }
  }

  @Test
  void open_again_findsTheSchemaCurrentAndPings() {
    Catalog again = Catalog.open(postgres.dataSource());

    assertThat(again.ping()).isTrue();
  }

  private static List<String> ids(RunFilter filter) {
    return runs.list(filter, null, 50).items().stream().map(RunState::runId).toList();
  }
}
