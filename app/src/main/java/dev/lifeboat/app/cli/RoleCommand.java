package dev.lifeboat.app.cli;

import dev.lifeboat.app.LifeboatConfiguration;
import io.dropwizard.core.Application;
import io.dropwizard.core.cli.ServerCommand;
import io.dropwizard.core.setup.Bootstrap;
import net.sourceforge.argparse4j.inf.Argument;
import net.sourceforge.argparse4j.inf.Namespace;
import net.sourceforge.argparse4j.inf.Subparser;

/**
 * A command that runs a Jetty server with some of Lifeboat's roles. The configuration file is
 * optional: without one, the built-in {@code lifeboat.yml} is used, which reads its settings from
 * environment variables with defaults for one machine.
 */
abstract class RoleCommand extends ServerCommand<LifeboatConfiguration> {
  static final String DEFAULT_CONFIG = "lifeboat.yml";

  RoleCommand(Application<LifeboatConfiguration> application, String name, String description) {
    super(application, name, description);
  }

  @Override
  protected Argument addFileArgument(Subparser subparser) {
    return super.addFileArgument(subparser).setDefault(DEFAULT_CONFIG)
        .help("configuration file (default: the built-in " + DEFAULT_CONFIG + ", driven by environment variables)");
  }

  @Override
  protected void run(Bootstrap<LifeboatConfiguration> bootstrap, Namespace namespace,
      LifeboatConfiguration configuration) throws Exception {
    assignRoles(configuration);
    super.run(bootstrap, namespace, configuration);
  }

  /** Decides what this process runs, before the application wires it. */
  abstract void assignRoles(LifeboatConfiguration configuration);
}
