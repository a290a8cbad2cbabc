package dev.lifeboat.activities.local;

import dev.lifeboat.common.model.WalGap;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The continuous WAL archive of one instance: {@code regions/<region>/wal/<instance>/}, one
 * {@code <segment>.zst} per archived segment (plus {@code .history} and {@code .backup} files,
 * and {@code <segment>.commit} caches of {@link WalCommitTimes}).
 *
 * <p>Continuity is judged by segment number: a segment number with no file on any timeline is a
 * gap; when timelines switch, the higher timeline's file counts.
 */
final class WalArchive {
  /** A segment's file, its commit-time cache, or a backup label named after the segment it starts in. */
  private static final Pattern SEGMENT_FILE =
      Pattern.compile("([0-9A-F]{24})(?:\\.[0-9A-F]{8}\\.backup)?\\.(?:zst|commit)");

  private final Path dir;
  private final WalCommitTimes commitTimes;

  WalArchive(Path dir, WalCommitTimes commitTimes) {
    this.dir = dir;
    this.commitTimes = commitTimes;
  }

  Path dir() {
    return dir;
  }

  /** Archived segments, oldest first; for a segment number on several timelines the highest. */
  List<WalSegment> segments() {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    TreeMap<Long, WalSegment> bySegno = new TreeMap<>();
    try (Stream<Path> files = Files.list(dir)) {
      files.map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(".zst"))
          .map(n -> n.substring(0, n.length() - 4))
          .filter(WalSegment::isSegmentName)
          .map(WalSegment::parse)
          .forEach(s -> bySegno.merge(s.segno(), s, (a, b) -> a.timeline() >= b.timeline() ? a : b));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list WAL archive " + dir, e);
    }
    return new ArrayList<>(bySegno.values());
  }

  Optional<WalSegment> newest() {
    List<WalSegment> all = segments();
    return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
  }

  /**
   * The last segment reachable from {@code start} without crossing a gap; empty when {@code start}
   * itself is not archived.
   */
  Optional<WalSegment> contiguousEnd(WalSegment start) {
    WalSegment last = null;
    long expected = start.segno();
    for (WalSegment s : segments()) {
      if (s.segno() < expected) {
        continue;
      }
      if (s.segno() != expected) {
        break;
      }
      last = s;
      expected++;
    }
    return Optional.ofNullable(last);
  }

  /** Missing segments between {@code start} and the newest archived one. */
  List<WalGap> gaps(WalSegment start) {
    List<WalGap> gaps = new ArrayList<>();
    WalSegment previous = null;
    long expected = start.segno();
    for (WalSegment s : segments()) {
      if (s.segno() < expected) {
        continue;
      }
      if (s.segno() > expected) {
        int tli = previous == null ? start.timeline() : previous.timeline();
        WalSegment from = new WalSegment(tli, expected);
        WalSegment to = new WalSegment(tli, s.segno() - 1);
        Instant before = previous == null ? null : newestCommit(start, previous).orElse(null);
        gaps.add(new WalGap(from.name(), to.name(), before, archivedAt(s).orElse(null)));
      }
      previous = s;
      expected = s.segno() + 1;
    }
    return gaps;
  }

  /** Newest commit in the archived segments from {@code start} up to {@code upTo}, looking back from the newest. */
  Optional<Instant> newestCommit(WalSegment start, WalSegment upTo) {
    List<WalSegment> all = segments();
    for (int i = all.size() - 1; i >= 0; i--) {
      WalSegment s = all.get(i);
      if (s.segno() > upTo.segno()) {
        continue;
      }
      if (s.segno() < start.segno()) {
        break;
      }
      Optional<Instant> t = commitTimes.newestIn(dir, s);
      if (t.isPresent()) {
        return t;
      }
    }
    return Optional.empty();
  }

  /** When a segment arrived in the archive (the file's modification time). */
  Optional<Instant> archivedAt(WalSegment segment) {
    try {
      Path file = dir.resolve(segment.name() + ".zst");
      return Files.exists(file) ? Optional.of(Files.getLastModifiedTime(file).toInstant()) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /**
   * The segment number an archive file belongs to: segments, their {@code .commit} caches and
   * {@code .backup} labels have one; timeline history files and temporary files have none.
   */
  static OptionalLong segnoOf(String fileName) {
    Matcher m = SEGMENT_FILE.matcher(fileName);
    return m.matches() ? OptionalLong.of(WalSegment.parse(m.group(1)).segno()) : OptionalLong.empty();
  }

  /** Names of the archive's files (not temporary ones), sorted. */
  List<String> fileNames() {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list WAL archive " + dir, e);
    }
  }

  /**
   * Removes every segment numbered below {@code segno} (on any timeline) with its commit cache and
   * backup labels; timeline history files stay, they are tiny and recovery reads them.
   *
   * @return the number of files removed
   */
  int removeBefore(long segno) {
    int removed = 0;
    for (String name : fileNames()) {
      OptionalLong n = segnoOf(name);
      if (n.isPresent() && n.getAsLong() < segno) {
        try {
          if (Files.deleteIfExists(dir.resolve(name))) {
            removed++;
          }
        } catch (IOException e) {
          throw new UncheckedIOException("cannot remove " + dir.resolve(name), e);
        }
      }
    }
    return removed;
  }
}
