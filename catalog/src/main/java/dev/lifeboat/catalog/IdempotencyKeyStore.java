package dev.lifeboat.catalog;

import java.time.Duration;
import java.time.Instant;

/**
 * The {@code Idempotency-Key}s of requests that start runs, per caller: which request a key was
 * first sent with (as a fingerprint) and which run it names.
 */
public interface IdempotencyKeyStore {
  /** How long a key is remembered; a reservation older than this is taken over as if the key were new. */
  Duration RETENTION = Duration.ofDays(7);

  /**
   * A key's first use.
   *
   * @param createdAt when it was reserved, by the database's clock
   * @param status what the reserving request answered; null until it answered (or when it failed)
   */
  record Entry(String principal, String key, String fingerprint, String runId, Instant createdAt, Integer status) {}

  /** The entry in force after {@link #reserve}, and whether this call made it (false: an earlier request did). */
  record Reservation(Entry entry, boolean reserved) {}

  /**
   * Reserves {@code key} of {@code principal} for this request and its run id, atomically: of
   * concurrent calls with one key exactly one reserves it, and every other gets that entry.
   */
  Reservation reserve(String principal, String key, String fingerprint, String runId);

  /** Records the status the reserving request answered with; the first recorded status stays. */
  void recordStatus(String principal, String key, String runId, int status);
}
