package dev.lifeboat.activities.tables;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeboat.common.model.ImportMode;
import dev.lifeboat.common.model.TableRef;
import org.junit.jupiter.api.Test;

class ImportMarkerTest {
  @Test
  void text_parsesBack_forItsOwnRunOnly() {
    String text = ImportMarker.text("tables-1", ImportMode.REPLACE, new TableRef("Pay; ments", "rows loaded 1, written 2."),
        "tables-1/tables/x.pgcopy", 1000, 990);

    assertThat(text).startsWith("lifeboat run tables-1: ");
    assertThat(ImportMarker.parse(text, "tables-1")).contains(new ImportMarker.Counts(1000, 990));
    assertThat(ImportMarker.parse(text, "tables-2")).isEmpty();
    assertThat(ImportMarker.parse(text, "tables")).isEmpty();
    assertThat(ImportMarker.parse("a comment someone wrote", "tables-1")).isEmpty();
    assertThat(ImportMarker.parse(null, "tables-1")).isEmpty();
  }
}
