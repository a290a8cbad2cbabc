package dev.lifeboat.activities.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The newest transaction-end timestamp in an archived segment, read with {@code pg_waldump}.
 *
 * <p>Why it matters: with {@code recovery_target_time}, PostgreSQL 15 stops only at a commit or
 * abort record later than the target; when the archive holds none it fails with "recovery ended
 * before configured recovery target was reached". So the newest such record bounds what is
 * restorable. Both record kinds carry a timestamp and both stop recovery, so both count.
 *
 * <p>Archived segments never change, so each answer is cached beside the segment as
 * {@code <segment>.commit} (an ISO instant or {@code none}).
 */
final class WalCommitTimes {
  private static final Pattern XACT_END =
      Pattern.compile("desc: (?:COMMIT|ABORT)\\S* (?:\\d+: )?(\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}(?:\\.\\d+)?) UTC");
  private static final DateTimeFormatter PG_TIME = new DateTimeFormatterBuilder()
      .appendPattern("yyyy-MM-dd HH:mm:ss")
      .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true).optionalEnd()
      .toFormatter();
  private static final String NONE = "none";

  private final PgBinaries binaries;
  private final ProcessRunner runner;

  WalCommitTimes(PgBinaries binaries, ProcessRunner runner) {
    this.binaries = binaries;
    this.runner = runner;
  }

  /** Newest commit/abort time in the segment, empty when it has none. */
  Optional<Instant> newestIn(Path archiveDir, WalSegment segment) {
    Path cache = archiveDir.resolve(segment.name() + ".commit");
    try {
      if (Files.exists(cache)) {
        String cached = Files.readString(cache, StandardCharsets.UTF_8).trim();
        return cached.equals(NONE) ? Optional.empty() : Optional.of(Instant.parse(cached));
      }
      Optional<Instant> found = dump(archiveDir.resolve(segment.name() + ".zst"), segment);
      Path tmp = archiveDir.resolve("." + segment.name() + ".commit.tmp");
      Files.writeString(tmp, found.map(Instant::toString).orElse(NONE), StandardCharsets.UTF_8);
      Files.move(tmp, cache, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      return found;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read commit times of " + segment + " in " + archiveDir, e);
    }
  }

  /**
   * The time of the last commit/abort record, in WAL order, in a cluster's own {@code pg_wal}
   * (running or stopped), looking back from the segment holding {@code upToLsn} over at most
   * {@code maxSegments} segments. Segments past that one are never read: they may be recycled
   * files with old content. Nothing is cached.
   *
   * <p>The last record, not the newest time: concurrent sessions write their commit records a few
   * milliseconds out of timestamp order, and a standby's {@code pg_last_xact_replay_timestamp()}
   * is the time of the last one it replayed. The two agree exactly when the standby has all of it.
   */
  Optional<Instant> lastInPgWal(Path dataDir, long upToLsn, int maxSegments) {
    Path pgWal = dataDir.resolve("pg_wal");
    long last = upToLsn / WalSegment.SIZE;
    try {
      List<WalSegment> present;
      try (Stream<Path> files = Files.list(pgWal)) {
        present = files.map(p -> p.getFileName().toString()).filter(WalSegment::isSegmentName)
            .map(WalSegment::parse).toList();
      }
      for (long segno = last; segno >= 0 && segno > last - maxSegments; segno--) {
        long n = segno;
        // the highest timeline wins: after a promotion the old timeline's copy ends at the switch
        Optional<WalSegment> segment = present.stream().filter(w -> w.segno() == n)
            .max(Comparator.comparingInt(WalSegment::timeline));
        if (segment.isEmpty()) {
          break;
        }
        Optional<Instant> found = dumpRaw(pgWal.resolve(segment.get().name()));
        if (found.isPresent()) {
          return found;
        }
      }
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read commit times in " + pgWal, e);
    }
  }

  private Optional<Instant> dumpRaw(Path segmentFile) throws IOException {
    Path work = Files.createTempDirectory("lifeboat-waldump-");
    try {
      Path out = work.resolve("waldump.txt");
      // the end of a live segment (zeros, or a recycled file's old pages) ends the dump with an error
      runner.runTo(List.of(binaries.tool("pg_waldump"), "-r", "Transaction", segmentFile.toString()),
          Map.of("TZ", "UTC"), Duration.ofMinutes(2), out);
      return lastInDump(out);
    } finally {
      FileTrees.deleteRecursively(work);
    }
  }

  static Optional<Instant> lastInDump(Path waldumpOutput) throws IOException {
    Instant last = null;
    try (Stream<String> lines = Files.lines(waldumpOutput, StandardCharsets.UTF_8)) {
      for (String line : (Iterable<String>) lines::iterator) {
        Optional<Instant> t = parseLine(line);
        if (t.isPresent()) {
          last = t.get();
        }
      }
    }
    return Optional.ofNullable(last);
  }

  private Optional<Instant> dump(Path compressed, WalSegment segment) throws IOException {
    Path work = Files.createTempDirectory("lifeboat-waldump-");
    try {
      // pg_waldump reads the segment size and position from the file and its name
      Path raw = work.resolve(segment.name());
      ProcessRunner.check(runner.run(List.of(WalScripts.ZSTD, "-q", "-d", "-f", "-o", raw.toString(),
          compressed.toString()), Duration.ofMinutes(1)));
      Path out = work.resolve("waldump.txt");
      // A record that continues into the next (absent) segment makes pg_waldump exit non-zero
      // after printing everything before it; the printed records are what we need.
      runner.runTo(List.of(binaries.tool("pg_waldump"), "-r", "Transaction", raw.toString()),
          Map.of("TZ", "UTC"), Duration.ofMinutes(2), out);
      return newestInDump(out);
    } finally {
      FileTrees.deleteRecursively(work);
    }
  }

  static Optional<Instant> newestInDump(Path waldumpOutput) throws IOException {
    Instant newest = null;
    try (Stream<String> lines = Files.lines(waldumpOutput, StandardCharsets.UTF_8)) {
      for (String line : (Iterable<String>) lines::iterator) {
        Optional<Instant> t = parseLine(line);
        if (t.isPresent() && (newest == null || t.get().isAfter(newest))) {
          newest = t.get();
        }
      }
    }
    return Optional.ofNullable(newest);
  }

  static Optional<Instant> parseLine(String line) {
    Matcher m = XACT_END.matcher(line);
    if (!m.find()) {
      return Optional.empty();
    }
    return Optional.of(LocalDateTime.parse(m.group(1), PG_TIME).toInstant(ZoneOffset.UTC));
  }
}
