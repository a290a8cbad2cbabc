package dev.lifeboat.activities.tables;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;

class SortedMergeTest {
  private static final KeyOrder BY_ID = new KeyOrder(List.of(KeyOrder.Kind.INTEGER));
  private static final KeyOrder BY_HASH = new KeyOrder(List.of(KeyOrder.Kind.TEXT));

  record Row(Object key, String hash) {}

  static SortedMerge.Side side(Row... rows) {
    Iterator<Row> it = List.of(rows).iterator();
    return new SortedMerge.Side() {
      Row current;

      @Override
      public boolean next() {
        current = it.hasNext() ? it.next() : null;
        return current != null;
      }

      @Override
      public Object[] key() {
        return new Object[] {current.key()};
      }

      @Override
      public String hash() {
        return current.hash();
      }
    };
  }

  @Test
  void keyed_countsMissingChangedAndNewRows_withSamplesInKeyOrder() throws Exception {
    SortedMerge merge = new SortedMerge(BY_ID, true, 2, 1000);

    SortedMerge.Result r = merge.run(
        side(new Row(1L, "a"), new Row(2L, "b"), new Row(3L, "c"), new Row(4L, "d"), new Row(5L, "e"), new Row(7L, "g")),
        side(new Row(1L, "a"), new Row(3L, "C"), new Row(5L, "E"), new Row(6L, "f"), new Row(7L, "G"), new Row(8L, "h"),
            new Row(9L, "i")),
        rows -> { });

    assertThat(r.exportRows()).isEqualTo(6);
    assertThat(r.currentRows()).isEqualTo(7);
    assertThat(r.onlyInExport()).isEqualTo(2);
    assertThat(r.changed()).isEqualTo(3);
    assertThat(r.onlyNow()).isEqualTo(3);
    assertThat(r.sampleOnlyInExport()).extracting(k -> k[0]).containsExactly(2L, 4L);
    assertThat(r.sampleChanged()).extracting(k -> k[0]).containsExactly(3L, 5L);
    assertThat(r.sampleOnlyNow()).extracting(k -> k[0]).containsExactly(6L, 8L);
  }

  @Test
  void keyed_withAnEmptySide_countsEverythingOnTheOther() throws Exception {
    SortedMerge merge = new SortedMerge(BY_ID, true, 10, 1000);

    SortedMerge.Result r = merge.run(side(new Row(1L, "a"), new Row(2L, "b")), side(), rows -> { });

    assertThat(r.onlyInExport()).isEqualTo(2);
    assertThat(r.changed()).isZero();
    assertThat(r.onlyNow()).isZero();
  }

  @Test
  void multiset_matchesEqualHashesOneForOne() throws Exception {
    SortedMerge merge = new SortedMerge(BY_HASH, false, 10, 1000);

    SortedMerge.Result r = merge.run(
        side(new Row("a", "a"), new Row("a", "a"), new Row("a", "a"), new Row("b", "b"), new Row("d", "d")),
        side(new Row("a", "a"), new Row("b", "b"), new Row("b", "b"), new Row("c", "c")),
        rows -> { });

    assertThat(r.onlyInExport()).isEqualTo(3); // two of the three a, and d
    assertThat(r.onlyNow()).isEqualTo(2); // the second b, and c
    assertThat(r.changed()).isZero();
    assertThat(r.sampleOnlyInExport()).extracting(k -> k[0]).containsExactly("a", "a", "d");
  }

  @Test
  void rowsOutOfOrder_areRefused_ratherThanMiscounted() {
    SortedMerge merge = new SortedMerge(BY_ID, true, 10, 1000);

    assertThatThrownBy(() -> merge.run(side(new Row(2L, "b"), new Row(1L, "a")), side(), rows -> { }))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("out of order");
    assertThatThrownBy(() -> merge.run(side(new Row(1L, "b"), new Row(1L, "a")), side(), rows -> { }))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("out of order");
  }

  @Test
  void tick_reportsExportRowsRead() throws Exception {
    List<Long> ticks = new ArrayList<>();
    Row[] rows = new Row[10];
    for (int i = 0; i < rows.length; i++) {
      rows[i] = new Row((long) i, "x");
    }
    new SortedMerge(BY_ID, true, 0, 3).run(side(rows), side(rows), ticks::add);

    assertThat(ticks).containsExactly(3L, 6L, 9L);
  }
}
