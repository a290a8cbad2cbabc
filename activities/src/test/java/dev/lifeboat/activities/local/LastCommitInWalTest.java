package dev.lifeboat.activities.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a failover compares with a standby's pg_last_xact_replay_timestamp(): the last commit record, not the newest time. */
class LastCommitInWalTest {
  // three sessions committing at once: the last record carries an earlier time than the one before it
  private static final String DUMP = """
      rmgr: Transaction len (rec/tot):     34/    34, tx:       5159, lsn: 0/07000100, prev 0/070000B8, desc: COMMIT 2026-11-30 18:53:48.590997 UTC
      rmgr: Transaction len (rec/tot):     34/    34, tx:       5158, lsn: 0/07000198, prev 0/07000168, desc: COMMIT 2026-11-30 18:53:48.597072 UTC
      rmgr: Transaction len (rec/tot):     34/    34, tx:       5157, lsn: 0/070001C0, prev 0/07000198, desc: COMMIT 2026-11-30 18:53:48.591112 UTC
      pg_waldump: error: error in WAL record at 0/70001C0: invalid record length at 0/70001E8: wanted 24, got 0
      """;

  @Test
  void lastInDump_isTheLastRecordInWalOrder_notTheNewestTime(@TempDir Path dir) throws Exception {
    Path dump = Files.writeString(dir.resolve("waldump.txt"), DUMP);

    assertThat(WalCommitTimes.lastInDump(dump)).contains(Instant.parse("2026-11-30T18:53:48.591112Z"));
    assertThat(WalCommitTimes.newestInDump(dump)).contains(Instant.parse("2026-11-30T18:53:48.597072Z"));
  }

  @Test
  void lastInDump_withoutTransactionRecords_isEmpty(@TempDir Path dir) throws Exception {
    Path dump = Files.writeString(dir.resolve("waldump.txt"), "pg_waldump: error: invalid record length\n");

    assertThat(WalCommitTimes.lastInDump(dump)).isEmpty();
  }
}
