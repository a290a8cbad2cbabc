package dev.lifeboat.activities.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeboat.common.ErrorType;
import dev.lifeboat.common.LifeboatException;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RecoveryDiagnosisTest {
  private static final Instant TARGET = Instant.parse("2026-11-24T10:31:00Z");

  @Test
  void targetNotReached_withoutGap_isRecoveryTargetNotReached() {
    LifeboatException e = RecoveryDiagnosis.diagnose("lb-pitr-1", "orders", TARGET, """
        LOG:  redo done at 0/5000100
        FATAL:  recovery ended before configured recovery target was reached
        LOG:  startup process (PID 42) exited with exit code 1""", false);

    assertThat(e.type()).isEqualTo(ErrorType.RECOVERY_TARGET_NOT_REACHED);
    assertThat(e.getMessage()).contains(TARGET.toString());
  }

  @Test
  void targetNotReached_withGapInArchive_isWalMissing() {
    LifeboatException e = RecoveryDiagnosis.diagnose("lb-pitr-1", "orders", TARGET,
        "FATAL:  recovery ended before configured recovery target was reached", true);

    assertThat(e.type()).isEqualTo(ErrorType.WAL_MISSING);
  }

  @Test
  void inconsistentEnd_isWalMissing() {
    LifeboatException e = RecoveryDiagnosis.diagnose("lb-pitr-1", "orders", TARGET,
        "FATAL:  WAL ends before consistent recovery point", false);

    assertThat(e.type()).isEqualTo(ErrorType.WAL_MISSING);
  }

  @Test
  void otherFailures_areStartFailures_withoutSecrets() {
    LifeboatException e = RecoveryDiagnosis.diagnose("lb-pitr-1", "orders", TARGET,
        "FATAL:  could not connect: host=x password=hunter2 user=y", false);

    assertThat(e.type()).isEqualTo(ErrorType.INSTANCE_START_FAILED);
    assertThat(e.getMessage()).doesNotContain("hunter2").contains("password=***");
  }
}
