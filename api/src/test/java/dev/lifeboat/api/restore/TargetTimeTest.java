package dev.lifeboat.api.restore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lifeboat.common.ErrorType;
import dev.lifeboat.common.LifeboatException;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class TargetTimeTest {

  @Test
  void parse_acceptsZuluAndOffsets() {
    assertThat(TargetTime.parse("targetTime", "2026-11-24T10:31:00Z")).isEqualTo(Instant.parse("2026-11-24T10:31:00Z"));
    assertThat(TargetTime.parse("targetTime", "2026-11-24T11:31:00+01:00"))
        .isEqualTo(Instant.parse("2026-11-24T10:31:00Z"));
    assertThat(TargetTime.parse("targetTime", "2026-11-24T10:31:00.250Z"))
        .isEqualTo(Instant.parse("2026-11-24T10:31:00.250Z"));
  }

  @Test
  void parse_whenOffsetMissing_refusesWithAdvice() {
    assertThatThrownBy(() -> TargetTime.parse("targetTime", "2026-11-24T10:31:00"))
        .isInstanceOfSatisfying(LifeboatException.class, e -> {
          assertThat(e.type()).isEqualTo(ErrorType.INVALID_REQUEST);
          assertThat(e.getMessage()).contains("no UTC offset", "2026-11-24T10:31:00Z");
          assertThat(e.details()).containsEntry("field", "targetTime");
        });
  }

  @Test
  void parse_whenNotIso_refusesNamingTheFormat() {
    assertThatThrownBy(() -> TargetTime.parse("targetTime", "24/11/2026 10:31"))
        .isInstanceOfSatisfying(LifeboatException.class, e -> {
          assertThat(e.getMessage()).contains("ISO-8601");
          assertThat(e.details()).containsKey("expected");
        });
  }
}
