package dev.lifeboat.app.client;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProgressBarTest {
  @Test
  void render_showsStepBarPercentBytesAndDetail() {
    assertThat(ProgressBar.render(status("running", "restore", 45, 1_288_490_189L, "replaying WAL"), 0))
        .isEqualTo("restore   [##########--------------]  45%  1.2 GiB  replaying WAL");
  }

  @Test
  void bar_fillsInProportion_andClamps() {
    assertThat(ProgressBar.bar(0)).isEqualTo("-".repeat(24));
    assertThat(ProgressBar.bar(50)).isEqualTo("#".repeat(12) + "-".repeat(12));
    assertThat(ProgressBar.bar(100)).isEqualTo("#".repeat(24));
    assertThat(ProgressBar.bar(140)).isEqualTo("#".repeat(24));
    assertThat(ProgressBar.bar(-3)).isEqualTo("-".repeat(24));
    assertThat(ProgressBar.bar(null)).isEqualTo("-".repeat(24));
  }

  @Test
  void render_withoutStepOrPercentOrBytes_showsThePhaseAndAnEmptyBar() {
    assertThat(ProgressBar.render(status("pending", null, null, null, null), 0))
        .isEqualTo("pending   [------------------------]");
    assertThat(ProgressBar.render(status("running", "restore", 5, 0L, " "), 0))
        .isEqualTo("restore   [#-----------------------]   5%");
  }

  @Test
  void render_longStepName_keepsASpace() {
    assertThat(ProgressBar.render(status("running", "waiting-for-something", 10, null, null), 0))
        .startsWith("waiting-for-something [##");
  }

  @Test
  void render_putsAMultiLineDetailOnOneLine() {
    assertThat(ProgressBar.render(status("running", "verify", 90, null, "checking\n  orders\tpayments"), 0))
        .endsWith("  checking orders payments");
  }

  @Test
  void render_staysShorterThanTheWidth_soATerminalNeverWrapsIt() {
    String line = ProgressBar.render(status("running", "restore", 45, null, "x".repeat(200)), 60);

    assertThat(line).hasSize(59).endsWith("...").startsWith("restore   [##########");
    assertThat(ProgressBar.render(status("running", "restore", 45, null, "short"), 60)).doesNotEndWith("...");
  }

  @Test
  void units_bytesAndDurations() {
    assertThat(Units.bytes(0)).isEqualTo("0 B");
    assertThat(Units.bytes(1023)).isEqualTo("1023 B");
    assertThat(Units.bytes(1536)).isEqualTo("1.5 KiB");
    assertThat(Units.bytes(700L << 20)).isEqualTo("700 MiB");
    assertThat(Units.bytes(5L << 40)).isEqualTo("5.0 TiB");
    assertThat(Units.duration(850)).isEqualTo("850ms");
    assertThat(Units.duration(12_340)).isEqualTo("12.3s");
    assertThat(Units.duration(245_000)).isEqualTo("4m05s");
    assertThat(Units.duration(3_720_000)).isEqualTo("1h02m");
    assertThat(Units.duration(2 * 86_400_000L + 3_600_000)).isEqualTo("2d01h");
  }

  private static RunStatus status(String phase, String step, Integer percent, Long bytes, String detail) {
    return new RunStatus("r", "restore", phase, step, percent, bytes, detail, null, null, null, null, null);
  }
}
