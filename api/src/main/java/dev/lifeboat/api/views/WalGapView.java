package dev.lifeboat.api.views;

import dev.lifeboat.common.model.WalGap;
import java.time.Instant;

/** Archived WAL that is missing: no restore target can lie across it. */
public record WalGapView(String missingFrom, String missingTo, Instant from, Instant to) {
  public static WalGapView of(WalGap gap) {
    return new WalGapView(gap.missingFrom(), gap.missingTo(), gap.from(), gap.to());
  }
}
