package dev.lifeboat.api.metrics;

import dev.lifeboat.common.model.InstanceInfo;
import dev.lifeboat.common.platform.Platform;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * What the sources of one refresh share: its time, and the platform's instances listed once for
 * all of them (on RDS every listing is an API call).
 */
public final class Scrape {
  /** Label values in order, for maps keyed by them: the output keeps one order from scrape to scrape. */
  static final Comparator<List<String>> KEY_ORDER = (a, b) -> {
    for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
      int c = a.get(i).compareTo(b.get(i));
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(a.size(), b.size());
  };

  private final Instant now;
  private final Platform platform;
  private final List<String> problems = new ArrayList<>();
  private List<InstanceInfo> instances;
  private RuntimeException instancesFailure;

  Scrape(Instant now, Platform platform) {
    this.now = now;
    this.platform = platform;
  }

  /** The time every age and lag of this refresh is measured against. */
  public Instant now() {
    return now;
  }

  /** The platform's instances, listed on first use; the listing's failure is thrown to every caller. */
  public List<InstanceInfo> instances() {
    if (instances == null && instancesFailure == null) {
      try {
        instances = List.copyOf(platform.listInstances());
      } catch (RuntimeException e) {
        instancesFailure = e;
      }
    }
    if (instancesFailure != null) {
      throw instancesFailure;
    }
    return instances;
  }

  /** A part of the current source that could not be read; the source then counts as down. */
  public void problem(String what, RuntimeException cause) {
    problems.add(what + ": " + cause.getMessage());
  }

  /** The problems told since the last call, cleared. */
  List<String> takeProblems() {
    List<String> taken = List.copyOf(problems);
    problems.clear();
    return taken;
  }

  static double seconds(Duration duration) {
    return duration.toMillis() / 1000.0;
  }

  static double epochSeconds(Instant instant) {
    return instant.toEpochMilli() / 1000.0;
  }
}
