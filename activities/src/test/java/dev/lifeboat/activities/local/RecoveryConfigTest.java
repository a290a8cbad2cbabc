package dev.lifeboat.activities.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class RecoveryConfigTest {
  @Test
  void formatTarget_isUtcWithMicroseconds() {
    assertThat(RecoveryConfig.formatTarget(Instant.parse("2026-11-24T10:31:00.123456789Z")))
        .isEqualTo("2026-11-24 10:31:00.123456+00:00");
  }
}
