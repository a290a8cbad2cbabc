package dev.lifeboat.app.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What {@code /admin/metrics} of a running {@code lifeboat dev} shows once a DR drill of
 * {@code techcorp-primary} in {@code dr-1} has passed: real values from the catalog, the local
 * platform and Dropwizard's registry. For a dev-stack IT that already ran a drill, so that no test
 * starts a stack of its own for this: {@code DevStackMetrics.assertAfterDrill(stack.apiUrl(), rto, rpo)}.
 */
public final class DevStackMetrics {
  private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)})? (\\S+)$");
  private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");
  private static final String PRIMARY = "techcorp-primary";

  private DevStackMetrics() {}

  /** One sample of a scrape. */
  public record Sample(String name, Map<String, String> labels, double value) {}

  /**
   * @param rtoSeconds the RTO the drill reported ({@code rto.measuredSeconds})
   * @param rpoSeconds its RPO
   */
  public static void assertAfterDrill(String apiUrl, double rtoSeconds, double rpoSeconds) throws InterruptedException {
    // the collector keeps a refresh for 10 s: wait for one that has the drill
    List<Sample> scrape = scrape(apiUrl);
    for (long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        value(scrape, "lifeboat_drill_last_rto_seconds", "instance", PRIMARY, "region", "dr-1").isEmpty()
            && System.nanoTime() < deadline; ) {
      Thread.sleep(500);
      scrape = scrape(apiUrl);
    }
    String[] drill = {"instance", PRIMARY, "region", "dr-1"};
    assertThat(get(scrape, "lifeboat_drill_last_passed", drill)).isEqualTo(1);
    assertThat(get(scrape, "lifeboat_drill_last_rto_seconds", drill)).isCloseTo(rtoSeconds, within(0.002));
    assertThat(get(scrape, "lifeboat_drill_last_rpo_seconds", drill)).isCloseTo(rpoSeconds, within(0.002));
    assertThat(get(scrape, "lifeboat_drill_last_rto_target_seconds", drill)).isEqualTo(3600);
    assertThat(get(scrape, "lifeboat_runs_finished_total", "kind", "drill", "outcome", "succeeded"))
        .isGreaterThanOrEqualTo(1);
    assertThat(get(scrape, "lifeboat_run_step_duration_seconds_sum", "kind", "drill", "step", "restore",
        "status", "succeeded")).isPositive();
    // the fleet's first snapshot, taken at start, and its copy in dr-1
    for (String region : List.of("local-1", "dr-1")) {
      assertThat(get(scrape, "lifeboat_snapshots", "instance", PRIMARY, "region", region, "status", "available"))
          .isGreaterThanOrEqualTo(1);
      assertThat(get(scrape, "lifeboat_snapshot_newest_age_seconds", "instance", PRIMARY, "region", region))
          .isBetween(0.0, 3600.0);
    }
    double earliest = get(scrape, "lifeboat_pitr_window_earliest_timestamp_seconds", "instance", PRIMARY);
    double latest = get(scrape, "lifeboat_pitr_window_latest_timestamp_seconds", "instance", PRIMARY);
    assertThat(latest).isGreaterThanOrEqualTo(earliest).isLessThanOrEqualTo(System.currentTimeMillis() / 1000.0 + 5);
    assertThat(get(scrape, "lifeboat_pitr_window_gaps", "instance", PRIMARY)).isZero();
    assertThat(get(scrape, "lifeboat_pitr_window_intact", "instance", PRIMARY)).isIn(0.0, 1.0);
    // the drill deleted its instance
    assertThat(get(scrape, "lifeboat_temporary_instances", "region", "dr-1")).isZero();
    assertThat(scrape.stream().filter(s -> s.name().equals("lifeboat_metrics_source_up")))
        .hasSize(7).allSatisfy(s -> assertThat(s.value()).as(s.toString()).isEqualTo(1));
    // the demo fleet passes its preflight: nothing would refuse a run
    assertThat(get(scrape, "lifeboat_preflight_failed_checks")).isZero();
    // Dropwizard's registry, here the catalog's connection pool (the JVM's gauges too, when the
    // application registered them: `lifeboat dev` does, the test support's command does not)
    assertThat(get(scrape, "io_dropwizard_db_ManagedPooledDataSource_catalog_size")).isPositive();
  }

  public static List<Sample> scrape(String apiUrl) {
    try {
      HttpResponse<String> response = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create(apiUrl + "/admin/metrics")).timeout(Duration.ofSeconds(30)).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
      assertThat(response.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
      List<Sample> samples = new ArrayList<>();
      for (String line : response.body().split("\n")) {
        Matcher m = SAMPLE.matcher(line);
        if (!line.startsWith("#") && m.matches()) {
          Map<String, String> labels = new LinkedHashMap<>();
          Matcher l = LABEL.matcher(m.group(3) == null ? "" : m.group(3));
          while (l.find()) {
            labels.put(l.group(1), l.group(2).replace("\\\"", "\"").replace("\\\\", "\\"));
          }
          samples.add(new Sample(m.group(1), labels, Double.parseDouble(m.group(4))));
        }
      }
      return samples;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The value of the one sample of {@code name} that has these labels (among others). */
  public static OptionalDouble value(List<Sample> scrape, String name, String... labels) {
    List<Sample> found = scrape.stream().filter(s -> s.name().equals(name)).filter(s -> {
      for (int i = 0; i < labels.length; i += 2) {
        if (!labels[i + 1].equals(s.labels().get(labels[i]))) {
          return false;
        }
      }
      return true;
    }).toList();
    assertThat(found).as(name + " " + String.join(",", labels)).hasSizeLessThanOrEqualTo(1);
    return found.isEmpty() ? OptionalDouble.empty() : OptionalDouble.of(found.get(0).value());
  }

  private static double get(List<Sample> scrape, String name, String... labels) {
    OptionalDouble value = value(scrape, name, labels);
    assertThat(value).as("sample " + name + " " + String.join(",", labels)).isPresent();
    return value.getAsDouble();
  }
}
