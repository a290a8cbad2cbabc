package dev.lifeboat.api.metrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** A scrape in the Prometheus text format 0.0.4, read back sample by sample. */
public final class Exposition {
  /** One sample line: {@code name{labels} value}. */
  public record Sample(String name, Map<String, String> labels, double value) {
    public boolean has(Map<String, String> wanted) {
      return wanted.entrySet().stream().allMatch(e -> e.getValue().equals(labels.get(e.getKey())));
    }
  }

  private final List<Sample> samples;
  private final String text;

  private Exposition(String text, List<Sample> samples) {
    this.text = text;
    this.samples = samples;
  }

  public static Exposition parse(String text) {
    List<Sample> samples = new ArrayList<>();
    for (String line : text.split("\n")) {
      if (!line.isBlank() && !line.startsWith("#")) {
        samples.add(sample(line));
      }
    }
    return new Exposition(text, samples);
  }

  private static Sample sample(String line) {
    int i = 0;
    while (i < line.length() && line.charAt(i) != '{' && line.charAt(i) != ' ') {
      i++;
    }
    String name = line.substring(0, i);
    Map<String, String> labels = new LinkedHashMap<>();
    if (i < line.length() && line.charAt(i) == '{') {
      i++;
      while (line.charAt(i) != '}') {
        int eq = line.indexOf('=', i);
        String label = line.substring(i, eq).trim();
        StringBuilder value = new StringBuilder();
        int j = eq + 2; // past ="
        for (; line.charAt(j) != '"'; j++) {
          char c = line.charAt(j);
          if (c == '\\') {
            char next = line.charAt(++j);
            value.append(next == 'n' ? '\n' : next);
          } else {
            value.append(c);
          }
        }
        labels.put(label, value.toString());
        i = j + 1;
        if (line.charAt(i) == ',') {
          i++;
        }
      }
      i++;
    }
    String[] rest = line.substring(i).trim().split(" ");
    return new Sample(name, labels, Double.parseDouble(rest[0]));
  }

  public String text() {
    return text;
  }

  public List<Sample> samples() {
    return samples;
  }

  /** The names of every sample, e.g. {@code lifeboat_runs_finished_total}, {@code jvm_memory_heap_used}. */
  public Set<String> names() {
    Set<String> names = new TreeSet<>();
    samples.forEach(s -> names.add(s.name()));
    return names;
  }

  public List<Sample> all(String name) {
    return samples.stream().filter(s -> s.name().equals(name)).toList();
  }

  /** The one sample of {@code name} with these labels (others may be there too), if any. */
  public Optional<Double> value(String name, String... labels) {
    Map<String, String> wanted = new LinkedHashMap<>();
    for (int k = 0; k < labels.length; k += 2) {
      wanted.put(labels[k], labels[k + 1]);
    }
    List<Sample> found = samples.stream().filter(s -> s.name().equals(name) && s.has(wanted)).toList();
    if (found.size() > 1) {
      throw new IllegalArgumentException(found.size() + " samples of " + name + " match " + wanted + ": " + found);
    }
    return found.stream().findFirst().map(Sample::value);
  }

  /** Like {@link #value}, but absent is a failure. */
  public double get(String name, String... labels) {
    return value(name, labels).orElseThrow(() -> new AssertionError("no sample " + name + " "
        + String.join(",", labels) + " in:\n" + text));
  }
}
