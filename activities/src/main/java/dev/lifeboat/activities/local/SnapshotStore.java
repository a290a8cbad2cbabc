package dev.lifeboat.activities.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Snapshots per region: {@code regions/<region>/snapshots/<id>/} holding {@code snapshot.json}
 * and the base backup in {@code data/} ({@link SnapshotFormat}: zstd-compressed tar, or for older
 * snapshots a plain data directory ready to copy).
 */
final class SnapshotStore {
  private static final String RECORD = "snapshot.json";
  private static final Pattern START_WAL =
      Pattern.compile("START WAL LOCATION: \\S+ \\(file ([0-9A-F]{24})\\)");
  private static final Pattern START_TIMELINE = Pattern.compile("START TIMELINE: (\\d+)");

  private final Path regionsRoot;

  SnapshotStore(Path dataRoot) {
    this.regionsRoot = dataRoot.resolve("regions");
  }

  /** Whether {@code id} is a name a snapshot can have (and so never a path to escape through). */
  static boolean validId(String id) {
    return id != null && SnapshotTaker.SNAPSHOT_ID.matcher(id).matches() && !id.contains("..");
  }

  Path dir(String region, String id) {
    return regionsRoot.resolve(region).resolve("snapshots").resolve(id);
  }

  Path dataDir(String region, String id) {
    return dir(region, id).resolve("data");
  }

  Optional<SnapshotRecord> find(String region, String id) {
    Path file = dir(region, id).resolve(RECORD);
    return Files.exists(file) ? Optional.of(LocalJson.read(file, SnapshotRecord.class)) : Optional.empty();
  }

  void save(SnapshotRecord record) {
    LocalJson.write(dir(record.region(), record.id()).resolve(RECORD), record);
  }

  void delete(String region, String id) {
    FileTrees.deleteRecursively(dir(region, id));
  }

  /** Snapshots in one region (all regions when null), oldest first by start time. */
  List<SnapshotRecord> list(String region) {
    List<SnapshotRecord> all = new ArrayList<>();
    for (Path regionDir : children(regionsRoot)) {
      if (region != null && !regionDir.getFileName().toString().equals(region)) {
        continue;
      }
      for (Path snap : children(regionDir.resolve("snapshots"))) {
        Path file = snap.resolve(RECORD);
        if (Files.exists(file)) {
          all.add(LocalJson.read(file, SnapshotRecord.class));
        }
      }
    }
    all.sort(Comparator.comparing(SnapshotRecord::startedAt, Comparator.nullsLast(Comparator.naturalOrder()))
        .thenComparing(SnapshotRecord::id));
    return all;
  }

  /** The WAL position a base backup starts from, as written in its {@code backup_label}. */
  record BackupLabel(String startSegment, int timeline) {}

  static BackupLabel readLabel(Path backupDataDir) {
    String text = SnapshotFormat.backupLabel(backupDataDir);
    Matcher wal = START_WAL.matcher(text);
    Matcher tli = START_TIMELINE.matcher(text);
    if (!wal.find()) {
      throw new IllegalStateException("no START WAL LOCATION in the backup_label of " + backupDataDir);
    }
    int timeline = tli.find() ? Integer.parseInt(tli.group(1)) : WalSegment.parse(wal.group(1)).timeline();
    return new BackupLabel(wal.group(1), timeline);
  }

  private static List<Path> children(Path dir) {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(Files::isDirectory).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir, e);
    }
  }
}
