package dev.lifeboat.activities.tables;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lifeboat.common.ErrorType;
import dev.lifeboat.common.LifeboatException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ImportNamesTest {
  @Test
  void shortNames_getTheSuffixAppended() {
    assertThat(ImportNames.restored("refunds", "202611241031")).isEqualTo("refunds_restored_202611241031");
    assertThat(ImportNames.backup("refunds", "202611241031")).isEqualTo("refunds_backup_202611241031");
  }

  @Test
  void longNames_areCutWithAHash_keepingTheSuffix_within63Bytes() {
    String long1 = "a".repeat(50) + "_first";
    String long2 = "a".repeat(50) + "_second";

    String n1 = ImportNames.restored(long1, "202611241031");
    String n2 = ImportNames.restored(long2, "202611241031");

    assertThat(n1.getBytes(StandardCharsets.UTF_8)).hasSize(63);
    assertThat(n1).endsWith("_restored_202611241031").startsWith("a".repeat(34)).matches("a{34}_[0-9a-f]{6}_restored_202611241031");
    assertThat(n2).isNotEqualTo(n1);
  }

  @Test
  void multiByteNames_areCutOnACharacterBoundary() {
    String name = "ü".repeat(40); // 80 bytes

    String n = ImportNames.backup(name, "202611241031");

    assertThat(n.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(63);
    assertThat(n).startsWith("ü".repeat(18) + "_").endsWith("_backup_202611241031");
    assertThat(ImportNames.cut("aü", 2)).isEqualTo("a");
    assertThat(ImportNames.cut("a😀b", 4)).isEqualTo("a");
    assertThat(ImportNames.cut("a😀b", 5)).isEqualTo("a😀");
  }

  @Test
  void badSuffix_isRefused() {
    assertThatThrownBy(() -> ImportNames.restored("t", "2026; drop"))
        .isInstanceOfSatisfying(LifeboatException.class, e -> assertThat(e.type()).isEqualTo(ErrorType.INVALID_REQUEST));
    assertThatThrownBy(() -> ImportNames.restored("t", ""))
        .isInstanceOf(LifeboatException.class);
  }
}
