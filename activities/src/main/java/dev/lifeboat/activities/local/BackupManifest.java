package dev.lifeboat.activities.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.zip.CRC32C;

/**
 * The files a {@code backup_manifest} lists (path, size, checksum), for checking a backup while it
 * is laid down: each file's bytes are summed as they are written ({@link #check}), and the
 * lay-down fails on a file that differs from the manifest, one it does not list, or one it lists
 * and the backup lacks ({@link #requireAllSeen}). This is what {@code pg_verifybackup} checks of
 * the files, done in the same pass as the extraction: CRC-32C (what {@code pg_basebackup} writes by
 * default) costs about a tenth of a second per GB here. A manifest with {@code NONE} has its sizes
 * checked.
 */
final class BackupManifest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * What a laid-down backup holds that its manifest does not say, or the reverse, or a backup that
   * cannot be read or decompressed (a bad disk, a truncated copy): the snapshot, not the target, is
   * at fault.
   */
  static final class DamagedException extends IOException {
    DamagedException(String message) {
      super(message);
    }

    DamagedException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private record Entry(long size, String algorithm, String checksum) {}

  private final Map<String, Entry> files;
  private final Set<String> seen = new HashSet<>();

  private BackupManifest(Map<String, Entry> files) {
    this.files = files;
  }

  static BackupManifest read(Path manifest) throws IOException {
    if (!java.nio.file.Files.exists(manifest)) {
      throw new DamagedException("it has no " + manifest.getFileName());
    }
    Map<String, Entry> files = new HashMap<>();
    JsonNode root;
    try {
      root = JSON.readTree(manifest.toFile());
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new DamagedException(manifest.getFileName() + " is not valid JSON: " + e.getOriginalMessage(), e);
    }
    for (JsonNode f : root.path("Files")) {
      String path = f.has("Encoded-Path")
          ? new String(HexFormat.of().parseHex(f.path("Encoded-Path").asText()), StandardCharsets.UTF_8)
          : f.path("Path").asText();
      files.put(path, new Entry(f.path("Size").asLong(), f.path("Checksum-Algorithm").asText("NONE"),
          f.path("Checksum").asText("")));
    }
    if (files.isEmpty()) {
      throw new DamagedException(manifest + " lists no files");
    }
    return new BackupManifest(files);
  }

  /** The sum of the sizes the manifest lists: the size of the laid-down base. */
  long totalBytes() {
    return files.values().stream().mapToLong(Entry::size).sum();
  }

  /** Starts checking the file {@code path} (relative to the data directory), which the manifest must list. */
  Check check(String path) throws DamagedException {
    String clean = path.startsWith("./") ? path.substring(2) : path;
    Entry entry = files.get(clean);
    if (entry == null) {
      throw new DamagedException("the backup holds " + clean + ", which its manifest does not list");
    }
    if (!seen.add(clean)) {
      throw new DamagedException("the backup holds " + clean + " twice");
    }
    return new Check(clean, entry);
  }

  /** Fails when a file the manifest lists was not in the backup. */
  void requireAllSeen() throws DamagedException {
    if (seen.size() == files.size()) {
      return;
    }
    List<String> missing = files.keySet().stream().filter(p -> !seen.contains(p)).sorted().limit(5).toList();
    throw new DamagedException("the backup lacks " + (files.size() - seen.size()) + " file(s) its manifest lists, "
        + String.join(", ", missing) + (files.size() - seen.size() > missing.size() ? ", ..." : ""));
  }

  /** The running checksum of one file. */
  static final class Check {
    private final String path;
    private final Entry entry;
    private final CRC32C crc;
    private final MessageDigest digest;

    private Check(String path, Entry entry) throws DamagedException {
      this.path = path;
      this.entry = entry;
      String algorithm = entry.algorithm().toUpperCase(Locale.ROOT);
      this.crc = algorithm.equals("CRC32C") ? new CRC32C() : null;
      MessageDigest md = null;
      if (algorithm.startsWith("SHA")) {
        try {
          md = MessageDigest.getInstance("SHA-" + algorithm.substring(3));
        } catch (NoSuchAlgorithmException e) {
          throw new DamagedException("the manifest's checksum algorithm " + entry.algorithm() + " of " + path
              + " is unknown");
        }
      } else if (crc == null && !algorithm.equals("NONE")) {
        throw new DamagedException("the manifest's checksum algorithm " + entry.algorithm() + " of " + path
            + " is unknown");
      }
      this.digest = md;
    }

    void update(byte[] b, int off, int len) {
      if (crc != null) {
        crc.update(b, off, len);
      } else if (digest != null) {
        digest.update(b, off, len);
      }
    }

    /** @param size the bytes the backup held for the file */
    void finish(long size) throws DamagedException {
      if (size != entry.size()) {
        throw new DamagedException(path + " is " + size + " bytes, its manifest says " + entry.size());
      }
      String actual;
      if (crc != null) {
        // PostgreSQL writes the CRC's four bytes as they lie in memory (little-endian here)
        long v = crc.getValue();
        actual = HexFormat.of().formatHex(new byte[] {(byte) v, (byte) (v >> 8), (byte) (v >> 16), (byte) (v >> 24)});
      } else if (digest != null) {
        actual = HexFormat.of().formatHex(digest.digest());
      } else {
        return;
      }
      if (!actual.equalsIgnoreCase(entry.checksum())) {
        throw new DamagedException(path + " has " + entry.algorithm() + " checksum " + actual + ", its manifest says "
            + entry.checksum());
      }
    }
  }
}
