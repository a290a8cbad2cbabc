package dev.lifeboat.fakerds;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The parameters of a Query-protocol request ({@code application/x-www-form-urlencoded}). Lists
 * come as {@code Name.N} or {@code Name.Member.N} (the SDK uses the model's member name, e.g.
 * {@code VpcSecurityGroupIds.VpcSecurityGroupId.1}, {@code Tags.Tag.1.Key}); both are read.
 */
final class QueryParams {
  private static final Pattern FILTER_NAME = Pattern.compile("Filters?\\.(?:Filter\\.)?(\\d+)\\.Name");
  private final Map<String, String> values;

  private QueryParams(Map<String, String> values) {
    this.values = values;
  }

  static QueryParams parse(String form) {
    Map<String, String> values = new LinkedHashMap<>();
    if (form != null && !form.isEmpty()) {
      for (String pair : form.split("&")) {
        if (pair.isEmpty()) {
          continue;
        }
        int eq = pair.indexOf('=');
        String key = decode(eq < 0 ? pair : pair.substring(0, eq));
        String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
        values.put(key, value);
      }
    }
    return new QueryParams(values);
  }

  private static String decode(String s) {
    return URLDecoder.decode(s, StandardCharsets.UTF_8);
  }

  Map<String, String> asMap() {
    return Map.copyOf(values);
  }

  QueryParams with(Map<String, String> more) {
    Map<String, String> all = new LinkedHashMap<>(more);
    all.putAll(values);
    return new QueryParams(all);
  }

  String get(String name) {
    String v = values.get(name);
    return v == null || v.isEmpty() ? null : v;
  }

  String require(String name) {
    String v = get(name);
    if (v == null) {
      throw ApiError.missing(name);
    }
    return v;
  }

  /** null when absent. */
  Boolean bool(String name) {
    String v = get(name);
    if (v == null) {
      return null;
    }
    if (!v.equalsIgnoreCase("true") && !v.equalsIgnoreCase("false")) {
      throw ApiError.invalidParameter("Invalid value " + v + " for " + name + ": true or false");
    }
    return Boolean.parseBoolean(v);
  }

  Integer integer(String name) {
    String v = get(name);
    if (v == null) {
      return null;
    }
    try {
      return Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw ApiError.invalidParameter("Invalid value " + v + " for " + name + ": an integer");
    }
  }

  Instant instant(String name) {
    String v = get(name);
    if (v == null) {
      return null;
    }
    try {
      return Instant.parse(v);
    } catch (DateTimeParseException e) {
      throw ApiError.invalidParameter("Invalid value " + v + " for " + name + ": an ISO-8601 UTC timestamp");
    }
  }

  /** The values of {@code prefix.N} or {@code prefix.Member.N}, in index order. */
  List<String> list(String prefix) {
    Pattern p = Pattern.compile(Pattern.quote(prefix) + "\\.(?:[A-Za-z]+\\.)?(\\d+)");
    Map<Integer, String> byIndex = new TreeMap<>();
    values.forEach((k, v) -> {
      Matcher m = p.matcher(k);
      if (m.matches()) {
        byIndex.put(Integer.parseInt(m.group(1)), v);
      }
    });
    return new ArrayList<>(byIndex.values());
  }

  /** Tags of {@code prefix.Tag.N.Key/Value} (or {@code prefix.N.Key/Value}), in index order. */
  Map<String, String> tags(String prefix) {
    Pattern p = Pattern.compile(Pattern.quote(prefix) + "\\.(?:[A-Za-z]+\\.)?(\\d+)\\.(Key|Value)");
    Map<Integer, String[]> byIndex = new TreeMap<>();
    values.forEach((k, v) -> {
      Matcher m = p.matcher(k);
      if (m.matches()) {
        String[] kv = byIndex.computeIfAbsent(Integer.parseInt(m.group(1)), i -> new String[2]);
        kv[m.group(2).equals("Key") ? 0 : 1] = v;
      }
    });
    Map<String, String> tags = new LinkedHashMap<>();
    for (String[] kv : byIndex.values()) {
      if (kv[0] == null || kv[0].isEmpty()) {
        throw ApiError.invalidParameter("A tag has no key");
      }
      tags.put(kv[0], kv[1] == null ? "" : kv[1]);
    }
    return tags;
  }

  /** {@code Filters.Filter.N.Name} with {@code Filters.Filter.N.Values.Value.M} (EC2: {@code Filter.N.Value.M}). */
  Map<String, List<String>> filters() {
    Map<String, List<String>> filters = new LinkedHashMap<>();
    values.forEach((k, v) -> {
      Matcher m = FILTER_NAME.matcher(k);
      if (m.matches()) {
        String base = k.substring(0, k.length() - ".Name".length());
        List<String> vs = new ArrayList<>(list(base + ".Values"));
        vs.addAll(list(base + ".Value"));
        filters.put(v, vs);
      }
    });
    return filters;
  }
}
