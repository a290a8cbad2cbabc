package dev.lifeboat.common.model;

/**
 * A query run on the drill instance (read-only) whose first column of its first row must be true,
 * e.g. {@code select count(*) > 0 from orders.orders where created_at > now() - interval '2 days'}.
 */
public record SqlCheck(String name, String sql) {}
