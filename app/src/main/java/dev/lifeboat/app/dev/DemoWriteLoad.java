package dev.lifeboat.app.dev;

import io.dropwizard.lifecycle.Managed;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A light, steady write load on the demo primary (one order with its items and payment every
 * second), so the WAL archive always moves and a point-in-time restore has something to find.
 */
public final class DemoWriteLoad implements Managed {
  private static final Logger log = LoggerFactory.getLogger(DemoWriteLoad.class);
  private static final String ORDER = """
      with o as (
        insert into orders.orders (user_id, status, total_cents)
        values (1 + (random() * 1999)::int, 'paid', 500 + (random() * 50000)::int)
        returning id, total_cents)
      , i as (
        insert into orders.order_items (order_id, line, product_id, quantity, price_cents)
        select id, 1, 1 + (random() * 499)::int, 1, total_cents from o)
      insert into payments.payments (order_id, amount_cents, method, status)
      select id, total_cents, 'card', 'captured' from o
      """;

  private final DataSource primary;
  private ScheduledExecutorService executor;
  private volatile boolean warned;

  public DemoWriteLoad(DataSource primary) {
    this.primary = primary;
  }

  @Override
  public void start() {
    executor = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "demo-write-load");
      t.setDaemon(true);
      return t;
    });
    executor.scheduleWithFixedDelay(this::writeOne, 1, 1, TimeUnit.SECONDS);
  }

  private void writeOne() {
    try (Connection c = primary.getConnection(); Statement s = c.createStatement()) {
      s.execute(ORDER);
      warned = false;
    } catch (SQLException e) {
      if (!warned) {
        log.warn("demo write load paused: {}", e.getMessage());
        warned = true;
      }
    }
  }

  @Override
  public void stop() {
    if (executor != null) {
      executor.shutdownNow();
    }
  }
}
