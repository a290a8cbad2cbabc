package dev.lifeboat.activities.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeboat.activities.local.Ports;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

class TestPostgresTest {
  @Test
  void start_givesAWorkingServer_andCloseRemovesIt() throws Exception {
    Path data;
    int port;
    try (TestPostgres pg = TestPostgres.start("fixture")) {
      port = pg.port();
      data = pg.cluster().dataDir();
      try (Connection c = pg.dataSource().getConnection(); Statement st = c.createStatement();
          ResultSet rs = st.executeQuery("select current_setting('server_version_num')::int")) {
        rs.next();
        assertThat(rs.getInt(1)).isBetween(150000, 159999);
      }
      assertThat(pg.jdbcUrl()).isEqualTo("jdbc:postgresql://127.0.0.1:" + port + "/postgres");
    }
    assertThat(Files.exists(data)).isFalse();
    assertThat(Ports.isListening(port)).isFalse();
  }

  @Test
  void start_twice_givesTwoIndependentServers() throws Exception {
    try (TestPostgres a = TestPostgres.start("a"); TestPostgres b = TestPostgres.start("b")) {
      assertThat(a.port()).isNotEqualTo(b.port());
      try (Connection c = a.dataSource().getConnection(); Statement st = c.createStatement()) {
        st.execute("create table only_in_a (x int)");
      }
      try (Connection c = b.dataSource().getConnection(); Statement st = c.createStatement();
          ResultSet rs = st.executeQuery("select to_regclass('only_in_a') is null")) {
        rs.next();
        assertThat(rs.getBoolean(1)).isTrue();
      }
    }
  }
}
