package dev.lifeboat.catalog;

import static dev.lifeboat.catalog.CatalogFailures.guard;

import dev.lifeboat.common.model.RunPhase;
import dev.lifeboat.common.model.RunState;
import dev.lifeboat.common.model.StepState;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.Update;
import org.jdbi.v3.core.transaction.TransactionIsolationLevel;

/** {@link RunStore} on the {@code runs} and {@code run_steps} tables. */
public final class JdbiRunStore implements RunStore {
  private static final String UPSERT_RUN = """
      INSERT INTO runs (run_id, kind, instance, requester, reason, phase, step, percent, bytes, detail,
                        request, endpoint, result, error, started_at, stopped_at, expires_at, updated_at)
      VALUES (:runId, :kind, :instance, :requester, :reason, :phase, :step, :percent, :bytes, :detail,
              CAST(:request AS jsonb), CAST(:endpoint AS jsonb), CAST(:result AS jsonb), CAST(:error AS jsonb),
              :startedAt, :stoppedAt, :expiresAt, now())
      ON CONFLICT (run_id) DO UPDATE SET
        kind = excluded.kind, instance = excluded.instance, requester = excluded.requester,
        reason = excluded.reason, phase = excluded.phase, step = excluded.step, percent = excluded.percent,
        bytes = excluded.bytes, detail = excluded.detail, request = excluded.request,
        endpoint = excluded.endpoint, result = excluded.result, error = excluded.error,
        started_at = excluded.started_at, stopped_at = excluded.stopped_at, expires_at = excluded.expires_at,
        updated_at = now()
      """;

  private static final String UPSERT_STEP = """
      INSERT INTO run_steps (run_id, seq, name, status, started_at, stopped_at, detail)
      VALUES (:runId, :seq, :name, :status, :startedAt, :stoppedAt, :detail)
      ON CONFLICT (run_id, seq) DO UPDATE SET
        name = excluded.name, status = excluded.status, started_at = excluded.started_at,
        stopped_at = excluded.stopped_at, detail = excluded.detail
      """;

  private static final String UPDATE_PROGRESS = """
      UPDATE runs SET percent = :percent, bytes = :bytes, detail = :detail, updated_at = now()
      WHERE run_id = :runId AND phase NOT IN (<terminal>)
      """;

  /** Finished steps per kind, name and status; a clock that stepped back between two workers counts as zero. */
  private static final String STEP_TIMINGS = """
      SELECT r.kind, s.name, s.status, count(*) AS steps, sum(d.seconds) AS seconds,
             (array_agg(d.seconds ORDER BY s.stopped_at DESC))[1] AS last_seconds,
             max(s.stopped_at) AS last_stopped_at
      FROM run_steps s
      JOIN runs r ON r.run_id = s.run_id
      CROSS JOIN LATERAL (SELECT greatest(0, extract(epoch FROM s.stopped_at - s.started_at))::float8 AS seconds) d
      WHERE s.started_at IS NOT NULL AND s.stopped_at IS NOT NULL
      GROUP BY r.kind, s.name, s.status
      ORDER BY r.kind, s.name, s.status
      """;

  private static final List<String> TERMINAL_PHASES = Arrays.stream(RunPhase.values())
      .filter(RunPhase::terminal).map(RunPhase::wireName).toList();

  /** A run and its steps are read in two statements: one snapshot keeps them from two different saves. */
  private static final TransactionIsolationLevel SNAPSHOT = TransactionIsolationLevel.REPEATABLE_READ;

  private final Jdbi jdbi;

