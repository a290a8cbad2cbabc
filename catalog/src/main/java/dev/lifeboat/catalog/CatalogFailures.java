package dev.lifeboat.catalog;

import dev.lifeboat.common.ErrorType;
import dev.lifeboat.common.LifeboatException;
import java.sql.SQLException;
import java.util.Map;
import java.util.function.Supplier;
import org.jdbi.v3.core.ConnectionException;
import org.jdbi.v3.core.JdbiException;

/**
 * Turns "the database cannot be reached" into {@link ErrorType#CATALOG_UNAVAILABLE}, so callers
 * can tell an outage (retry later, answer 503) from a bug (a bad statement stays a JdbiException).
 */
final class CatalogFailures {
  private CatalogFailures() {}

  static <T> T guard(Supplier<T> call) {
    try {
      return call.get();
    } catch (JdbiException e) {
      if (unreachable(e)) {
        throw new LifeboatException(ErrorType.CATALOG_UNAVAILABLE,
            "The catalog database cannot be reached; retry in a moment.", Map.of(), e);
      }
      throw e;
    }
  }

  static void guard(Runnable call) {
    guard(() -> {
      call.run();
      return null;
    });
  }

  static boolean unreachable(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof ConnectionException) {
        return true;
      }
      // SQLSTATE class 08: connection exception; 57P0x: the server is shutting down or restarting
      if (t instanceof SQLException sql && sql.getSQLState() != null
          && (sql.getSQLState().startsWith("08") || sql.getSQLState().startsWith("57P0"))) {
        return true;
      }
    }
    return false;
  }
}
