package dev.lifeboat.activities.local;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class WalSegmentTest {
  @Test
  void parseAndName_roundTrip_acrossTheXlogIdBoundary() {
    WalSegment last = WalSegment.parse("0000000200000001000000FF");

    assertThat(last.timeline()).isEqualTo(2);
    assertThat(last.withSegno(last.segno() + 1).name()).isEqualTo("000000020000000200000000");
  }

  @Test
  void ofLsn_findsTheSegmentHoldingIt() {
    long lsn = WalSegment.parseLsn("0/3000028");

    assertThat(WalSegment.ofLsn(1, lsn).name()).isEqualTo("000000010000000000000003");
    assertThat(WalSegment.ofLsn(1, lsn).endLsn()).isEqualTo(WalSegment.parseLsn("0/4000000"));
  }

  @Test
  void isSegmentName_rejectsHistoryAndBackupFiles() {
    assertThat(WalSegment.isSegmentName("00000002.history")).isFalse();
    assertThat(WalSegment.isSegmentName("000000010000000000000002.00000028.backup")).isFalse();
    assertThat(WalSegment.isSegmentName("000000010000000000000002")).isTrue();
  }
}
