package dev.lifeboat.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lifeboat.common.ErrorType;
import dev.lifeboat.common.LifeboatException;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CursorsTest {

  @Test
  void runCursor_roundTripsEvenWithSeparatorsInTheId() {
    Instant startedAt = Instant.parse("2026-11-24T10:31:00.123456Z");

    String cursor = Cursors.run(startedAt, "odd|run|id");

    assertThat(cursor).doesNotContain("|", "+", "/", "=");
    assertThat(Cursors.run(cursor)).isEqualTo(new Cursors.RunPosition(startedAt, "odd|run|id"));
  }

  @Test
  void auditCursor_roundTrips() {
    assertThat(Cursors.audit(Cursors.audit(9_000_000_000L))).isEqualTo(9_000_000_000L);
  }

  @ParameterizedTest
  @ValueSource(strings = {"not base64!", "bm9wZQ", "cjF8bm90LWEtdGltZXxpZA", "YTF8NDI"})
  void runCursor_whenNotOurs_isInvalidRequestNamingTheField(String cursor) {
    assertThatThrownBy(() -> Cursors.run(cursor))
        .isInstanceOfSatisfying(LifeboatException.class, e -> {
          assertThat(e.type()).isEqualTo(ErrorType.INVALID_REQUEST);
          assertThat(e.details()).containsEntry("field", "cursor");
        });
  }

  @Test
  void pageLimits_clamp() {
    assertThat(PageLimits.clamp(-5)).isEqualTo(1);
    assertThat(PageLimits.clamp(0)).isEqualTo(1);
    assertThat(PageLimits.clamp(50)).isEqualTo(50);
    assertThat(PageLimits.clamp(1000)).isEqualTo(PageLimits.MAX);
  }
}
