package dev.lifeboat.activities.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TarExtractorTest {
  @TempDir
  Path tmp;

  @Test
  void extract_ofAUstarStream_writesFilesDirectoriesAndModes() throws Exception {
    Path src = Files.createDirectories(tmp.resolve("src"));
    Files.writeString(src.resolve("backup_label"), "START WAL LOCATION: 0/2000028 (file 000000010000000000000002)\n");
    Files.createDirectories(src.resolve("base/1"));
    byte[] big = new byte[3 * 1024 * 1024 + 17];
    new Random(7).nextBytes(big);
    Files.write(src.resolve("base/1/16384"), big);
    Files.setPosixFilePermissions(src.resolve("base/1/16384"), PosixFilePermissions.fromString("rw-------"));
    Files.createDirectories(src.resolve("pg_wal/archive_status"));
    Files.createFile(src.resolve("empty"));
    Path tar = tmp.resolve("t.tar");
    ProcessRunner.check(new ProcessRunner(OsUser.detect(null)).run(List.of("tar", "--format=ustar", "-cf",
        tar.toString(), "-C", src.toString(), "backup_label", "base", "pg_wal", "empty"),
        java.time.Duration.ofMinutes(1)));

    Path out = Files.createDirectories(tmp.resolve("out"));
    long bytes;
    try (TarExtractor extractor = new TarExtractor(out, null, true); InputStream in = Files.newInputStream(tar)) {
      bytes = extractor.extract(in, "", b -> { });
      extractor.finish();
    }

    assertThat(bytes).isEqualTo(big.length + Files.size(src.resolve("backup_label")));
    assertThat(Files.readAllBytes(out.resolve("base/1/16384"))).isEqualTo(big);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(out.resolve("base/1/16384"))))
        .isEqualTo("rw-------");
    assertThat(out.resolve("pg_wal/archive_status")).isDirectory();
    assertThat(out.resolve("empty")).isEmptyFile();
    try (InputStream in = Files.newInputStream(tar)) {
      assertThat(TarExtractor.readEntry(in, "backup_label")).hasValueSatisfying(
          b -> assertThat(new String(b, StandardCharsets.UTF_8)).startsWith("START WAL LOCATION"));
    }
  }

  @Test
  void extract_whenAnEntryPointsOutside_isRefused() throws Exception {
    byte[] header = new byte[1024 + 512];
    byte[] name = "../escape".getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(name, 0, header, 0, name.length);
    put(header, 100, "0000644");
    put(header, 124, "00000000000");
    header[156] = '0';
    Path out = Files.createDirectories(tmp.resolve("out2"));
    try (TarExtractor extractor = new TarExtractor(out, null, true)) {
      assertThatThrownBy(() -> extractor.extract(new ByteArrayInputStream(header), "", b -> { }))
          .isInstanceOf(IOException.class).hasMessageContaining("outside");
    }
    assertThat(tmp.resolve("escape")).doesNotExist();
  }

  @Test
  void extract_ofASymbolicLink_isRefused_soNoLaterEntryWritesThroughIt() throws Exception {
    Path src = Files.createDirectories(tmp.resolve("src3"));
    Files.createSymbolicLink(src.resolve("pg_wal"), Path.of("/etc"));
    Path tar = tmp.resolve("link.tar");
    ProcessRunner.check(new ProcessRunner(OsUser.detect(null)).run(List.of("tar", "--format=ustar", "-cf",
        tar.toString(), "-C", src.toString(), "pg_wal"), java.time.Duration.ofMinutes(1)));
    Path out = Files.createDirectories(tmp.resolve("out3"));
    try (TarExtractor extractor = new TarExtractor(out, null, true); InputStream in = Files.newInputStream(tar)) {
      assertThatThrownBy(() -> extractor.extract(in, "", b -> { })).isInstanceOf(IOException.class)
          .hasMessageContaining("symbolic link");
    }
    assertThat(out.resolve("pg_wal")).doesNotExist();
  }

  @Test
  void number_readsOctalAndBase256() throws Exception {
    byte[] b = new byte[12];
    put(b, 0, "00000001750");
    assertThat(TarExtractor.number(b, 0, 12)).isEqualTo(1000);
    Arrays.fill(b, (byte) 0);
    b[0] = (byte) 0x80;
    b[11] = 1;
    b[10] = 2;
    assertThat(TarExtractor.number(b, 0, 12)).isEqualTo(0x201);
  }

  private static void put(byte[] b, int off, String s) {
    byte[] v = s.getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(v, 0, b, off, v.length);
  }
}
