package dev.lifeboat.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The YAML the launcher embeds: short or ISO forms, defaults for what is left out, nonsense refused at start. */
class RestoreLimitsTest {
  private final YAMLMapper yaml = new YAMLMapper();

  @Test
  void yaml_acceptsShortAndIsoForms() throws Exception {
    RestoreLimits limits = yaml.readValue("defaultTtl: 2h\nmaxTtl: P2D\n", RestoreLimits.class);

    assertThat(limits).isEqualTo(new RestoreLimits(Duration.ofHours(2), Duration.ofDays(2)));
  }

  @Test
  void yaml_withoutKeys_givesTheDefaults() throws Exception {
    assertThat(yaml.readValue("{}", RestoreLimits.class)).isEqualTo(RestoreLimits.DEFAULTS);
    assertThat(RestoreLimits.DEFAULTS.defaultTtl()).isEqualTo(Duration.ofHours(4));
    assertThat(RestoreLimits.DEFAULTS.maxTtl()).isEqualTo(Duration.ofHours(24));
  }

  @Test
  void yaml_withDefaultAboveMaximum_isRefused() {
    assertThatThrownBy(() -> yaml.readValue("defaultTtl: 30h\n", RestoreLimits.class))
        .isInstanceOf(ValueInstantiationException.class)
        .hasMessageContaining("defaultTtl <= maxTtl");
  }

  @Test
  void yaml_withMalformedDuration_isRefusedNamingTheKey() {
    assertThatThrownBy(() -> yaml.readValue("maxTtl: forever\n", RestoreLimits.class))
        .hasMessageContaining("restoreLimits.maxTtl 'forever'");
  }
}
