package dev.lifeboat.api.resources;

import dev.lifeboat.api.errors.InvalidRequest;
import dev.lifeboat.api.views.InstanceListView;
import dev.lifeboat.api.views.InstanceView;
import dev.lifeboat.api.views.RestoreWindowView;
import dev.lifeboat.common.Ids;
import dev.lifeboat.common.platform.Platform;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** The instances the platform manages and the times each can be restored to. */
@Path("/v1/instances")
@Produces(MediaType.APPLICATION_JSON)
public final class InstancesResource {
  private final Platform platform;

  public InstancesResource(Platform platform) {
    this.platform = platform;
  }

  @GET
  public InstanceListView list() {
    return new InstanceListView(platform.listInstances().stream().map(InstanceView::of).toList());
  }

  @GET
  @Path("/{id}/restore-window")
  public RestoreWindowView restoreWindow(@PathParam("id") String instance) {
    if (!Ids.validInstanceId(instance)) {
      throw InvalidRequest.field("instance", "'" + instance + "' is not an instance id, e.g. techcorp-primary.");
    }
    return RestoreWindowView.of(platform.restoreWindow(instance));
  }
}
