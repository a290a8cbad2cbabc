package dev.lifeboat.activities.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BackupManifestTest {
  private static final byte[] DIGITS = "123456789".getBytes(StandardCharsets.US_ASCII);

  @TempDir
  Path dir;

  /** CRC-32C of "123456789" is 0xE3069283; PostgreSQL writes its bytes as they lie in memory. */
  private BackupManifest manifest() throws Exception {
    Path file = dir.resolve("backup_manifest");
    Files.writeString(file, """
        { "PostgreSQL-Backup-Manifest-Version": 1,
          "Files": [
            { "Path": "base/1/1234", "Size": 9, "Last-Modified": "2026-12-01 00:00:00 GMT",
              "Checksum-Algorithm": "CRC32C", "Checksum": "839206e3" },
            { "Encoded-Path": "676c6f62616c2f6162", "Size": 3, "Last-Modified": "2026-12-01 00:00:00 GMT",
              "Checksum-Algorithm": "SHA256",
              "Checksum": "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" } ] }
        """);
    return BackupManifest.read(file);
  }

  @Test
  void filesThatMatchTheirSizeAndChecksum_pass() throws Exception {
    BackupManifest manifest = manifest();
    BackupManifest.Check crc = manifest.check("./base/1/1234");
    crc.update(DIGITS, 0, 4);
    crc.update(DIGITS, 4, 5);
    crc.finish(9);
    BackupManifest.Check sha = manifest.check("global/ab");
    sha.update("abc".getBytes(StandardCharsets.US_ASCII), 0, 3);
    sha.finish(3);

    manifest.requireAllSeen();
    assertThat(manifest.totalBytes()).isEqualTo(12);
  }

  @Test
  void aChangedByte_aWrongSize_anUnlistedFile_andAMissingOne_areEachDamage() throws Exception {
    BackupManifest manifest = manifest();
    BackupManifest.Check crc = manifest.check("base/1/1234");
    byte[] changed = DIGITS.clone();
    changed[4] ^= 1;
    crc.update(changed, 0, 9);
    assertThatThrownBy(() -> crc.finish(9)).isInstanceOf(BackupManifest.DamagedException.class)
        .hasMessageContaining("base/1/1234").hasMessageContaining("checksum").hasMessageContaining("839206e3");

    BackupManifest.Check sha = manifest.check("global/ab");
    sha.update("ab".getBytes(StandardCharsets.US_ASCII), 0, 2);
    assertThatThrownBy(() -> sha.finish(2)).hasMessageContaining("is 2 bytes, its manifest says 3");

    assertThatThrownBy(() -> manifest.check("base/1/9999")).hasMessageContaining("does not list");
    assertThatThrownBy(() -> manifest.check("global/ab")).hasMessageContaining("twice");
    assertThatThrownBy(() -> manifest().requireAllSeen()).isInstanceOf(BackupManifest.DamagedException.class)
        .hasMessageContaining("lacks 2 file(s)").hasMessageContaining("base/1/1234");
  }

  @Test
  void aMissingManifest_isDamage() {
    assertThatThrownBy(() -> BackupManifest.read(dir.resolve("backup_manifest")))
        .isInstanceOf(BackupManifest.DamagedException.class).hasMessageContaining("no backup_manifest");
  }
}
