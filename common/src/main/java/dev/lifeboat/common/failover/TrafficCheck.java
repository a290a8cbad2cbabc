package dev.lifeboat.common.failover;

/**
 * A query through the pooler after a switch: which server answered.
 *
 * @param inRecovery {@code pg_is_in_recovery()} of the server that answered: false for a primary
 * @param systemIdentifier its {@code system_identifier}
 * @param port its {@code inet_server_port()}: tells the new primary from the old one on one host
 * @param timeline the timeline it writes WAL on (from {@code pg_walfile_name(pg_current_wal_lsn())}); null in
 *     recovery or when unknown. A promotion starts a new timeline, so this tells the new primary from the fenced
 *     old one where ports and system identifiers are the same (RDS: every instance answers on 5432)
 */
public record TrafficCheck(String database, boolean inRecovery, String systemIdentifier, int port, Long timeline) {

  /** A check without a timeline. */
  public TrafficCheck(String database, boolean inRecovery, String systemIdentifier, int port) {
    this(database, inRecovery, systemIdentifier, port, null);
  }

  /**
   * Whether the new primary answered: not in recovery, on its port, on its timeline and with its
   * system identifier, each compared where both sides know it (0 or null: unknown). A replica shares
   * its primary's system identifier, so the port tells them apart on one host; on RDS every instance
   * answers on 5432 and {@code pg_control_system()} may be unreadable, and the timeline tells.
   */
  public boolean landsOn(int expectedPort, long expectedTimeline, String expectedSystemIdentifier) {
    return !inRecovery && port == expectedPort
        && (expectedTimeline <= 0 || timeline == null || timeline == expectedTimeline)
        && (expectedSystemIdentifier == null || systemIdentifier == null
            || systemIdentifier.equals(expectedSystemIdentifier));
  }
}
