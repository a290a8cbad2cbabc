package dev.lifeboat.api.resources;

import dev.lifeboat.api.ListPages;
import dev.lifeboat.api.Requester;
import dev.lifeboat.api.auth.AccessRole;
import dev.lifeboat.api.auth.Allowed;
import dev.lifeboat.api.schedules.ScheduleControl;
import dev.lifeboat.api.views.PauseBody;
import dev.lifeboat.api.views.ScheduleListView;
import dev.lifeboat.api.views.ScheduleView;
import dev.lifeboat.common.model.ScheduleDescription;
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
import java.util.List;

/**
 * The configured schedules, as their workflows describe them. The actions answer 202: the signal
 * is delivered, the schedule acts on it when its workflow next runs.
 */
@Allowed(AccessRole.VIEWER)
@Path("/v1/schedules")
@Produces(MediaType.APPLICATION_JSON)
public final class SchedulesResource {
  private final ScheduleControl control;

  public SchedulesResource(ScheduleControl control) {
    this.control = control;
  }

  /** In configuration order; {@code limit} and {@code cursor} page through. */
  @GET
  public ScheduleListView list(@QueryParam("limit") String limit, @QueryParam("cursor") String cursor) {
    List<ScheduleDescription> schedules = control.list();
    List<String> order = schedules.stream().map(ScheduleDescription::id).toList();
    ListPages.Page<ScheduleDescription> page = new ListPages<ScheduleDescription>("s1", s -> List.of(s.id()),
        key -> {
          int last = order.indexOf(key.get(0));
          if (last < 0) {
            // the schedule the cursor points after is no longer configured: its place is unknown
            throw ListPages.badCursor();
          }
          return s -> order.indexOf(s.id()) > last;
        }).page(schedules, cursor, limit);
    return new ScheduleListView(page.items().stream().map(ScheduleView::of).toList(), page.nextCursor());
  }

  @GET
  @Path("/{id}")
  public ScheduleView get(@PathParam("id") String id) {
    return ScheduleView.of(control.describe(id));
  }

  /** Stops firing until resumed; a run already started goes on. */
  @Allowed(AccessRole.ADMIN)
  @POST
  @Path("/{id}/pause")
  @Consumes(MediaType.APPLICATION_JSON)
  public Response pause(@PathParam("id") String id, PauseBody body, @Context SecurityContext security) {
    return accepted(ScheduleView.of(control.pause(id, body == null ? null : body.reason(), Requester.of(security))));
  }

  @Allowed(AccessRole.ADMIN)
  @POST
  @Path("/{id}/resume")
  public Response resume(@PathParam("id") String id, @Context SecurityContext security) {
    return accepted(ScheduleView.of(control.resume(id, Requester.of(security))));
  }

  /** Fires once now, whatever the cron says; skipped like any fire while the previous run runs. */
  @Allowed(AccessRole.ADMIN)
  @POST
  @Path("/{id}/trigger")
  public Response trigger(@PathParam("id") String id, @Context SecurityContext security) {
    return accepted(ScheduleView.of(control.trigger(id, Requester.of(security))));
  }

  private static Response accepted(ScheduleView schedule) {
    return Response.accepted(schedule).build();
  }
}
