package dev.lifeboat.activities.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The contents of {@code postmaster.pid}: line 1 is the pid, line 8 the status ("starting",
 * "ready", "standby", "stopping"), the same lines {@code pg_ctl} reads.
 */
record PidFile(long pid, String status) {
  static Optional<PidFile> read(Path dataDir) {
    try {
      List<String> lines = Files.readAllLines(dataDir.resolve("postmaster.pid"), StandardCharsets.UTF_8);
      if (lines.isEmpty() || lines.get(0).isBlank()) {
        return Optional.empty();
      }
      String status = lines.size() >= 8 ? lines.get(7).trim() : "starting";
      return Optional.of(new PidFile(Long.parseLong(lines.get(0).trim()), status));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException | NumberFormatException e) {
      // written while we read it: treat as not there yet
      return Optional.empty();
    }
  }

  /** Alive and really a postgres process (a stale file's pid may belong to something else by now). */
  boolean alive() {
    return ProcessHandle.of(pid)
        .filter(ProcessHandle::isAlive)
        .map(h -> h.info().command().map(c -> c.endsWith("postgres")).orElse(true))
        .orElse(false);
  }

  boolean acceptsConnections() {
    return "ready".equals(status) || "standby".equals(status);
  }
}
