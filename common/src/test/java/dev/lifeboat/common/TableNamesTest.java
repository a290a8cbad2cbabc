package dev.lifeboat.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lifeboat.common.model.TableRef;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TableNamesTest {
  @Test
  void parse_foldsUnquotedPartsToLowerCase() {
    assertThat(TableNames.parse("Payments.Refunds")).isEqualTo(new TableRef("payments", "refunds"));
    assertThat(TableNames.parse("  orders.order_items$2 ")).isEqualTo(new TableRef("orders", "order_items$2"));
  }

  @Test
  void parse_takesQuotedPartsAsTheyAre_withDoubledQuotes() {
    assertThat(TableNames.parse("\"Sales\".\"Q1 \"\"totals\"\"\""))
        .isEqualTo(new TableRef("Sales", "Q1 \"totals\""));
    assertThat(TableNames.parse("\"a.b\".c")).isEqualTo(new TableRef("a.b", "c"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"payments.refunds; drop table x", "refunds", "a.b.c", "payments.", ".refunds",
      "\"open.refunds", "\"\".refunds", "payments.\"x\"y", "1abc.refunds", "pay ments.refunds", ""})
  void parse_refusesAnythingElse_withTheExpectedForm(String text) {
    assertThatThrownBy(() -> TableNames.parse(text))
        .isInstanceOfSatisfying(LifeboatException.class, e -> {
          assertThat(e.type()).isEqualTo(ErrorType.INVALID_TABLE_NAME);
          assertThat(e.getMessage()).contains("schema.table");
        });
  }

  @Test
  void parse_refusesIdentifiersLongerThanPostgresKeeps() {
    assertThatThrownBy(() -> TableNames.parse("payments." + "r".repeat(64)))
        .hasMessageContaining("63 bytes");
    assertThat(TableNames.parse("payments." + "r".repeat(63)).name()).hasSize(63);
  }

  @Test
  void display_quotesOnlyWhatNeedsIt_andParsesBack() {
    TableRef plain = new TableRef("payments", "refunds");
    TableRef odd = new TableRef("Sales", "Q1 \"totals\"");
    assertThat(plain.display()).isEqualTo("payments.refunds");
    assertThat(odd.display()).isEqualTo("\"Sales\".\"Q1 \"\"totals\"\"\"");
    assertThat(TableNames.parse(odd.display())).isEqualTo(odd);
  }
}
