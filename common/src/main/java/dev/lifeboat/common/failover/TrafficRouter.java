package dev.lifeboat.common.failover;

import dev.lifeboat.common.model.Endpoint;
import java.util.List;

/**
 * The connection pooler applications reach the database through (PgBouncer): Lifeboat rewrites a
 * database's entry to point at a new primary. Every method is idempotent.
 */
public interface TrafficRouter {
  /** For an installation without a pooler Lifeboat manages: every call fails saying so. */
  TrafficRouter UNAVAILABLE = Unavailable.INSTANCE;

  /** The pooler's databases and where each points. */
  List<TrafficRoute> routes();

  /**
   * Points {@code database} at {@code target}: rewrites the entry, then {@code PAUSE} (in-flight
   * transactions finish, new ones wait), {@code RELOAD}, {@code RESUME}. When the entry already
   * points there nothing is paused.
   *
   * @return the route now in place
   */
  TrafficRoute switchTo(String database, Endpoint target);

  /** Connects through the pooler to {@code database} and asks the server that answers who it is. */
  TrafficCheck check(String database);

  /** Where clients connect: the pooler's own address for {@code database}. */
  Endpoint endpoint(String database);
}
