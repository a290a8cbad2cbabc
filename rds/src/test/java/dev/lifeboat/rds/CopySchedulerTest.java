package dev.lifeboat.rds;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeboat.common.platform.ProgressListener;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CopySchedulerTest {
  private final CopyScheduler scheduler = new CopyScheduler(Duration.ofMillis(5));

  @Test
  void copies_withTwoSlotsAndFiveConcurrentCopies_neverHaveMoreThanTwoInFlight() throws Exception {
    AtomicInteger inFlight = new AtomicInteger();
    AtomicInteger maxSeen = new AtomicInteger();
    List<String> waits = Collections.synchronizedList(new ArrayList<>());
    ExecutorService pool = Executors.newFixedThreadPool(5);
    try {
      List<Future<String>> copies = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        String id = "snap-" + i;
        copies.add(pool.submit(() -> scheduler.run("us-west-2", 2, "arn:aws:rds:us-east-1:1:snapshot:" + id,
            () -> 0, (detail, percent, bytes) -> waits.add(detail),
            () -> maxSeen.accumulateAndGet(inFlight.incrementAndGet(), Math::max),
            () -> {
              CopyScheduler.sleep(Duration.ofMillis(60));
              inFlight.decrementAndGet();
              return id;
            })));
      }
      for (Future<String> copy : copies) {
        assertThat(copy.get(10, TimeUnit.SECONDS)).startsWith("snap-");
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(maxSeen.get()).isEqualTo(2);
    assertThat(waits).anyMatch(w -> w.startsWith("waiting for a copy slot in us-west-2"));
  }

  @Test
  void copies_startedByOtherWorkers_countAgainstTheSlots() {
    AtomicInteger others = new AtomicInteger(2);
    AtomicInteger checks = new AtomicInteger();
    List<String> waits = new ArrayList<>();

    String result = scheduler.run("us-west-2", 2, "arn:1", () -> {
      // two copies of other workers finish after a few checks
      if (checks.incrementAndGet() == 3) {
        others.set(1);
      }
      return others.get();
    }, (detail, percent, bytes) -> waits.add(detail), () -> { }, () -> "done");

    assertThat(result).isEqualTo("done");
    assertThat(checks.get()).isEqualTo(3);
    assertThat(waits).contains("waiting for a copy slot in us-west-2 (2 in flight)");
  }

  @Test
  void copies_ofOneSource_runOneAtATime() throws Exception {
    AtomicInteger inFlight = new AtomicInteger();
    AtomicInteger maxSeen = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(3);
    try {
      List<Future<String>> copies = new ArrayList<>();
      for (String region : List.of("us-west-2", "eu-west-1", "ap-south-1")) {
        copies.add(pool.submit(() -> scheduler.run(region, 5, "arn:same", () -> 0, ProgressListener.NONE,
            () -> maxSeen.accumulateAndGet(inFlight.incrementAndGet(), Math::max),
            () -> {
              CopyScheduler.sleep(Duration.ofMillis(40));
              inFlight.decrementAndGet();
              return region;
            })));
      }
      for (Future<String> copy : copies) {
        copy.get(10, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(maxSeen.get()).isEqualTo(1);
    assertThat(scheduler.sourcesInUse()).as("no lock kept once the copies ended").isZero();
  }

  @Test
  void aFailedStart_releasesItsSlot() {
    try {
      scheduler.run("us-west-2", 1, "arn:x", () -> 0, ProgressListener.NONE, () -> {
        throw new IllegalStateException("CopyDBSnapshot failed");
      }, () -> "never");
    } catch (IllegalStateException expected) {
      // the slot must be free again
    }
    assertThat(scheduler.run("us-west-2", 1, "arn:y", () -> 0, ProgressListener.NONE, () -> { }, () -> "ok"))
        .isEqualTo("ok");
    assertThat(scheduler.sourcesInUse()).isZero();
  }
}
