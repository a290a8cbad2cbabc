package dev.lifeboat.activities.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The platform's own list of instances: {@code instances/<id>/instance.json}, with the cluster's
 * data directory ({@code data/}) and server log ({@code postgres.log}) beside it.
 */
final class InstanceRegistry {
  private static final String RECORD = "instance.json";

  private final Path root;

  InstanceRegistry(Path dataRoot) {
    this.root = dataRoot.resolve("instances");
  }

  Path root() {
    return root;
  }

  Path dir(String id) {
    return root.resolve(id);
  }

  Path dataDir(String id) {
    return dir(id).resolve("data");
  }

  Path logFile(String id) {
    return dir(id).resolve("postgres.log");
  }

  Optional<InstanceRecord> find(String id) {
    Path file = dir(id).resolve(RECORD);
    return Files.exists(file) ? Optional.of(LocalJson.read(file, InstanceRecord.class)) : Optional.empty();
  }

  void save(InstanceRecord record) {
    LocalJson.write(dir(record.id()).resolve(RECORD), record);
  }

  /** Every recorded instance, by id. */
  List<InstanceRecord> list() {
    if (!Files.isDirectory(root)) {
      return List.of();
    }
    List<InstanceRecord> records = new ArrayList<>();
    try (Stream<Path> dirs = Files.list(root)) {
      dirs.filter(d -> Files.exists(d.resolve(RECORD)))
          .sorted(Comparator.comparing(Path::toString))
          .forEach(d -> records.add(LocalJson.read(d.resolve(RECORD), InstanceRecord.class)));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + root, e);
    }
    return records;
  }

  /** Removes the instance's directory; the record goes last so an interrupted delete is found again. */
  void delete(String id) {
    Path dir = dir(id);
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> entries = Files.list(dir)) {
      for (Path entry : entries.filter(p -> !p.getFileName().toString().equals(RECORD)).toList()) {
        FileTrees.deleteRecursively(entry);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + dir, e);
    }
    FileTrees.deleteRecursively(dir);
  }
}
