package dev.lifeboat.app.cli;

import dev.lifeboat.app.LifeboatConfiguration;
import dev.lifeboat.app.Role;
import io.dropwizard.core.Application;
import java.util.EnumSet;

/**
 * {@code lifeboat dev}: everything on one machine in one process: the embedded Temporal server,
 * the demo fleet on real PostgreSQL clusters, the catalog, the worker and the API.
 */
public final class DevCommand extends RoleCommand {
  public DevCommand(Application<LifeboatConfiguration> application) {
    super(application, "dev", "Runs everything on this machine: embedded Temporal, a demo fleet, catalog, worker, API");
  }

  @Override
  void assignRoles(LifeboatConfiguration configuration) {
    configuration.setRoles(configuration.getDev().isWorker() ? EnumSet.of(Role.API, Role.WORKER)
        : EnumSet.of(Role.API));
    configuration.setDevMode(true);
  }
}
