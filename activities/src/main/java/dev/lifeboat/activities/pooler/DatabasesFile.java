package dev.lifeboat.activities.pooler;

import dev.lifeboat.common.ErrorType;
import dev.lifeboat.common.LifeboatException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A PgBouncer {@code [databases]} file ({@code name = host=... port=... dbname=... [options]}), as
 * the included file of an existing PgBouncer or the one Lifeboat's own generates. Every line is kept
 * as it was (comments, blank lines, entries Lifeboat never touches, an entry's other options and
 * their quoting); only an entry given to {@link #with} is written anew, in its place.
 */
public final class DatabasesFile {
  /** One option of an entry: its key and its value as written (single quotes kept). */
  public record Option(String key, String raw) {
    /** The value without its quotes. */
    public String value() {
      if (raw.length() >= 2 && raw.startsWith("'") && raw.endsWith("'")) {
        return raw.substring(1, raw.length() - 1).replace("''", "'").replace("\\'", "'");
      }
      return raw;
    }
  }

  /**
   * One entry: the pooler's database name as written ({@code "quoted"} names kept) and its options.
   * {@code port} defaults to 5432 and {@code dbname} to the entry's name, as PgBouncer's do.
   */
  public record Entry(String nameText, List<Option> options) {
    public Entry {
      options = List.copyOf(options);
    }

    /** A new entry of the three options Lifeboat writes. */
    public static Entry of(String name, String host, int port, String dbname) {
      return new Entry(name, List.of(new Option("host", host), new Option("port", Integer.toString(port)),
          new Option("dbname", dbname)));
    }

    public String name() {
      return nameText.length() >= 2 && nameText.startsWith("\"") && nameText.endsWith("\"")
          ? nameText.substring(1, nameText.length() - 1) : nameText;
    }

    public Optional<String> option(String key) {
      return options.stream().filter(o -> o.key().equalsIgnoreCase(key)).map(Option::value).findFirst();
    }

    /** The server's host; null when the entry has none (PgBouncer's default: the Unix socket). */
    public String host() {
      return option("host").orElse(null);
    }

    /** The server's port, or -1 when it is not a number. */
    public int port() {
      try {
        return Integer.parseInt(option("port").orElse("5432"));
      } catch (NumberFormatException e) {
        return -1;
      }
    }

    public String dbname() {
      return option("dbname").orElse(name());
    }

    public boolean sameServer(String host, int port, String dbname) {
      return host.equalsIgnoreCase(String.valueOf(host())) && port == port() && dbname.equals(dbname());
    }

    /** This entry pointing at another server: host, port and dbname replaced in place, other options kept. */
    public Entry withServer(String host, int port, String dbname) {
      List<Option> next = new ArrayList<>(options);
      Map<String, String> values = Map.of("host", host, "port", Integer.toString(port), "dbname", dbname);
      for (String key : List.of("host", "port", "dbname")) {
        int at = indexOf(next, key);
        Option option = new Option(key, values.get(key));
        if (at < 0) {
          next.add(option);
        } else {
          next.set(at, option);
        }
      }
      return new Entry(nameText, next);
    }

    /** The same server and options under another name. */
    public Entry as(String name) {
      return new Entry(name, options);
    }

    public String text() {
      StringBuilder b = new StringBuilder(nameText).append(" =");
      options.forEach(o -> b.append(' ').append(o.key()).append('=').append(o.raw()));
      return b.toString();
    }

    private static int indexOf(List<Option> options, String key) {
      for (int i = 0; i < options.size(); i++) {
        if (options.get(i).key().equalsIgnoreCase(key)) {
          return i;
        }
      }
      return -1;
    }
  }

  /** A line as read: an entry (with its text as written) or anything else (comment, blank, %include ...). */
  private record Line(String text, Entry entry) {}

  private final List<Line> lines;

  private DatabasesFile(List<Line> lines) {
    this.lines = List.copyOf(lines);
  }

  public static DatabasesFile parse(String text) {
    List<Line> lines = new ArrayList<>();
    for (String line : text.split("\n", -1)) {
      lines.add(new Line(line, parseEntry(line)));
    }
    if (!lines.isEmpty() && lines.get(lines.size() - 1).text().isEmpty()) {
      lines.remove(lines.size() - 1); // the final newline
    }
    return new DatabasesFile(lines);
  }

  /** An empty file. */
  public static DatabasesFile empty() {
    return new DatabasesFile(List.of());
  }

  /** @throws LifeboatException CONFIGURATION_ERROR when the file is missing or unreadable */
  public static DatabasesFile read(Path file) {
    try {
      return parse(Files.readString(file, StandardCharsets.UTF_8));
    } catch (NoSuchFileException e) {
      throw new LifeboatException(ErrorType.CONFIGURATION_ERROR, "PgBouncer's databases file " + file
          + " does not exist", Map.of("databasesFile", file.toString()), e);
    } catch (IOException e) {
      throw new LifeboatException(ErrorType.CONFIGURATION_ERROR, "Cannot read PgBouncer's databases file " + file
          + ": " + e.getMessage(), Map.of("databasesFile", file.toString()), e);
    }
  }

  public List<Entry> entries() {
    return lines.stream().map(Line::entry).filter(e -> e != null).toList();
  }

  public Optional<Entry> entry(String name) {
    return entries().stream().filter(e -> e.name().equals(name)).findFirst();
  }

  /** The file with {@code entry} in place of the entry of its name, or appended when there is none. */
  public DatabasesFile with(Entry entry) {
    List<Line> next = new ArrayList<>(lines);
    Line line = new Line(entry.text(), entry);
    for (int i = 0; i < next.size(); i++) {
      Entry e = next.get(i).entry();
      if (e != null && e.name().equals(entry.name())) {
        next.set(i, line);
        return new DatabasesFile(next);
      }
    }
    next.add(line);
    return new DatabasesFile(next);
  }

  /** The file without the entry {@code name} (every other line kept). */
  public DatabasesFile without(String name) {
    return new DatabasesFile(lines.stream().filter(l -> l.entry() == null || !l.entry().name().equals(name)).toList());
  }

  public String text() {
    StringBuilder b = new StringBuilder();
    lines.forEach(l -> b.append(l.text()).append('\n'));
    return b.toString();
  }

  /** Writes this file over {@code file} atomically (see {@link #writeAtomically}). */
  public void write(Path file) {
    writeAtomically(file, text(), "644");
  }

  /**
   * Replaces {@code file} atomically: a temporary file beside it, flushed, given the replaced file's
   * owner, group and mode ({@code newMode} for a new file), then renamed over it, so PgBouncer's
   * RELOAD reads either the old or the new file, never half of one.
   */
  public static void writeAtomically(Path file, String content, String newMode) {
    if (Files.isSymbolicLink(file)) {
      // a rename would replace the link itself, and a link's mode (777) is no mode for its replacement
      throw new UncheckedIOException(new IOException(file + " is a symbolic link: name the file it points at"));
    }
    Path tmp = null;
    try {
      PosixFileAttributes before = Files.exists(file)
          ? Files.readAttributes(file, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS) : null;
      // a name of its own: two writers never write into one temporary file
      tmp = Files.createTempFile(file.toAbsolutePath().getParent(), "." + file.getFileName() + ".", ".lifeboat-tmp");
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
        ByteBuffer bytes = ByteBuffer.wrap(content.getBytes(StandardCharsets.UTF_8));
        while (bytes.hasRemaining()) {
          ch.write(bytes);
        }
        ch.force(true);
      }
      if (before == null) {
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString(symbolic(newMode)));
      } else {
        Files.setPosixFilePermissions(tmp, before.permissions());
        PosixFileAttributeView view = Files.getFileAttributeView(tmp, PosixFileAttributeView.class);
        if (!before.owner().equals(Files.getOwner(tmp))) {
          // only root may give a file away; ExternalPgBouncer's start-up check refuses a file another user owns
          view.setOwner(before.owner());
        }
        if (!before.group().equals(view.readAttributes().group())) {
          view.setGroup(before.group());
        }
      }
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      try {
        if (tmp != null) {
          Files.deleteIfExists(tmp);
        }
      } catch (IOException ignored) {
        // a temporary file left behind is never read
      }
      throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  private static String symbolic(String octal) {
    int bits = Integer.parseInt(octal, 8);
    String rwx = "rwxrwxrwx";
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < 9; i++) {
      b.append((bits & (1 << (8 - i))) != 0 ? rwx.charAt(i) : '-');
    }
    return b.toString();
  }

  /** {@code name = key=value ...}, or null for a comment, a blank line or anything else. */
  static Entry parseEntry(String line) {
    String s = line.strip();
    if (s.isEmpty() || s.startsWith(";") || s.startsWith("#") || s.startsWith("%") || s.startsWith("[")) {
      return null;
    }
    int eq;
    String nameText;
    if (s.startsWith("\"")) {
      int close = s.indexOf('"', 1);
      if (close < 0) {
        return null;
      }
      nameText = s.substring(0, close + 1);
      eq = s.indexOf('=', close + 1);
      if (eq < 0 || !s.substring(close + 1, eq).isBlank()) {
        return null;
      }
    } else {
      eq = s.indexOf('=');
      if (eq <= 0) {
        return null;
      }
      nameText = s.substring(0, eq).strip();
    }
    List<Option> options = new ArrayList<>();
    String rest = s.substring(eq + 1);
    int i = 0;
    while (i < rest.length()) {
      while (i < rest.length() && Character.isWhitespace(rest.charAt(i))) {
        i++;
      }
      if (i >= rest.length()) {
        break;
      }
      int keyStart = i;
      while (i < rest.length() && rest.charAt(i) != '=' && !Character.isWhitespace(rest.charAt(i))) {
        i++;
      }
      String key = rest.substring(keyStart, i);
      while (i < rest.length() && Character.isWhitespace(rest.charAt(i))) {
        i++;
      }
      if (i >= rest.length() || rest.charAt(i) != '=' || key.isEmpty()) {
        return null; // not a connection string PgBouncer would take: kept as a line, never touched
      }
      i++;
      while (i < rest.length() && Character.isWhitespace(rest.charAt(i))) {
        i++;
      }
      int valueStart = i;
      if (i < rest.length() && rest.charAt(i) == '\'') {
        i++;
        while (i < rest.length()) {
          char c = rest.charAt(i);
          if (c == '\\' && i + 1 < rest.length()) {
            i += 2;
          } else if (c == '\'' && i + 1 < rest.length() && rest.charAt(i + 1) == '\'') {
            i += 2;
          } else if (c == '\'') {
            i++;
            break;
          } else {
            i++;
          }
        }
      } else {
        while (i < rest.length() && !Character.isWhitespace(rest.charAt(i))) {
          i++;
        }
      }
      options.add(new Option(key, rest.substring(valueStart, i)));
    }
    return new Entry(nameText, options);
  }
}
