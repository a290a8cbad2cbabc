package dev.lifeboat.api.resources;

import dev.lifeboat.api.Requester;
import dev.lifeboat.api.schedules.ScheduleControl;
import dev.lifeboat.api.views.PauseBody;
import dev.lifeboat.api.views.ScheduleListView;
import dev.lifeboat.api.views.ScheduleView;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * The configured schedules, as their workflows describe them. The actions answer 202: the signal
 * is delivered, the schedule acts on it when its workflow next runs.
 */
@Path("/v1/schedules")
@Produces(MediaType.APPLICATION_JSON)
public final class SchedulesResource {
  private final ScheduleControl control;

  public SchedulesResource(ScheduleControl control) {
    this.control = control;
  }

  @GET
  public ScheduleListView list() {
    return new ScheduleListView(control.list().stream().map(ScheduleView::of).toList());
  }

  @GET
  @Path("/{id}")
  public ScheduleView get(@PathParam("id") String id) {
    return ScheduleView.of(control.describe(id));
  }

  /** Stops firing until resumed; a run already started goes on. */
  @POST
  @Path("/{id}/pause")
  @Consumes(MediaType.APPLICATION_JSON)
  public Response pause(@PathParam("id") String id, PauseBody body, @Context HttpHeaders headers) {
    return accepted(ScheduleView.of(control.pause(id, body == null ? null : body.reason(), Requester.of(headers))));
  }

  @POST
  @Path("/{id}/resume")
  public Response resume(@PathParam("id") String id, @Context HttpHeaders headers) {
    return accepted(ScheduleView.of(control.resume(id, Requester.of(headers))));
  }

  /** Fires once now, whatever the cron says; skipped like any fire while the previous run runs. */
  @POST
  @Path("/{id}/trigger")
  public Response trigger(@PathParam("id") String id, @Context HttpHeaders headers) {
    return accepted(ScheduleView.of(control.trigger(id, Requester.of(headers))));
  }

  private static Response accepted(ScheduleView schedule) {
    return Response.accepted(schedule).build();
  }
}
