package dev.lifeboat.activities.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Edits {@code postgresql.auto.conf} the way {@code ALTER SYSTEM} does: one {@code key = 'value'}
 * line per setting, later lines win. PostgreSQL reads this file last, so what Lifeboat writes here
 * overrides whatever a copied {@code postgresql.conf} carries (DESIGN.md, pitfall 4).
 */
public final class ConfFile {
  public static final String AUTO_CONF = "postgresql.auto.conf";

  private final Path file;

  public ConfFile(Path file) {
    this.file = file;
  }

  public static ConfFile autoConf(Path dataDir) {
    return new ConfFile(dataDir.resolve(AUTO_CONF));
  }

  /** Sets the given settings and removes {@code remove}; other lines are kept in order. */
  public void update(Map<String, String> set, Set<String> remove) {
    List<String> out = new ArrayList<>();
    Map<String, String> pending = new LinkedHashMap<>(set);
    for (String line : readLines()) {
      String key = keyOf(line);
      if (key != null && (remove.contains(key) || set.containsKey(key))) {
        // drop every earlier occurrence; the new value is written once below
        continue;
      }
      out.add(line);
    }
    pending.forEach((k, v) -> out.add(k + " = " + quote(v)));
    write(out);
  }

  public void set(Map<String, String> settings) {
    update(settings, Set.of());
  }

  /** The effective value of a setting in this file (the last occurrence), or null. */
  public String get(String key) {
    String value = null;
    for (String line : readLines()) {
      if (key.equals(keyOf(line))) {
        value = unquote(line.substring(line.indexOf('=') + 1).trim());
      }
    }
    return value;
  }

  /** Quotes a value as a configuration-file string literal. */
  static String quote(String value) {
    return "'" + value.replace("\\", "\\\\").replace("'", "''") + "'";
  }

  private static String unquote(String raw) {
    String v = raw;
    int hash = v.indexOf(" #");
    if (!v.startsWith("'") && hash >= 0) {
      v = v.substring(0, hash).trim();
    }
    if (v.length() >= 2 && v.startsWith("'") && v.endsWith("'")) {
      return v.substring(1, v.length() - 1).replace("''", "'").replace("\\\\", "\\");
    }
    return v;
  }

  private static String keyOf(String line) {
    String t = line.strip();
    if (t.isEmpty() || t.startsWith("#")) {
      return null;
    }
    int eq = t.indexOf('=');
    String key = (eq < 0 ? t.split("\\s+")[0] : t.substring(0, eq)).strip();
    return key.toLowerCase();
  }

  private List<String> readLines() {
    try {
      return Files.exists(file) ? Files.readAllLines(file, StandardCharsets.UTF_8) : List.of();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  private void write(List<String> lines) {
    try {
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      Files.write(tmp, lines, StandardCharsets.UTF_8);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING,
          StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }
}
