package dev.lifeboat.activities.tables;

/**
 * Counts the rows of a PostgreSQL binary COPY stream as it passes, fed in arbitrary slices, and
 * checks its framing: the signature, the header, each tuple's field lengths, the trailer and
 * nothing after it. Rows that lie whole in a slice are walked field length by field length with
 * local variables (a few operations per field, never per byte of data: this runs on every byte
 * of an export); only the row a slice boundary cuts goes through the byte-wise states.
 */
final class BinaryCopyRows {
  private static final byte[] SIGNATURE = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xff, '\r', '\n', 0};

  private enum State { SIGNATURE, FLAGS, EXTENSION_LENGTH, FIELD_COUNT, FIELD_LENGTH, SKIP, END }

  private State state = State.SIGNATURE;
  /** the state after a SKIP */
  private State afterSkip;
  private int signatureAt;
  private int need;
  private long value;
  private long skip;
  private int fieldsLeft;
  private long rows;

  /** Rows whose start has been seen. */
  long rows() {
    return rows;
  }

  /** True once the trailer was read: the stream is complete. */
  boolean complete() {
    return state == State.END;
  }

  /** @throws IllegalStateException when the bytes are not a binary COPY stream */
  void feed(byte[] b, int off, int len) {
    int i = off;
    int end = off + len;
    while (i < end) {
      if (state == State.FIELD_COUNT && need == 2) {
        i = wholeRows(b, i, end);
        if (i >= end) {
          return;
        }
      }
      switch (state) {
        case SIGNATURE -> {
          if (b[i] != SIGNATURE[signatureAt]) {
            throw bad("no PGCOPY signature");
          }
          i++;
          if (++signatureAt == SIGNATURE.length) {
            expect(State.FLAGS, 4);
          }
        }
        case SKIP -> {
          int n = (int) Math.min(skip, end - i);
          i += n;
          skip -= n;
          if (skip == 0) {
            next(afterSkip);
          }
        }
        case END -> throw bad("data after the trailer");
        default -> {
          value = value << 8 | (b[i] & 0xff);
          i++;
          if (--need == 0) {
            integer();
          }
        }
      }
    }
  }

  /**
   * The common case, at the start of a row with bytes to spare: walks whole rows with local
   * variables only, and leaves a row that does not fit in the slice (or the trailer) to the
   * byte-wise states.
   */
  private int wholeRows(byte[] b, int i, int end) {
    long counted = rows;
    while (end - i >= 2) {
      int fields = (short) ((b[i] & 0xff) << 8 | (b[i + 1] & 0xff));
      if (fields < 0) {
        break; // the trailer, or garbage: the byte-wise states tell which
      }
      int p = i + 2;
      int f = 0;
      for (; f < fields && end - p >= 4; f++) {
        int length = (b[p] & 0xff) << 24 | (b[p + 1] & 0xff) << 16 | (b[p + 2] & 0xff) << 8 | (b[p + 3] & 0xff);
        if (length < -1) {
          throw bad("negative field length " + length);
        }
        if (length > 0 && end - p - 4 < length) {
          break;
        }
        p += 4 + Math.max(length, 0);
      }
      if (f < fields) {
        break;
      }
      counted++;
      i = p;
    }
    rows = counted;
    return i;
  }

  private void integer() {
    switch (state) {
      case FLAGS -> expect(State.EXTENSION_LENGTH, 4);
      case EXTENSION_LENGTH -> skipThen((int) value, State.FIELD_COUNT);
      case FIELD_COUNT -> {
        short fields = (short) value;
        if (fields == -1) {
          state = State.END;
        } else if (fields < 0) {
          throw bad("negative field count " + fields);
        } else {
          rows++;
          fieldsLeft = fields;
          next(State.FIELD_COUNT);
        }
      }
      case FIELD_LENGTH -> {
        int length = (int) value;
        fieldsLeft--;
        if (length == -1) {
          next(State.FIELD_COUNT);
        } else if (length < 0) {
          throw bad("negative field length " + length);
        } else {
          skipThen(length, State.FIELD_COUNT);
        }
      }
      default -> throw new IllegalStateException(state.name());
    }
  }

  /** Continues with the next field of the current row, or the next row's field count. */
  private void next(State wanted) {
    if (wanted == State.FIELD_COUNT && fieldsLeft > 0) {
      expect(State.FIELD_LENGTH, 4);
    } else {
      expect(wanted, wanted == State.FIELD_COUNT ? 2 : 4);
    }
  }

  private void skipThen(long bytes, State then) {
    if (bytes == 0) {
      next(then);
    } else {
      skip = bytes;
      afterSkip = then;
      state = State.SKIP;
    }
  }

  private void expect(State s, int bytes) {
    state = s;
    need = bytes;
    value = 0;
  }

  private IllegalStateException bad(String why) {
    return new IllegalStateException("not a valid binary COPY stream after row " + rows + ": " + why);
  }
}
