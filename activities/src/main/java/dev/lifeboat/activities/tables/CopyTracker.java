package dev.lifeboat.activities.tables;

import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Watches a binary COPY stream on its way to or from the export store: counts bytes and rows,
 * computes its SHA-256, and calls back with the counts every few megabytes. The wrapped streams
 * see large slices (the caller buffers), so all of this costs per slice, not per row.
 */
final class CopyTracker {
  /** Receives counts while the stream flows. */
  @FunctionalInterface
  interface Listener {
    void progress(long rows, long bytes) throws IOException;
  }

  static final int REPORT_EVERY = 4 << 20;

  private final MessageDigest digest = sha256();
  private final BinaryCopyRows rows = new BinaryCopyRows();
  private final Listener listener;
  private long bytes;
  private long nextReport = REPORT_EVERY;

  CopyTracker(Listener listener) {
    this.listener = listener;
  }

  long bytes() {
    return bytes;
  }

  long rows() {
    return rows.rows();
  }

  boolean complete() {
    return rows.complete();
  }

  /** Hex SHA-256 of everything seen; call once, at the end. */
  String sha256Hex() {
    return HexFormat.of().formatHex(digest.digest());
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK always has SHA-256", e);
    }
  }

  private void see(byte[] b, int off, int len) throws IOException {
    if (len <= 0) {
      return;
    }
    digest.update(b, off, len);
    rows.feed(b, off, len);
    bytes += len;
    if (bytes >= nextReport) {
      nextReport = bytes + REPORT_EVERY;
      listener.progress(rows.rows(), bytes);
    }
  }

  /** Everything written passes through the tracker into {@code out}. */
  OutputStream outputStream(OutputStream out) {
    return new FilterOutputStream(out) {
      @Override
      public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        see(b, off, len);
        out.write(b, off, len);
      }
    };
  }

  /** Everything read from {@code in} passes through the tracker. */
  InputStream inputStream(InputStream in) {
    return new FilterInputStream(in) {
      @Override
      public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        int n = in.read(b, off, len);
        if (n > 0) {
          see(b, off, n);
        }
        return n;
      }

      @Override
      public long skip(long n) {
        return 0; // every byte must be seen
      }

      @Override
      public boolean markSupported() {
        return false;
      }
    };
  }
}
