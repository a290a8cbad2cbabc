package dev.lifeboat.activities.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WalPrefetchTest {
  @TempDir
  Path tmp;

  @Test
  void prepares_whatTheArchiveScriptsZstdWrote_andStopsAtAnEmptyOrDamagedSegment() throws Exception {
    ProcessRunner runner = new ProcessRunner(OsUser.detect(null));
    Path archive = Files.createDirectories(tmp.resolve("archive"));
    List<WalSegment> segments = List.of(new WalSegment(1, 1), new WalSegment(1, 2), new WalSegment(1, 3),
        new WalSegment(1, 4));
    byte[][] contents = new byte[2][];
    Random random = new Random(7);
    for (int i = 0; i < 2; i++) {
      contents[i] = new byte[1 << 20];
      random.nextBytes(contents[i]);
      Path plain = tmp.resolve("plain-" + i);
      Files.write(plain, contents[i]);
      // the archive command's own compressor, the zstd command
      ProcessRunner.check(runner.run(List.of(WalScripts.ZSTD, "-q", "-1", "-f", plain.toString(), "-o",
          archive.resolve(segments.get(i).name() + ".zst").toString()), Duration.ofMinutes(1)));
    }
    // an empty file: zstd -d refuses it, and so must the prefetch (a segment of 0 bytes)
    Files.write(archive.resolve(segments.get(2).name() + ".zst"), new byte[0]);
    Files.writeString(archive.resolve(segments.get(3).name() + ".zst"), "not zstd", StandardCharsets.UTF_8);

    Path dir = tmp.resolve("prefetch");
    try (WalPrefetch prefetch = new WalPrefetch(runner, archive, dir, segments).start()) {
      await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(dir.resolve(segments.get(1).name())));
      assertThat(Files.readAllBytes(dir.resolve(segments.get(0).name()))).isEqualTo(contents[0]);
      assertThat(Files.readAllBytes(dir.resolve(segments.get(1).name()))).isEqualTo(contents[1]);
      // the damaged one is left to the restore command (which reports it); nothing after it is prepared
      Thread.sleep(300);
      try (var files = Files.list(dir)) {
        assertThat(files.map(p -> p.getFileName().toString()))
            .containsExactlyInAnyOrder(segments.get(0).name(), segments.get(1).name());
      }
    }
    assertThat(dir).doesNotExist();
  }
}
