package dev.lifeboat.activities.tables;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Merges two streams of (key, row hash) sorted by the same order, as a merge join does, and
 * counts what differs: keys only on the export side, keys on both sides with another hash, keys
 * only on the current side, with the first few keys of each kind. Memory is the samples, however
 * long the streams.
 *
 * <p>Keyed streams have unique keys; a multiset of whole-row hashes (tables without a primary
 * key) is merged with the hash as the key, duplicates allowed: {@code n} equal rows on one side
 * and {@code m} on the other leave {@code |n - m|} unmatched.
 */
final class SortedMerge {
  /** One side: a cursor over rows in the merge order. */
  interface Side {
    /** Moves to the next row; false at the end. */
    boolean next() throws SQLException;

    /** The current row's key: a fresh array per row. */
    Object[] key() throws SQLException;

    String hash() throws SQLException;
  }

  /** Called every so many rows read from the export side. */
  @FunctionalInterface
  interface Tick {
    void exportRowsRead(long rows);
  }

  record Result(long exportRows, long currentRows, long onlyInExport, long changed, long onlyNow,
      List<Object[]> sampleOnlyInExport, List<Object[]> sampleChanged, List<Object[]> sampleOnlyNow) {}

  private final Comparator<Object[]> order;
  private final boolean uniqueKeys;
  private final int sampleLimit;
  private final long tickEvery;

  SortedMerge(Comparator<Object[]> order, boolean uniqueKeys, int sampleLimit, long tickEvery) {
    this.order = order;
    this.uniqueKeys = uniqueKeys;
    this.sampleLimit = Math.max(0, sampleLimit);
    this.tickEvery = Math.max(1, tickEvery);
  }

  Result run(Side export, Side current, Tick tick) throws SQLException {
    Cursor e = new Cursor(export, "export");
    Cursor c = new Cursor(current, "current");
    long onlyInExport = 0;
    long changed = 0;
    long onlyNow = 0;
    List<Object[]> sInExport = new ArrayList<>();
    List<Object[]> sChanged = new ArrayList<>();
    List<Object[]> sNow = new ArrayList<>();
    e.advance();
    c.advance();
    while (e.key != null || c.key != null) {
      int cmp = e.key == null ? 1 : c.key == null ? -1 : order.compare(e.key, c.key);
      if (cmp < 0) {
        onlyInExport++;
        sample(sInExport, e.key);
        e.advance();
      } else if (cmp > 0) {
        onlyNow++;
        sample(sNow, c.key);
        c.advance();
      } else {
        if (!e.hash.equals(c.hash)) {
          changed++;
          sample(sChanged, e.key);
        }
        e.advance();
        c.advance();
      }
      if (e.rows % tickEvery == 0 && e.key != null && cmp <= 0) {
        tick.exportRowsRead(e.rows);
      }
    }
    return new Result(e.rows, c.rows, onlyInExport, changed, onlyNow, sInExport, sChanged, sNow);
  }

  private void sample(List<Object[]> samples, Object[] key) {
    if (samples.size() < sampleLimit) {
      samples.add(key);
    }
  }

  /** A side with its current row, checking that rows arrive in order. */
  private final class Cursor {
    private final Side side;
    private final String name;
    Object[] key;
    String hash;
    long rows;

    Cursor(Side side, String name) {
      this.side = side;
      this.name = name;
    }

    void advance() throws SQLException {
      if (!side.next()) {
        key = null;
        hash = null;
        return;
      }
      Object[] next = side.key();
      if (key != null) {
        int c = order.compare(key, next);
        if (c > 0 || c == 0 && uniqueKeys) {
          throw new IllegalStateException("rows of the " + name + " side arrive out of order (row " + (rows + 1)
              + "): the comparison's order does not match the database's");
        }
      }
      key = next;
      hash = side.hash();
      rows++;
    }
  }
}
