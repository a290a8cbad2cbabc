package dev.lifeboat.api.resources;

import dev.lifeboat.api.audit.AuditListQuery;
import dev.lifeboat.api.auth.AccessRole;
import dev.lifeboat.api.auth.Allowed;
import dev.lifeboat.api.views.AuditEntryView;
import dev.lifeboat.api.views.AuditListView;
import dev.lifeboat.catalog.AuditEntry;
import dev.lifeboat.catalog.AuditLog;
import dev.lifeboat.catalog.Page;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

/** The audit log: every mutating request and decision, for admins. */
@Allowed(AccessRole.ADMIN)
@Path("/v1/audit")
@Produces(MediaType.APPLICATION_JSON)
public final class AuditResource {
  private final AuditLog audit;

  public AuditResource(AuditLog audit) {
    this.audit = audit;
  }

  /** Newest first; every filter optional; {@code limit} and {@code cursor} page through. */
  @GET
  public AuditListView list(
      @QueryParam("principal") String principal,
      @QueryParam("runId") String runId,
      @QueryParam("action") String action,
      @QueryParam("since") String since,
      @QueryParam("until") String until,
      @QueryParam("outcome") String outcome,
      @QueryParam("limit") String limit,
      @QueryParam("cursor") String cursor) {
    AuditListQuery query = AuditListQuery.parse(principal, runId, action, since, until, outcome, limit, cursor);
    Page<AuditEntry> page = audit.list(query.query(), query.cursor(), query.limit());
    return new AuditListView(page.items().stream().map(AuditEntryView::of).toList(), page.nextCursor());
  }
}