  JdbiRunStore(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  @Override
  public void save(RunState state) {
    Objects.requireNonNull(state.runId(), "runId");
    Objects.requireNonNull(state.kind(), "kind");
    Objects.requireNonNull(state.phase(), "phase");
    Objects.requireNonNull(state.startedAt(), "startedAt");
    guard(() -> jdbi.useTransaction(handle -> {
      bindRun(handle.createUpdate(UPSERT_RUN), state).execute();
      List<StepState> steps = state.steps() == null ? List.of() : state.steps();
      for (int seq = 0; seq < steps.size(); seq++) {
        StepState step = steps.get(seq);
        handle.createUpdate(UPSERT_STEP)
            .bind("runId", state.runId())
            .bind("seq", seq)
            .bind("name", step.name())
            .bind("status", step.status())
            .bind("startedAt", DbTime.bind(step.startedAt()))
            .bind("stoppedAt", DbTime.bind(step.stoppedAt()))
            .bind("detail", step.detail())
            .execute();
      }
      // the saved state is the whole truth: steps it no longer lists are gone
      handle.createUpdate("DELETE FROM run_steps WHERE run_id = :runId AND seq >= :count")
          .bind("runId", state.runId())
          .bind("count", steps.size())
          .execute();
    }));
  }

  private static Update bindRun(Update update, RunState state) {
    return update
        .bind("runId", state.runId())
        .bind("kind", state.kind().wireName())
        .bind("instance", state.instance())
        .bind("requester", state.requester())
        .bind("reason", state.reason())
        .bind("phase", state.phase().wireName())
        .bind("step", state.step())
        .bind("percent", state.percent())
        .bind("bytes", state.bytes())
        .bind("detail", state.detail())
        .bind("request", CatalogJson.write(state.request()))
        .bind("endpoint", CatalogJson.write(state.endpoint()))
        .bind("result", CatalogJson.write(state.result()))
        .bind("error", CatalogJson.write(state.error()))
        .bind("startedAt", DbTime.bind(state.startedAt()))
        .bind("stoppedAt", DbTime.bind(state.stoppedAt()))
        .bind("expiresAt", DbTime.bind(state.expiresAt()));
  }

  @Override
  public void updateProgress(String runId, Integer percent, Long bytes, String detail) {
    guard(() -> jdbi.useHandle(handle -> handle.createUpdate(UPDATE_PROGRESS)
        .bindList("terminal", TERMINAL_PHASES)
        .bind("runId", runId)
        .bind("percent", percent)
        .bind("bytes", bytes)
        .bind("detail", detail)
        .execute()));
  }

  @Override
  public Optional<RunState> find(String runId) {
    return guard(() -> jdbi.inTransaction(SNAPSHOT, handle -> handle
        .createQuery("SELECT " + RunRowMapper.COLUMNS + " FROM runs WHERE run_id = :runId")
        .bind("runId", runId)
        .map(new RunRowMapper())
        .findOne()
        .map(run -> RunRowMapper.withSteps(run, steps(handle, List.of(runId)).getOrDefault(runId, List.of())))));
  }

  @Override
  public Page<RunState> list(RunFilter filter, String cursor, int limit) {
    RunFilter filters = filter == null ? RunFilter.ALL : filter;
    int size = PageLimits.clamp(limit);
    Map<String, Object> params = new LinkedHashMap<>();
    List<String> where = new ArrayList<>();
    if (filters.kind() != null) {
      where.add("kind = :kind");
      params.put("kind", filters.kind().wireName());
    }
    if (filters.phase() != null) {
      where.add("phase = :phase");
      params.put("phase", filters.phase().wireName());
    }
    if (filters.instance() != null) {
      where.add("instance = :instance");
      params.put("instance", filters.instance());
    }
    if (cursor != null && !cursor.isEmpty()) {
      Cursors.RunPosition after = Cursors.run(cursor);
      where.add("(started_at, run_id) < (:afterStartedAt, :afterRunId)");
      params.put("afterStartedAt", DbTime.bind(after.startedAt()));
      params.put("afterRunId", after.runId());
    }
    String sql = "SELECT " + RunRowMapper.COLUMNS + " FROM runs"
        + (where.isEmpty() ? "" : " WHERE " + String.join(" AND ", where))
        + " ORDER BY started_at DESC, run_id DESC LIMIT :fetch";
    return guard(() -> jdbi.inTransaction(SNAPSHOT, handle -> {
      List<RunState> rows = handle.createQuery(sql)
          .bindMap(params)
          .bind("fetch", Pages.fetchSize(size))
          .map(new RunRowMapper())
          .list();
      Page<RunState> page = Pages.of(rows, size, last -> Cursors.run(last.startedAt(), last.runId()));
      Map<String, List<StepState>> steps = steps(handle, page.items().stream().map(RunState::runId).toList());
      return new Page<>(page.items().stream()
          .map(run -> RunRowMapper.withSteps(run, steps.getOrDefault(run.runId(), List.of())))
          .toList(), page.nextCursor());
    }));
  }

  @Override
  public List<PhaseCount> countByKindAndPhase() {
    return guard(() -> jdbi.withHandle(handle -> handle
        .createQuery("SELECT kind, phase, count(*) AS runs FROM runs GROUP BY kind, phase ORDER BY kind, phase")
        .map((rs, ctx) -> new PhaseCount(rs.getString("kind"), rs.getString("phase"), rs.getLong("runs")))
        .list()));
  }

  @Override
  public List<StepTimings> stepTimings() {
    return guard(() -> jdbi.withHandle(handle -> handle.createQuery(STEP_TIMINGS)
        .map((rs, ctx) -> new StepTimings(rs.getString("kind"), rs.getString("name"), rs.getString("status"),
            rs.getLong("steps"), rs.getDouble("seconds"), rs.getDouble("last_seconds"),
            DbTime.read(rs, "last_stopped_at")))
        .list()));
  }

  private static Map<String, List<StepState>> steps(Handle handle, List<String> runIds) {
    Map<String, List<StepState>> byRun = new LinkedHashMap<>();
    if (runIds.isEmpty()) {
      return byRun;
    }
    handle.createQuery("""
            SELECT run_id, name, status, started_at, stopped_at, detail FROM run_steps
            WHERE run_id IN (<runIds>) ORDER BY run_id, seq
            """)
        .bindList("runIds", runIds)
        .map((rs, ctx) -> Map.entry(rs.getString("run_id"), RunRowMapper.step(rs, ctx)))
        .forEach(entry -> byRun.computeIfAbsent(entry.getKey(), id -> new ArrayList<>()).add(entry.getValue()));
    return byRun;
  }
}
