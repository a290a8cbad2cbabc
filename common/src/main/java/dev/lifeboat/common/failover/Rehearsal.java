package dev.lifeboat.common.failover;

import dev.lifeboat.common.ErrorType;
import dev.lifeboat.common.LifeboatException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;

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

  /** The longest production entry a drill copies: its copy, with infix and 8-digit suffix, stays within 63. */
  public static final int MAX_DATABASE_LENGTH = 63 - POOLER_DATABASE_INFIX.length() - 8;

  /** The drill's own pooler entry copying {@code database}: {@code <database>_drill_<drill suffix>}. */
  public static String poolerDatabase(String database, String drillSuffix) {
    return database + POOLER_DATABASE_INFIX + drillSuffix;
  }

  /**
   * The suffix of the pooler entries of the drill run {@code drillRunId}: the first 8 hex digits of
   * its SHA-256, so an entry left behind names the drill that owns it (see {@link #suffixOf}).
   */
  public static String drillSuffix(String drillRunId) {
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(drillRunId.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(hash, 0, 4);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  /** The drill suffix of a rehearsal entry's name; empty for any other name. */
  public static Optional<String> suffixOf(String database) {
    return isRehearsalDatabase(database)
        ? Optional.of(database.substring(database.lastIndexOf(POOLER_DATABASE_INFIX) + POOLER_DATABASE_INFIX.length()))
        : Optional.empty();
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
