package dev.lifeboat.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeboat.activities.testing.TestPostgres;
import dev.lifeboat.catalog.IdempotencyKeyStore.Entry;
import dev.lifeboat.catalog.IdempotencyKeyStore.Reservation;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Idempotency keys on a real PostgreSQL 15: one reservation per caller and key, however many race for it. */
class JdbiIdempotencyKeyStoreIT {
  private static TestPostgres postgres;
  private static IdempotencyKeyStore keys;

  @BeforeAll
  static void start() {
    postgres = TestPostgres.start("catalog-idempotency");
    keys = Catalog.open(postgres.dataSource()).idempotencyKeys();
  }

  @AfterAll
  static void stop() {
    if (postgres != null) {
      postgres.close();
    }
  }

  private static String newKey() {
    return "key-" + UUID.randomUUID();
  }

  @Test
  void reserve_firstUse_reservesTheKeyWithTheRunId() {
    String key = newKey();
    Instant before = Instant.now().minusSeconds(5);

    Reservation reservation = keys.reserve("alice", key, "fp-1", "restore-a-00000001");

    assertThat(reservation.reserved()).isTrue();
    Entry entry = reservation.entry();
    assertThat(entry.principal()).isEqualTo("alice");
    assertThat(entry.key()).isEqualTo(key);
    assertThat(entry.fingerprint()).isEqualTo("fp-1");
    assertThat(entry.runId()).isEqualTo("restore-a-00000001");
    assertThat(entry.createdAt()).isAfter(before);
    assertThat(entry.status()).isNull();
  }

  @Test
  void reserve_again_getsTheFirstEntryWhateverItsOwnFingerprintAndRunId() {
    String key = newKey();
    Entry first = keys.reserve("alice", key, "fp-1", "restore-a-00000001").entry();

    Reservation same = keys.reserve("alice", key, "fp-1", "restore-a-00000002");
    Reservation other = keys.reserve("alice", key, "fp-2", "restore-a-00000003");

    assertThat(same.reserved()).isFalse();
    assertThat(same.entry()).isEqualTo(first);
    assertThat(other.reserved()).isFalse();
    assertThat(other.entry()).isEqualTo(first);
  }

  @Test
  void reserve_sameKeyByAnotherCaller_isThatCallersOwn() {
    String key = newKey();
    keys.reserve("alice", key, "fp-1", "restore-a-00000001");

    Reservation olga = keys.reserve("olga", key, "fp-1", "restore-a-00000002");

    assertThat(olga.reserved()).isTrue();
    assertThat(olga.entry().runId()).isEqualTo("restore-a-00000002");
  }

  @Test
  void recordStatus_keepsTheFirstStatusOfTheReservingRun() {
    String key = newKey();
    keys.reserve("alice", key, "fp-1", "snapshot-a-20261124-1031");

    keys.recordStatus("alice", key, "snapshot-other-20261124-1031", 500);
    assertThat(keys.reserve("alice", key, "fp-1", "x").entry().status()).as("another run's status").isNull();
    keys.recordStatus("alice", key, "snapshot-a-20261124-1031", 202);
    keys.recordStatus("alice", key, "snapshot-a-20261124-1031", 200);

    assertThat(keys.reserve("alice", key, "fp-1", "x").entry().status()).isEqualTo(202);
  }

  @Test
  void reserve_ofAKeyOlderThanTheRetention_takesItOverAsNew() throws SQLException {
    String key = newKey();
    keys.reserve("alice", key, "fp-1", "restore-a-00000001");
    keys.recordStatus("alice", key, "restore-a-00000001", 202);
    age("alice", key, IdempotencyKeyStore.RETENTION.plusHours(1));

    Reservation reservation = keys.reserve("alice", key, "fp-2", "restore-a-00000002");

    assertThat(reservation.reserved()).isTrue();
    assertThat(reservation.entry().fingerprint()).isEqualTo("fp-2");
    assertThat(reservation.entry().runId()).isEqualTo("restore-a-00000002");
    assertThat(reservation.entry().status()).isNull();
    assertThat(reservation.entry().createdAt()).isAfter(Instant.now().minusSeconds(60));
  }

  @Test
  void reserve_ofAKeyYoungerThanTheRetention_staysTheFirstRequests() throws SQLException {
    String key = newKey();
    keys.reserve("alice", key, "fp-1", "restore-a-00000001");
    age("alice", key, IdempotencyKeyStore.RETENTION.minusHours(1));

    Reservation reservation = keys.reserve("alice", key, "fp-2", "restore-a-00000002");

    assertThat(reservation.reserved()).isFalse();
    assertThat(reservation.entry().runId()).isEqualTo("restore-a-00000001");
  }

  @Test
  void reserve_concurrentlyWithOneKey_reservesItExactlyOnce() throws Exception {
    String key = newKey();
    int callers = 16;
    CountDownLatch go = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(callers);
    try {
      List<Future<Reservation>> futures = new ArrayList<>();
      for (int i = 0; i < callers; i++) {
        String runId = "restore-a-" + String.format("%08d", i);
        futures.add(pool.submit(() -> {
          go.await();
          return keys.reserve("alice", key, "fp-1", runId);
        }));
      }
      go.countDown();
      List<Reservation> reservations = new ArrayList<>();
      for (Future<Reservation> future : futures) {
        reservations.add(future.get(30, TimeUnit.SECONDS));
      }

      assertThat(reservations).filteredOn(Reservation::reserved).hasSize(1);
      String winner = reservations.stream().filter(Reservation::reserved).findFirst().orElseThrow().entry().runId();
      assertThat(reservations).extracting(r -> r.entry().runId()).containsOnly(winner);
    } finally {
      pool.shutdownNow();
    }
  }

  /** Moves a key's reservation back in time, as if it had been made {@code age} ago. */
  private static void age(String principal, String key, Duration age) throws SQLException {
    try (Connection connection = postgres.dataSource().getConnection();
        PreparedStatement statement = connection.prepareStatement(
            "UPDATE idempotency_keys SET created_at = now() - make_interval(secs => ?)"
                + " WHERE principal = ? AND key = ?")) {
      statement.setDouble(1, age.toSeconds());
      statement.setString(2, principal);
      statement.setString(3, key);
      assertThat(statement.executeUpdate()).isEqualTo(1);
    }
  }
}
