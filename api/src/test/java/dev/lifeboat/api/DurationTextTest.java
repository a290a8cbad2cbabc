package dev.lifeboat.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationTextTest {

  @ParameterizedTest
  @CsvSource({"PT2H, PT2H", "pt90m, PT1H30M", "P1D, PT24H", "90m, PT1H30M", "2h, PT2H", "1h30m, PT1H30M",
      "1d, PT24H", "45s, PT45S", "' 2H ', PT2H", "-PT1H, PT-1H"})
  void parse_acceptsIsoAndShortForms(String text, String expected) {
    assertThat(DurationText.parse(text)).contains(Duration.parse(expected));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "two hours", "2", "h", "2 h", "2w", "1.5h", "PT", "9999999999h"})
  void parse_refusesAnythingElse(String text) {
    assertThat(DurationText.parse(text)).isEmpty();
  }
}
