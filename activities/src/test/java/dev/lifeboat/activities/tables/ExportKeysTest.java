package dev.lifeboat.activities.tables;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lifeboat.common.model.TableRef;
import org.junit.jupiter.api.Test;

class ExportKeysTest {
  @Test
  void keys_encodeEveryCharacterAFileSystemCouldMisread() {
    assertThat(ExportKeys.object("tables-1", new TableRef("payments", "refunds")))
        .isEqualTo("tables-1/tables/payments.refunds.pgcopy");
    assertThat(ExportKeys.tableManifest("tables-1", new TableRef("Sales", "Q1 totals/../x.y")))
        .isEqualTo("tables-1/tables/Sales.Q1%20totals%2F%2E%2E%2Fx%2Ey.json");
    assertThat(ExportKeys.object("r", new TableRef("a.b", "c"))).isNotEqualTo(ExportKeys.object("r", new TableRef("a", "b.c")));
    assertThat(ExportKeys.manifest("tables-1")).isEqualTo("tables-1/manifest.json");
  }

  @Test
  void runIds_mustBeOnePathSegment() {
    assertThatThrownBy(() -> ExportKeys.manifest("../etc")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ExportKeys.manifest("a/b")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ExportKeys.manifest("")).isInstanceOf(IllegalArgumentException.class);
  }
}
