package dev.lifeboat.rds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lifeboat.activities.tables.ExportStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * What every {@link ExportStore} does, whatever it stores on: run against S3 (S3Proxy, LocalStack)
 * and against the local directory store, so the two are proven to agree.
 */
abstract class S3ExportStoreContract {
  /** S3's smallest part: a 20 MiB object is then four full parts and no remainder, 20 MiB + 17 five parts. */
  static final int PART = S3ExportStore.MIN_PART_SIZE;

  /** A store with nothing in it, writing parts of {@link #PART} bytes where it has parts. */
  protected abstract ExportStore store() throws Exception;

  /** Nothing of an upload closed without a commit is left behind (S3: no multipart upload in progress). */
  protected void assertNoUploadInProgress() throws Exception {}

  @Test
  void multipartObject_isInvisibleUntilCommit_andReadBackExactly() throws Exception {
    ExportStore store = store();
    long length = 4L * PART + 17;
    byte[] expected;
    try (ExportStore.Upload upload = store.create("run-1/tables/orders.orders.pgcopy")) {
      expected = writeRandom(upload, length, 1);
      assertThat(store.size("run-1/tables/orders.orders.pgcopy")).isEmpty();
      assertThat(store.list("run-1/")).isEmpty();
      assertThat(upload.commit()).isEqualTo(length);
    }

    assertThat(store.size("run-1/tables/orders.orders.pgcopy")).hasValue(length);
    try (InputStream in = store.open("run-1/tables/orders.orders.pgcopy")) {
      assertThat(digest(in)).isEqualTo(expected);
    }
  }

  @Test
  void objectOfExactlyWholeParts_isReadBackExactly() throws Exception {
    ExportStore store = store();
    long length = 2L * PART;
    byte[] expected;
    try (ExportStore.Upload upload = store.create("run-1/whole-parts")) {
      expected = writeRandom(upload, length, 2);
      assertThat(upload.commit()).isEqualTo(length);
    }
    try (InputStream in = store.open("run-1/whole-parts")) {
      assertThat(digest(in)).isEqualTo(expected);
    }
  }

  @Test
  void smallAndEmptyObjects_areWrittenInOneGo() throws Exception {
    ExportStore store = store();
    store.put("run-1/manifest.json", "{\"rows\":3}".getBytes(StandardCharsets.UTF_8));
    try (ExportStore.Upload upload = store.create("run-1/empty")) {
      assertThat(upload.commit()).isZero();
    }
    try (ExportStore.Upload upload = store.create("run-1/bytes")) {
      upload.write('a');
      upload.write("bc".getBytes(StandardCharsets.UTF_8));
      assertThat(upload.commit()).isEqualTo(3);
    }

    assertThat(store.getString("run-1/manifest.json")).isEqualTo("{\"rows\":3}");
    assertThat(store.size("run-1/empty")).hasValue(0);
    assertThat(store.getString("run-1/empty")).isEmpty();
    assertThat(store.getString("run-1/bytes")).isEqualTo("abc");
  }

  @Test
  void uploadClosedWithoutCommit_leavesNothing_andKeepsTheOldObject() throws Exception {
    ExportStore store = store();
    store.put("run-1/x", "old".getBytes(StandardCharsets.UTF_8));
    try (ExportStore.Upload upload = store.create("run-1/x")) {
      // more than two parts: a multipart upload is under way when it is abandoned
      writeRandom(upload, 2L * PART + 5, 3);
    }
    try (ExportStore.Upload upload = store.create("run-1/y")) {
      writeRandom(upload, 2L * PART + 5, 4);
    }
    try (ExportStore.Upload upload = store.create("run-1/z")) {
      upload.write("small, never committed".getBytes(StandardCharsets.UTF_8));
    }

    assertThat(store.getString("run-1/x")).isEqualTo("old");
    assertThat(store.size("run-1/y")).isEmpty();
    assertThat(store.size("run-1/z")).isEmpty();
    assertThat(store.list("run-1/")).containsExactly("run-1/x");
    assertNoUploadInProgress();
  }

