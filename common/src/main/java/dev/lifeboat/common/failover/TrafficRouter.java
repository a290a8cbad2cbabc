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
   * Fails unless a switch could be carried out now (the pooler's admin console answers): a failover
   * asks in its preflight, so a pooler it cannot drive stops it before anything is fenced.
   *
   * @throws dev.lifeboat.common.LifeboatException saying why
   */
  default void requireSwitchable() {}

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

  /**
   * A failover drill's own entry: adds {@code database} (a {@link Rehearsal#isRehearsalDatabase}
   * name) as a copy of the entry {@code like} (same server and options), then RELOAD; no other entry
   * changes. Idempotent: an entry of that name already there is answered as it is.
   *
   * @throws dev.lifeboat.common.LifeboatException INVALID_REQUEST when {@code database} is not a rehearsal name
   *     or {@code like} is not an entry
   */
  TrafficRoute addRehearsalRoute(String database, String like);

  /**
   * Removes a failover drill's entry added by {@link #addRehearsalRoute}, then RELOAD.
   *
   * @return false when it was not there
   * @throws dev.lifeboat.common.LifeboatException INVALID_REQUEST for a name that is not a rehearsal name (a
   *     production entry is never removed)
   */
  boolean removeRehearsalRoute(String database);
}
