package dev.lifeboat.api.health;

import com.codahale.metrics.health.HealthCheck;
import dev.lifeboat.catalog.Catalog;

/** The catalog database answers: without it no run can be created or listed. */
public final class CatalogHealthCheck extends HealthCheck {
  private final Catalog catalog;

  public CatalogHealthCheck(Catalog catalog) {
    this.catalog = catalog;
  }

  @Override
  protected Result check() {
    return catalog.ping() ? Result.healthy() : Result.unhealthy("the catalog database does not answer");
  }
}
