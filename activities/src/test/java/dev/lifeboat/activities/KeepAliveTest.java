package dev.lifeboat.activities;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class KeepAliveTest {
  @Test
  void repeatsTheNewestReport_whileNoneComes() {
    List<String> details = Collections.synchronizedList(new ArrayList<>());
    List<Integer> percents = Collections.synchronizedList(new ArrayList<>());
    try (KeepAlive progress = new KeepAlive((detail, percent, bytes) -> {
      details.add(detail);
      percents.add(percent);
    }, Duration.ofMillis(50))) {
      progress.progress("adding the primary key of t", 85, 100L);

      await().atMost(Duration.ofSeconds(5)).until(() -> details.size() >= 3);
    }
    assertThat(details.get(0)).isEqualTo("adding the primary key of t");
    assertThat(details.subList(1, details.size())).allMatch(d -> d.matches("adding the primary key of t \\(\\d+ s\\)"));
    assertThat(percents).containsOnly(85);
  }

  @Test
  void aListenerFailingInTheBackground_isThrownAtTheNextReport() {
    AtomicBoolean cancelled = new AtomicBoolean();
    try (KeepAlive progress = new KeepAlive((d, p, b) -> {
      if (cancelled.get()) {
        throw new IllegalStateException("activity cancelled");
      }
    }, Duration.ofMillis(20))) {
      progress.progress("copying", 1, 1L);
      cancelled.set(true);
      await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
          assertThatThrownBy(() -> progress.progress("copying more", 2, 2L)).hasMessage("activity cancelled"));
    }
  }
}
