package dev.lifeboat.activities.tables;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BinaryCopyRowsTest {
  /** A binary COPY stream of {@code rows} rows (int, text or NULL, empty text), header extension of {@code ext} bytes. */
  static byte[] stream(int rows, int ext) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bytes);
    out.write(new byte[] {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xff, '\r', '\n', 0});
    out.writeInt(0);
    out.writeInt(ext);
    out.write(new byte[ext]);
    for (int i = 0; i < rows; i++) {
      out.writeShort(3);
      out.writeInt(4);
      out.writeInt(i);
      if (i % 3 == 0) {
        out.writeInt(-1);
      } else {
        byte[] text = ("row " + i).getBytes(StandardCharsets.UTF_8);
        out.writeInt(text.length);
        out.write(text);
      }
      out.writeInt(0);
    }
    out.writeShort(-1);
    return bytes.toByteArray();
  }

  @Test
  void feed_inOneSlice_countsRows_andSeesTheTrailer() throws IOException {
    byte[] s = stream(1000, 0);
    BinaryCopyRows rows = new BinaryCopyRows();

    rows.feed(s, 0, s.length);

    assertThat(rows.rows()).isEqualTo(1000);
    assertThat(rows.complete()).isTrue();
  }

  @Test
  void feed_inRandomSlices_countsTheSame() throws IOException {
    byte[] s = stream(2500, 7);
    Random random = new Random(42);
    for (int round = 0; round < 20; round++) {
      BinaryCopyRows rows = new BinaryCopyRows();
      int at = 0;
      while (at < s.length) {
        int n = Math.min(s.length - at, random.nextInt(round < 10 ? 5 : 300) + 1);
        rows.feed(s, at, n);
        at += n;
      }
      assertThat(rows.rows()).isEqualTo(2500);
      assertThat(rows.complete()).isTrue();
    }
  }

  @Test
  void feed_withoutTrailer_isIncomplete() throws IOException {
    byte[] s = stream(10, 0);
    BinaryCopyRows rows = new BinaryCopyRows();

    rows.feed(s, 0, s.length - 2);

    assertThat(rows.rows()).isEqualTo(10);
    assertThat(rows.complete()).isFalse();
  }

  @Test
  void feed_ofNoRows_isCompleteWithZero() throws IOException {
    byte[] s = stream(0, 0);
    BinaryCopyRows rows = new BinaryCopyRows();

    rows.feed(s, 0, s.length);

    assertThat(rows.rows()).isZero();
    assertThat(rows.complete()).isTrue();
  }

  @Test
  void feed_ofSomethingElse_orDataAfterTheTrailer_isRefused() throws IOException {
    byte[] text = "1\tone\n".getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> new BinaryCopyRows().feed(text, 0, text.length))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("signature");

    byte[] s = stream(2, 0);
    byte[] longer = java.util.Arrays.copyOf(s, s.length + 1);
    assertThatThrownBy(() -> new BinaryCopyRows().feed(longer, 0, longer.length))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("after the trailer");
  }
}
