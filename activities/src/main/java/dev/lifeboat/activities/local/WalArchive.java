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
import java.util.TreeMap;
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
}
