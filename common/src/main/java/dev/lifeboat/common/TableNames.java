package dev.lifeboat.common;

import dev.lifeboat.common.model.TableRef;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Parses table names as people type them ({@code payments.refunds}, {@code "Sales"."Q1 totals"})
 * by PostgreSQL's identifier rules: an unquoted part folds to lower case and may hold letters,
 * digits, {@code _} and {@code $}; a double-quoted part is taken as is, {@code ""} standing for one
 * quote. Anything else (spaces, semicolons, a third part) is refused: user input never reaches
 * SQL as text, only as the parsed parts, which are then looked up in {@code pg_catalog}.
 */
public final class TableNames {
  /** PostgreSQL's NAMEDATALEN - 1. */
  public static final int MAX_IDENTIFIER_BYTES = 63;

  private static final Pattern UNQUOTED = Pattern.compile("[A-Za-z_][A-Za-z0-9_$]*");
  private static final Pattern PLAIN = Pattern.compile("[a-z_][a-z0-9_$]*");

  private TableNames() {}

  /**
   * @throws LifeboatException INVALID_TABLE_NAME, naming what is wrong and the expected form
   */
  public static TableRef parse(String text) {
    if (text == null || text.isBlank()) {
      throw invalid(text, "a table name is empty");
    }
    List<String> parts = new ArrayList<>();
    int i = 0;
    String s = text.strip();
    while (true) {
      StringBuilder part = new StringBuilder();
      if (i < s.length() && s.charAt(i) == '"') {
        i++;
        boolean closed = false;
        while (i < s.length()) {
          char c = s.charAt(i);
          if (c == '"') {
            if (i + 1 < s.length() && s.charAt(i + 1) == '"') {
              part.append('"');
              i += 2;
              continue;
            }
            i++;
            closed = true;
            break;
          }
          part.append(c);
          i++;
        }
        if (!closed) {
          throw invalid(text, "a double quote is not closed");
        }
        if (part.isEmpty()) {
          throw invalid(text, "a quoted identifier is empty");
        }
      } else {
        int start = i;
        while (i < s.length() && s.charAt(i) != '.') {
          i++;
        }
        String word = s.substring(start, i);
        if (!UNQUOTED.matcher(word).matches()) {
          throw invalid(text, word.isEmpty() ? "a part is empty"
              : "'" + word + "' is not a valid unquoted identifier (letters, digits, _ and $; "
                  + "double-quote names with other characters)");
        }
        part.append(word.toLowerCase(java.util.Locale.ROOT));
      }
      if (part.toString().getBytes(StandardCharsets.UTF_8).length > MAX_IDENTIFIER_BYTES) {
        throw invalid(text, "an identifier is longer than " + MAX_IDENTIFIER_BYTES + " bytes");
      }
      if (part.indexOf("\0") >= 0) {
        throw invalid(text, "an identifier contains a NUL character");
      }
      parts.add(part.toString());
      if (i == s.length()) {
        break;
      }
      if (s.charAt(i) != '.') {
        throw invalid(text, "unexpected '" + s.charAt(i) + "' after a quoted identifier");
      }
      i++;
    }
    if (parts.size() != 2) {
      throw invalid(text, "expected schema.table, got " + parts.size() + " part" + (parts.size() == 1 ? "" : "s"));
    }
    return new TableRef(parts.get(0), parts.get(1));
  }

  /** {@code schema.name}, each part double-quoted unless it is a plain lower-case identifier. */
  public static String display(TableRef table) {
    return part(table.schema()) + "." + part(table.name());
  }

  private static String part(String identifier) {
    return PLAIN.matcher(identifier).matches() ? identifier : "\"" + identifier.replace("\"", "\"\"") + "\"";
  }

  private static LifeboatException invalid(String text, String why) {
    return new LifeboatException(ErrorType.INVALID_TABLE_NAME,
        "Table name '" + text + "' is invalid: " + why + ". Write schema.table, e.g. payments.refunds, "
            + "and double-quote parts with upper-case letters or other characters: \"Sales\".\"Q1 totals\".",
        Map.<String, Object>of("field", "tables", "value", String.valueOf(text)));
  }
}
