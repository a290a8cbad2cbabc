package dev.lifeboat.api.testing;

import dev.lifeboat.api.ApiContext;
import dev.lifeboat.api.LifeboatApi;
import io.dropwizard.core.Application;
import io.dropwizard.core.Configuration;
import io.dropwizard.core.setup.Environment;

/** The smallest application around the API, wired the way the launcher wires it. */
public final class ApiTestApp extends Application<Configuration> {
  private final ApiContext context;

  public ApiTestApp(ApiContext context) {
    this.context = context;
  }

  @Override
  public void run(Configuration configuration, Environment environment) {
    LifeboatApi.useOwnErrorBodies(configuration);
    LifeboatApi.register(environment, context);
  }
}
