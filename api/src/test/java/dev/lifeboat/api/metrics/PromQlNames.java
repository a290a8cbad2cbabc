package dev.lifeboat.api.metrics;

import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The metric names a PromQL expression reads. Enough PromQL for alert rules: strings, label
 * matchers, ranges, {@code offset}, grouping clauses, durations and numbers are taken out; what
 * is left is function names (followed by a parenthesis), keywords and metric names.
 */
final class PromQlNames {
  private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "by", "without", "on", "ignoring",
      "group_left", "group_right", "bool", "offset", "inf", "nan");
  private static final Pattern IDENTIFIER = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");

  private PromQlNames() {}

  static Set<String> of(String expr) {
    String rest = expr
        .replaceAll("\"(\\\\.|[^\"\\\\])*\"", " ")   // "strings"
        .replaceAll("'(\\\\.|[^'\\\\])*'", " ")      // 'strings'
        .replaceAll("\\{[^}]*}", " ")                // {label matchers}
        .replaceAll("\\[[^]]*]", " ")                // [5m], [1h:5m]
        .replaceAll("(?i)\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ")
        .replaceAll("(?i)\\boffset\\s+-?[0-9a-z]+", " ")
        .replaceAll("\\b[0-9][0-9a-zA-Z_.]*", " "); // numbers, durations, 1e3
    Set<String> names = new TreeSet<>();
    Matcher m = IDENTIFIER.matcher(rest);
    while (m.find()) {
      String word = m.group();
      boolean function = rest.substring(m.end()).stripLeading().startsWith("(");
      if (!function && !KEYWORDS.contains(word.toLowerCase())) {
        names.add(word);
      }
    }
    return names;
  }
}
