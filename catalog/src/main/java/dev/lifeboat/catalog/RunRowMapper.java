package dev.lifeboat.catalog;

import dev.lifeboat.common.model.Endpoint;
import dev.lifeboat.common.model.RunError;
import dev.lifeboat.common.model.RunKind;
import dev.lifeboat.common.model.RunPhase;
import dev.lifeboat.common.model.RunState;
import dev.lifeboat.common.model.StepState;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;

/** A {@code runs} row as a {@link RunState} without its steps, which live in their own table. */
final class RunRowMapper implements RowMapper<RunState> {
  static final String COLUMNS = "run_id, kind, instance, requester, reason, phase, step, percent, bytes, detail,"
      + " request, endpoint, result, error, started_at, stopped_at, expires_at";

  @Override
  public RunState map(ResultSet rs, StatementContext ctx) throws SQLException {
    return new RunState(
        rs.getString("run_id"),
        RunKind.fromWireName(rs.getString("kind")),
        rs.getString("instance"),
        rs.getString("requester"),
        rs.getString("reason"),
        RunPhase.fromWireName(rs.getString("phase")),
        rs.getString("step"),
        rs.getObject("percent", Integer.class),
        rs.getObject("bytes", Long.class),
        rs.getString("detail"),
        List.of(),
        CatalogJson.readMap(rs.getString("request")),
        CatalogJson.read(rs.getString("endpoint"), Endpoint.class),
        CatalogJson.readMap(rs.getString("result")),
        CatalogJson.read(rs.getString("error"), RunError.class),
        DbTime.read(rs, "started_at"),
        DbTime.read(rs, "stopped_at"),
        DbTime.read(rs, "expires_at"));
  }

  static RunState withSteps(RunState run, List<StepState> steps) {
    return new RunState(run.runId(), run.kind(), run.instance(), run.requester(), run.reason(), run.phase(),
        run.step(), run.percent(), run.bytes(), run.detail(), List.copyOf(steps), run.request(), run.endpoint(),
        run.result(), run.error(), run.startedAt(), run.stoppedAt(), run.expiresAt());
  }

  static StepState step(ResultSet rs, StatementContext ctx) throws SQLException {
    return new StepState(
        rs.getString("name"),
        rs.getString("status"),
        DbTime.read(rs, "started_at"),
        DbTime.read(rs, "stopped_at"),
        rs.getString("detail"));
  }
}
