package dev.lifeboat.activities.tables;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalExportStoreTest {
  @TempDir
  Path dir;

  @Test
  void committedObject_isReadBack_listed_andDeleted() throws IOException {
    LocalExportStore store = new LocalExportStore(dir.resolve("exports"));
    byte[] big = new byte[(3 << 20) + 17];
    Arrays.fill(big, (byte) 7);
    try (ExportStore.Upload upload = store.create("run-1/tables/a.b.pgcopy")) {
      upload.write(big, 0, 1000);
      upload.write(big, 1000, big.length - 1000);
      assertThat(store.size("run-1/tables/a.b.pgcopy")).isEmpty();
      assertThat(upload.commit()).isEqualTo(big.length);
    }
    store.put("run-1/manifest.json", "{}".getBytes(StandardCharsets.UTF_8));

    assertThat(store.size("run-1/tables/a.b.pgcopy")).hasValue(big.length);
    try (var in = store.open("run-1/tables/a.b.pgcopy")) {
      assertThat(in.readAllBytes()).isEqualTo(big);
    }
    assertThat(store.getString("run-1/manifest.json")).isEqualTo("{}");
    assertThat(store.list("run-1/")).containsExactly("run-1/manifest.json", "run-1/tables/a.b.pgcopy");
    assertThat(store.uri()).isEqualTo(dir.resolve("exports").toUri().toString().replaceAll("/$", ""));
    assertThat(store.delete("run-1/manifest.json")).isTrue();
    assertThat(store.delete("run-1/manifest.json")).isFalse();
  }

  @Test
  void uploadClosedWithoutCommit_leavesNothing() throws IOException {
    LocalExportStore store = new LocalExportStore(dir);
    store.put("run-1/x", "old".getBytes(StandardCharsets.UTF_8));
    try (ExportStore.Upload upload = store.create("run-1/x")) {
      upload.write("half of a new one".getBytes(StandardCharsets.UTF_8));
    }

    assertThat(store.getString("run-1/x")).isEqualTo("old");
    try (Stream<Path> files = Files.list(dir.resolve("run-1"))) {
      assertThat(files).extracting(p -> p.getFileName().toString()).containsExactly("x");
    }
    assertThatThrownBy(() -> store.open("run-1/missing")).isInstanceOf(NoSuchFileException.class);
    assertThat(store.size("run-1/missing")).isEmpty();
  }

  @Test
  void keysLeavingTheRoot_areRefused() {
    LocalExportStore store = new LocalExportStore(dir);
    for (String key : new String[] {"../x", "/etc/passwd", "a/../../x", "a//b", "a/.hidden", ".", ""}) {
      assertThatThrownBy(() -> store.create(key)).as(key).isInstanceOf(IllegalArgumentException.class);
    }
  }
}
