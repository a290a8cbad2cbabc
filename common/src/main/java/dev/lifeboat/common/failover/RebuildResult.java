package dev.lifeboat.common.failover;

import java.time.Instant;

/**
 * A former primary turned into a streaming replica of the instance that replaced it.
 *
 * @param how {@code rewound} ({@code pg_rewind} from the new primary, only the diverged blocks
 *     copied), {@code base-backup} (a fresh base backup, when rewinding was not possible), or
 *     {@code already-replica} (a retry found it streaming from the new primary)
 * @param why when not rewound, why not (for people)
 * @param streamingSince when it was seen streaming from the new primary
 * @param preserved where its data directory was kept before the rebuild changed it (the transactions that never
 *     reached the new primary live only there); null when the platform kept nothing aside
 */
public record RebuildResult(String instance, String newPrimary, String how, String why, Instant streamingSince,
    String preserved) {

  public RebuildResult(String instance, String newPrimary, String how, String why, Instant streamingSince) {
    this(instance, newPrimary, how, why, streamingSince, null);
  }
}
