package dev.lifeboat.activities.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class WalCommitTimesTest {
  @Test
  void parseLine_readsCommitAndAbortTimes_inUtc() {
    assertThat(WalCommitTimes.parseLine("rmgr: Transaction len (rec/tot):     34/    34, tx:        725, lsn: 0/01516660,"
        + " prev 0/01516618, desc: COMMIT 2026-11-25 00:40:34.147853 UTC"))
        .contains(Instant.parse("2026-11-25T00:40:34.147853Z"));
    assertThat(WalCommitTimes.parseLine("rmgr: Transaction len (rec/tot):     70/    70, tx:        724, lsn: 0/01516618,"
        + " prev 0/015165D8, desc: ABORT 2026-11-25 00:40:34.145884 UTC; rels: base/5/16384"))
        .contains(Instant.parse("2026-11-25T00:40:34.145884Z"));
  }

  @Test
  void parseLine_ignoresOtherRecords() {
    assertThat(WalCommitTimes.parseLine("rmgr: Transaction len (rec/tot): 50/50, tx: 0, lsn: 0/0150, prev 0/0100,"
        + " desc: RUNNING_XACTS nextXid 726")).isEmpty();
  }
}
