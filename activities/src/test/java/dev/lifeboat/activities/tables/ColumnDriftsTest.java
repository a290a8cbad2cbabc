package dev.lifeboat.activities.tables;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeboat.common.model.ColumnDrift;
import dev.lifeboat.common.model.ColumnInfo;
import java.util.List;
import org.junit.jupiter.api.Test;

class ColumnDriftsTest {
  private static final List<ColumnInfo> EXPORTED = List.of(new ColumnInfo("id", "bigint", true),
      new ColumnInfo("amount", "numeric(12,2)", true), new ColumnInfo("note", "text", false),
      new ColumnInfo("legacy", "text", false));

  @Test
  void sameColumns_areNoDrift() {
    assertThat(ColumnDrifts.between(EXPORTED, EXPORTED)).isEqualTo(ColumnDrift.NONE);
    assertThat(ColumnDrifts.matching(EXPORTED, EXPORTED)).containsExactly("id", "amount", "note", "legacy");
  }

  @Test
  void dropped_added_andRetypedColumns_areReported_andOnlyTheSameAreMatched() {
    List<ColumnInfo> now = List.of(new ColumnInfo("id", "bigint", true), new ColumnInfo("note", "character varying(200)", false),
        new ColumnInfo("amount", "numeric(12,2)", false), new ColumnInfo("currency", "text", true));

    ColumnDrift drift = ColumnDrifts.between(EXPORTED, now);

    assertThat(drift.onlyInExport()).containsExactly("legacy");
    assertThat(drift.onlyNow()).containsExactly("currency");
    assertThat(drift.typeChanged()).containsExactly("note: text -> character varying(200)");
    assertThat(ColumnDrifts.matching(EXPORTED, now)).containsExactly("id", "amount");
  }
}
