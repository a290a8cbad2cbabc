package dev.lifeboat.api.tables;

import dev.lifeboat.common.model.TableRef;

/** Looks a table up in an instance's {@code pg_catalog}. */
@FunctionalInterface
public interface TableCheck {
  /**
   * @throws dev.lifeboat.common.LifeboatException TABLE_NOT_FOUND when it does not exist,
   *     NOT_A_PLAIN_TABLE when it is a view, a partitioned parent or another kind without rows of its own
   */
  void check(String instanceId, TableRef table);
}
