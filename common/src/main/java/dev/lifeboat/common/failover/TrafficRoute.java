package dev.lifeboat.common.failover;

/**
 * Where the connection pooler sends a database's clients.
 *
 * @param database the pooler's database name (the {@code [databases]} entry), e.g. {@code techcorp}
 * @param host the server behind it
 * @param port the server's port
 * @param instance the managed instance at that address; null when it is none Lifeboat knows
 */
public record TrafficRoute(String database, String host, int port, String instance) {}
