package dev.lifeboat.activities.pooler;

import dev.lifeboat.common.ErrorType;
import dev.lifeboat.common.LifeboatException;
import dev.lifeboat.common.failover.Rehearsal;
import dev.lifeboat.common.model.Endpoint;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What Lifeboat writes into a [databases] entry, checked first: names and hosts go into a file
 * PgBouncer parses and into admin commands, so only plain ones are taken.
 */
public final class PoolerNames {
  public static final Pattern DATABASE_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
  public static final Pattern HOST = Pattern.compile("[A-Za-z0-9][A-Za-z0-9.:-]{0,252}");

  private PoolerNames() {}

  /** @throws LifeboatException INVALID_REQUEST for a name or a target Lifeboat does not write */
  public static void validate(String database, Endpoint target) {
    if (database == null || !DATABASE_NAME.matcher(database).matches()
        || PgBouncerConsole.ADMIN_DATABASE.equals(database)) {
      throw new LifeboatException(ErrorType.INVALID_REQUEST, "Invalid pooler database name '" + database + "'",
          details("database", database));
    }
    boolean validDatabase = target != null && (target.database() == null
        || DATABASE_NAME.matcher(target.database()).matches());
    if (!validDatabase || target.host() == null || !HOST.matcher(target.host()).matches() || target.port() <= 0
        || target.port() > 65535) {
      throw new LifeboatException(ErrorType.INVALID_REQUEST, "Invalid target for pooler database " + database + ": "
          + target, details("database", database));
    }
  }

  /** Only a failover drill's own entries are added and removed: production entries never are. */
  public static void requireRehearsalName(String database, String what) {
    if (!Rehearsal.isRehearsalDatabase(database) || !DATABASE_NAME.matcher(database).matches()) {
      throw new LifeboatException(ErrorType.INVALID_REQUEST, "Pooler database '" + database + "' is not a failover"
          + " drill's entry (<database>" + Rehearsal.POOLER_DATABASE_INFIX + "<suffix>, lower case): only those are "
          + what + " by a drill. Nothing was changed.", details("database", database));
    }
  }

  static Map<String, Object> details(Object... keyValues) {
    Map<String, Object> details = new LinkedHashMap<>();
    for (int i = 0; i + 1 < keyValues.length; i += 2) {
      if (keyValues[i + 1] != null) {
        details.put(String.valueOf(keyValues[i]), keyValues[i + 1]);
      }
    }
    return details;
  }
}
