package dev.lifeboat.app;

import dev.lifeboat.activities.tables.TableCatalog;
import dev.lifeboat.api.tables.TableCheck;
import dev.lifeboat.common.ErrorType;
import dev.lifeboat.common.LifeboatException;
import dev.lifeboat.common.model.TableRef;
import dev.lifeboat.common.platform.Platform;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;

/** The API's table lookup: the instance's {@code pg_catalog}, through the platform's credentials. */
final class PgCatalogTableCheck implements TableCheck {
  private final Platform platform;

  PgCatalogTableCheck(Platform platform) {
    this.platform = platform;
  }

  @Override
  public void check(String instanceId, TableRef table) {
    try (Connection c = platform.dataSource(instanceId).getConnection()) {
      TableCatalog.check(c, table);
    } catch (SQLException e) {
      throw new LifeboatException(ErrorType.PLATFORM_ERROR, "Cannot look up " + table.display() + " on "
          + instanceId + ": " + e.getMessage() + ". Retry once the instance answers.",
          Map.of("instance", instanceId, "table", table.display()), e);
    }
  }
}
