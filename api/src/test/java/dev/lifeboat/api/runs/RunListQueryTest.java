package dev.lifeboat.api.runs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lifeboat.catalog.PageLimits;
import dev.lifeboat.common.LifeboatException;
import dev.lifeboat.common.model.RunKind;
import dev.lifeboat.common.model.RunPhase;
import java.util.List;
import org.junit.jupiter.api.Test;

class RunListQueryTest {

  @Test
  void parse_readsWireNames() {
    RunListQuery query = RunListQuery.parse("table-recovery", "waiting-approval", "techcorp-primary", "10", "abc");

    assertThat(query.filter().kind()).isEqualTo(RunKind.TABLE_RECOVERY);
    assertThat(query.filter().phase()).isEqualTo(RunPhase.WAITING_APPROVAL);
    assertThat(query.filter().instance()).isEqualTo("techcorp-primary");
    assertThat(query.limit()).isEqualTo(10);
    assertThat(query.cursor()).isEqualTo("abc");
  }

  @Test
  void parse_withNothing_listsAllWithTheDefaultPage() {
    RunListQuery query = RunListQuery.parse(null, "", null, null, null);

    assertThat(query.filter().kind()).isNull();
    assertThat(query.filter().phase()).isNull();
    assertThat(query.limit()).isEqualTo(PageLimits.DEFAULT);
  }

  @Test
  void parse_whenKindUnknown_listsTheAllowedValues() {
    assertThatThrownBy(() -> RunListQuery.parse("RESTORE", null, null, null, null))
        .isInstanceOfSatisfying(LifeboatException.class, e ->
            assertThat(e.details()).containsEntry("field", "kind")
                .containsEntry("allowed", List.of("restore", "table-recovery", "snapshot", "copy", "retention",
                    "drill", "failover", "rebuild", "reaper")));
  }
}
