package dev.lifeboat.api.health;

import com.codahale.metrics.health.HealthCheck;
import dev.lifeboat.common.platform.Platform;

/** The platform can list its instances: the first thing every restore asks it. */
public final class PlatformHealthCheck extends HealthCheck {
  private final Platform platform;

  public PlatformHealthCheck(Platform platform) {
    this.platform = platform;
  }

  @Override
  protected Result check() {
    try {
      int count = platform.listInstances().size();
      return Result.healthy("%d instances on %s", count, platform.name());
    } catch (RuntimeException e) {
      return Result.unhealthy("platform %s cannot list its instances: %s", platform.name(), e.getMessage());
    }
  }
}
