package dev.lifeboat.common.failover;

import dev.lifeboat.common.ErrorType;
import dev.lifeboat.common.LifeboatException;
import java.time.Instant;
import java.util.Map;

/**
 * Makes a {@link FailoverRequest} a failover drill's rehearsal: the same workflow and steps, on
 * copies. Nothing in production changes: the old primary is measured but not fenced, the instances
 * restored are temporary (owned by the drill, deleted by it or by the reaper after
 * {@code expiresAt}), no approval is waited for, and the pooler entry switched is the drill's own
 * copy of production's entry ({@link FailoverRequest#database()} names it).
 *
 * @param drillRunId the drill run that owns the temporary instances and the pooler entry
 * @param expiresAt when the reaper deletes the temporary instances if the drill never does
 * @param productionDatabase the production pooler entry the drill's entry copies (never switched)
 */
public record Rehearsal(String drillRunId, Instant expiresAt, String productionDatabase) {

  /** Marks a rehearsal's pooler entry: production entries never carry it. */
  public static final String POOLER_DATABASE_INFIX = "_drill_";

  /** The drill's own pooler entry copying {@code database}: {@code <database>_drill_<drill suffix>}. */
  public static String poolerDatabase(String database, String drillSuffix) {
    return database + POOLER_DATABASE_INFIX + drillSuffix;
  }

  /** True for a pooler entry a failover drill added (only those are ever removed). */
  public static boolean isRehearsalDatabase(String database) {
    return database != null && database.matches("[A-Za-z_][A-Za-z0-9_]*" + POOLER_DATABASE_INFIX + "[a-z0-9]{4,16}");
  }

  /** A drill's temporary instance without an owner would be swept as an orphan, without expiry never reaped. */
  public static void requireOwner(String instanceId, String ownerRunId, Instant expiresAt) {
    if (ownerRunId == null || ownerRunId.isBlank() || expiresAt == null) {
      throw new LifeboatException(ErrorType.INVALID_REQUEST, "A failover drill's temporary instance " + instanceId
          + " needs the drill's run id and an expiry (owner '" + ownerRunId + "', expires " + expiresAt + ")."
          + " Nothing was created.", Map.of("instance", instanceId));
    }
  }
}