  @Test
  void committedObject_replacesTheOldOne() throws Exception {
    ExportStore store = store();
    store.put("run-1/x", "old".getBytes(StandardCharsets.UTF_8));
    store.put("run-1/x", "new!".getBytes(StandardCharsets.UTF_8));

    assertThat(store.getString("run-1/x")).isEqualTo("new!");
    assertThat(store.size("run-1/x")).hasValue(4);
  }

  @Test
  void writeAfterCommit_isRefused() throws Exception {
    ExportStore store = store();
    try (ExportStore.Upload upload = store.create("run-1/once")) {
      upload.write(1);
      upload.commit();
      assertThatThrownBy(() -> upload.write(2)).isInstanceOf(IOException.class);
      assertThatThrownBy(upload::commit).isInstanceOf(IOException.class);
    }
    assertThat(store.size("run-1/once")).hasValue(1);
  }

  @Test
  void list_isSortedAndRelative_delete_saysWhetherThereWasOne() throws Exception {
    ExportStore store = store();
    for (String key : new String[] {"run-2/b", "run-1/tables/b.t.pgcopy", "run-1/manifest.json",
        "run-1/tables/a.t.pgcopy", "run-10/x"}) {
      store.put(key, key.getBytes(StandardCharsets.UTF_8));
    }

    assertThat(store.list("run-1/")).containsExactly("run-1/manifest.json", "run-1/tables/a.t.pgcopy",
        "run-1/tables/b.t.pgcopy");
    assertThat(store.list("run-1/tables/")).containsExactly("run-1/tables/a.t.pgcopy", "run-1/tables/b.t.pgcopy");
    assertThat(store.list("run-1")).containsExactly("run-1/manifest.json", "run-1/tables/a.t.pgcopy",
        "run-1/tables/b.t.pgcopy", "run-10/x");
    assertThat(store.list("")).hasSize(5).isSorted();
    assertThat(store.list("run-3/")).isEmpty();
    assertThat(store.size("run-2/b")).hasValue("run-2/b".length());

    assertThat(store.delete("run-2/b")).isTrue();
    assertThat(store.delete("run-2/b")).isFalse();
    assertThat(store.size("run-2/b")).isEmpty();
    assertThat(store.list("run-2/")).isEmpty();
  }

  @Test
  void missingObject_isNoSuchFile_andHasNoSize() throws Exception {
    ExportStore store = store();
    assertThatThrownBy(() -> store.open("run-1/missing")).isInstanceOf(NoSuchFileException.class);
    assertThatThrownBy(() -> store.getString("run-1/missing")).isInstanceOf(NoSuchFileException.class);
    assertThat(store.size("run-1/missing")).isEmpty();
    assertThat(store.delete("run-1/missing")).isFalse();
  }

  @Test
  void keysLeavingTheRoot_orNamingHiddenFiles_areRefused() throws Exception {
    ExportStore store = store();
    for (String key : new String[] {"../x", "/etc/passwd", "a/../../x", "a//b", "a/.hidden", ".", "", "a/"}) {
      assertThatThrownBy(() -> store.create(key)).as(key).isInstanceOf(IllegalArgumentException.class);
    }
  }

  /** Writes {@code length} pseudo-random bytes in uneven chunks; returns their SHA-256. */
  static byte[] writeRandom(ExportStore.Upload upload, long length, long seed) throws IOException {
    Random random = new Random(seed);
    MessageDigest sha = sha256();
    byte[] chunk = new byte[300_007];
    long left = length;
    while (left > 0) {
      int n = (int) Math.min(left, 1 + random.nextInt(chunk.length));
      random.nextBytes(chunk);
      upload.write(chunk, 0, n);
      sha.update(chunk, 0, n);
      left -= n;
    }
    return sha.digest();
  }

  static byte[] digest(InputStream in) throws IOException {
    MessageDigest sha = sha256();
    byte[] buffer = new byte[1 << 16];
    for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
      sha.update(buffer, 0, n);
    }
    return sha.digest();
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
