package dev.lifeboat.app.cli;

import dev.lifeboat.app.LifeboatConfiguration;
import dev.lifeboat.app.Role;
import io.dropwizard.core.Application;
import java.util.EnumSet;

/** {@code lifeboat server}: the REST API against a Temporal cluster; workers run apart. */
public final class ApiServerCommand extends RoleCommand {
  public ApiServerCommand(Application<LifeboatConfiguration> application) {
    super(application, "server", "Runs the REST API against the configured Temporal cluster");
  }

  @Override
  void assignRoles(LifeboatConfiguration configuration) {
    configuration.setRoles(EnumSet.of(Role.API));
  }
}
