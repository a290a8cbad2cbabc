package dev.lifeboat.api;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Duration;

/**
 * How long a restored instance may be kept. Embeddable in the YAML configuration; both keys are
 * optional and take {@link DurationText} forms:
 *
 * <pre>
 * restoreLimits:
 *   defaultTtl: 4h
 *   maxTtl: 24h
 * </pre>
 *
 * @param defaultTtl when a restore request names no TTL
 * @param maxTtl the longest TTL a request may ask for: a forgotten temporary instance costs money
 */
public record RestoreLimits(Duration defaultTtl, Duration maxTtl) {
  public static final RestoreLimits DEFAULTS = new RestoreLimits(Duration.ofHours(4), Duration.ofHours(24));

  public RestoreLimits {
    if (defaultTtl == null || maxTtl == null || defaultTtl.isNegative() || defaultTtl.isZero()
        || defaultTtl.compareTo(maxTtl) > 0) {
      throw new IllegalArgumentException(
          "restoreLimits need 0 < defaultTtl <= maxTtl, got defaultTtl=" + defaultTtl + ", maxTtl=" + maxTtl);
    }
  }

  @JsonCreator
  static RestoreLimits fromConfig(
      @JsonProperty("defaultTtl") String defaultTtl, @JsonProperty("maxTtl") String maxTtl) {
    return new RestoreLimits(
        configured("defaultTtl", defaultTtl, DEFAULTS.defaultTtl),
        configured("maxTtl", maxTtl, DEFAULTS.maxTtl));
  }

  private static Duration configured(String key, String text, Duration fallback) {
    if (text == null) {
      return fallback;
    }
    return DurationText.parse(text).orElseThrow(() -> new IllegalArgumentException(
        "restoreLimits." + key + " '" + text + "' is not " + DurationText.EXPECTED));
  }
}
