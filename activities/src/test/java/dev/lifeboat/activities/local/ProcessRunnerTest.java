package dev.lifeboat.activities.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProcessRunnerTest {
  private final ProcessRunner runner = new ProcessRunner(OsUser.detect(OsUser.DEFAULT));

  @Test
  void run_capturesOutputAndExitCode() {
    ProcessRunner.Result r = runner.run(List.of("/bin/sh", "-c", "echo out; echo err >&2; exit 3"), Duration.ofSeconds(10));

    assertThat(r.exitCode()).isEqualTo(3);
    assertThat(r.output()).contains("out").contains("err");
    assertThat(r.ok()).isFalse();
  }

  @Test
  void run_killsACommandThatTimesOut() {
    long start = System.nanoTime();
    ProcessRunner.Result r = runner.run(List.of("/bin/sleep", "30"), Duration.ofMillis(300));

    assertThat(r.timedOut()).isTrue();
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
  }

  @Test
  void commandName_hidesRunuserEnvAndArguments() {
    assertThat(ProcessRunner.commandName(List.of("/usr/sbin/runuser", "-u", "postgres", "--", "/usr/bin/env", "TZ=UTC",
        "/usr/lib/postgresql/15/bin/pg_waldump", "-r", "Transaction"))).isEqualTo("pg_waldump");
  }
}
