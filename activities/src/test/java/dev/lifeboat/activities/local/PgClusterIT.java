package dev.lifeboat.activities.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lifeboat.activities.testing.TestPostgres;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PgClusterIT {
  @Test
  void start_whenItsPortWasTaken_movesToAnotherPort() throws Exception {
    try (TestPostgres pg = TestPostgres.start("port-taken")) {
      PgCluster cluster = pg.cluster();
      cluster.stop(PgCluster.StopMode.FAST);
      assertThat(cluster.isRunning()).isFalse();

      try (ServerSocket squatter = new ServerSocket()) {
        squatter.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), pg.port()));

        int port = cluster.start(Duration.ofSeconds(60));

        assertThat(port).isNotEqualTo(pg.port());
        assertThat(cluster.port()).isEqualTo(port);
        assertThat(cluster.isRunning()).isTrue();
        assertThat(Ports.isListening(port)).isTrue();
      }
    }
  }

  @Test
  void start_afterTheServerWasKilled_recoversDespiteTheStalePidFile() throws Exception {
    try (TestPostgres pg = TestPostgres.start("killed")) {
      PgCluster cluster = pg.cluster();
      long pid = PidFile.read(cluster.dataDir()).orElseThrow().pid();
      ProcessHandle postmaster = ProcessHandle.of(pid).orElseThrow();
      postmaster.destroyForcibly();
      postmaster.onExit().get();
      assertThat(cluster.isRunning()).isFalse();
      assertThat(PidFile.read(cluster.dataDir())).isPresent();

      cluster.start(Duration.ofSeconds(60));

      assertThat(cluster.isRunning()).isTrue();
      assertThat(PidFile.read(cluster.dataDir()).orElseThrow().pid()).isNotEqualTo(pid);
    }
  }

  @Test
  void start_withABrokenSetting_failsFast_withTheServerLogLine() {
    try (TestPostgres pg = TestPostgres.start("broken")) {
      PgCluster cluster = pg.cluster();
      cluster.stop(PgCluster.StopMode.IMMEDIATE);
      cluster.configure(Map.of("shared_buffers", "not-a-size"));

      assertThatThrownBy(() -> cluster.start(Duration.ofSeconds(60)))
          .isInstanceOf(PgCluster.StartFailedException.class)
          .hasMessageContaining("shared_buffers");
      assertThat(cluster.isRunning()).isFalse();
    }
  }
}
