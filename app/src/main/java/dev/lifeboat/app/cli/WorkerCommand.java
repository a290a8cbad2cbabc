package dev.lifeboat.app.cli;

import dev.lifeboat.app.LifeboatConfiguration;
import dev.lifeboat.app.Role;
import io.dropwizard.core.Application;
import io.dropwizard.core.server.SimpleServerFactory;
import io.dropwizard.jetty.HttpConnectorFactory;
import java.util.EnumSet;

/**
 * {@code lifeboat worker}: polls the task queue and runs workflows and activities. It serves only
 * health checks and metrics, on {@code worker.port}, so it can run beside the API on one host.
 */
public final class WorkerCommand extends RoleCommand {
  public WorkerCommand(Application<LifeboatConfiguration> application) {
    super(application, "worker", "Runs a worker (workflows and activities) against the configured Temporal service");
  }

  @Override
  void assignRoles(LifeboatConfiguration configuration) {
    configuration.setRoles(EnumSet.of(Role.WORKER));
    if (configuration.getServerFactory() instanceof SimpleServerFactory simple
        && simple.getConnector() instanceof HttpConnectorFactory http) {
      http.setPort(configuration.getWorker().getPort());
    }
  }
}
