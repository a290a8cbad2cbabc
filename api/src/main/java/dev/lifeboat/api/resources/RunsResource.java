package dev.lifeboat.api.resources;

import dev.lifeboat.api.RequestText;
import dev.lifeboat.api.Requester;
import dev.lifeboat.api.auth.AccessRole;
import dev.lifeboat.api.auth.Allowed;
import dev.lifeboat.api.errors.InvalidRequest;
import dev.lifeboat.api.runs.RunControl;
import dev.lifeboat.api.runs.RunListQuery;
import dev.lifeboat.api.views.DecisionBody;
import dev.lifeboat.api.views.ReleaseBody;
import dev.lifeboat.api.views.RunListView;
import dev.lifeboat.api.views.RunView;
import dev.lifeboat.catalog.Page;
import dev.lifeboat.catalog.RunStore;
import dev.lifeboat.common.ErrorType;
import dev.lifeboat.common.LifeboatException;
import dev.lifeboat.common.model.Decision;
import dev.lifeboat.common.model.ReleaseRequest;
import dev.lifeboat.common.model.RunKind;
import dev.lifeboat.common.model.RunState;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.util.Map;
import org.slf4j.MDC;

/** Runs of every kind: list, inspect, release, approve, reject, cancel. Lists come from the catalog. */
@Allowed(AccessRole.VIEWER)
@Path("/v1/runs")
@Produces(MediaType.APPLICATION_JSON)
public final class RunsResource {
  private final RunStore runs;
  private final RunControl control;

  public RunsResource(RunStore runs, RunControl control) {
    this.runs = runs;
    this.control = control;
  }

  /** Newest first; {@code limit} and {@code cursor} page through, the rest filter. */
  @GET
  public RunListView list(
      @QueryParam("kind") String kind,
      @QueryParam("phase") String phase,
      @QueryParam("instance") String instance,
      @QueryParam("limit") String limit,
      @QueryParam("cursor") String cursor) {
    RunListQuery query = RunListQuery.parse(kind, phase, instance, limit, cursor);
    Page<RunState> page = runs.list(query.filter(), query.cursor(), query.limit());
    return new RunListView(page.items().stream().map(RunView::of).toList(), page.nextCursor());
  }

  @GET
  @Path("/{id}")
  public RunView get(@PathParam("id") String runId) {
    return RunView.of(control.find(runId));
  }

  /** Ends the hold of a restored instance now; it is deleted right after. */
  @Allowed(AccessRole.OPERATOR)
  @POST
  @Path("/{id}/release")
  @Consumes(MediaType.APPLICATION_JSON)
  public RunView release(@PathParam("id") String runId, ReleaseBody body, @Context SecurityContext security) {
    String reason = body == null ? null : body.reason();
    try (MDC.MDCCloseable ignored = MDC.putCloseable("runId", runId)) {
      return RunView.of(control.release(runId, new ReleaseRequest(Requester.of(security), reason), Requester.caller(security)));
    }
  }

  /** Approves a run waiting for approval (a table recovery's import); the requester may not. */
  @Allowed(AccessRole.APPROVER)
  @POST
  @Path("/{id}/approve")
  public RunView approve(@PathParam("id") String runId, DecisionBody body, @Context SecurityContext security) {
    return decide(runId, body, security, true);
  }

  /** Rejects a run waiting for approval: it ends, production untouched, its export kept. */
  @Allowed(AccessRole.APPROVER)
  @POST
  @Path("/{id}/reject")
  public RunView reject(@PathParam("id") String runId, DecisionBody body, @Context SecurityContext security) {
    return decide(runId, body, security, false);
  }

  /** The manifest of a table recovery's export: tables, columns, key, rows, bytes, checksums. */
  @GET
  @Path("/{id}/export")
  public Object export(@PathParam("id") String runId) {
    RunState run = control.find(runId);
    Object export = run.result() == null ? null : run.result().get("export");
    if (export == null) {
      throw new LifeboatException(ErrorType.EXPORT_NOT_FOUND, "Run " + runId + " has no export"
          + (run.kind() == RunKind.TABLE_RECOVERY && !run.phase().terminal() ? " yet (step " + run.step() + ")"
              : ": only table recoveries that reached their export step have one") + ".",
          Map.of("runId", runId));
    }
    return export;
  }

  private RunView decide(String runId, DecisionBody body, SecurityContext security, boolean approve) {
    String comment = body == null ? null : body.comment();
    if (comment != null && comment.length() > RequestText.MAX_REASON_CHARS) {
      throw InvalidRequest.field("comment", "comment is longer than " + RequestText.MAX_REASON_CHARS + " characters.");
    }
    try (MDC.MDCCloseable ignored = MDC.putCloseable("runId", runId)) {
      return RunView.of(control.decide(runId, new Decision(Requester.of(security), approve, comment)));
    }
  }

  /** Asks the run to stop and clean up; follow it with GET until its phase is cancelled. */
  @Allowed(AccessRole.OPERATOR)
  @POST
  @Path("/{id}/cancel")
  public Response cancel(@PathParam("id") String runId, @Context SecurityContext security) {
    try (MDC.MDCCloseable ignored = MDC.putCloseable("runId", runId)) {
      return Response.accepted(RunView.of(control.cancel(runId, Requester.caller(security)))).build();
    }
  }
}
