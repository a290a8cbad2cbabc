package dev.lifeboat.common.failover;

/**
 * A query through the pooler after a switch: which server answered.
 *
 * @param inRecovery {@code pg_is_in_recovery()} of the server that answered: false for a primary
 * @param systemIdentifier its {@code system_identifier}
 * @param port its {@code inet_server_port()}: tells the new primary from the old one on one host
 */
public record TrafficCheck(String database, boolean inRecovery, String systemIdentifier, int port) {}
