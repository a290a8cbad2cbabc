package dev.lifeboat.activities.testing;

import static org.awaitility.Awaitility.await;

import dev.lifeboat.activities.local.OsUser;
import dev.lifeboat.activities.local.Ports;
import dev.lifeboat.activities.local.ProcessRunner;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A PgBouncer started the way an operator runs one (Debian's {@code /usr/sbin/pgbouncer}, as the
 * PostgreSQL OS user, md5 logins from an auth_file, {@code admin_users}, transaction pooling, its
 * [databases] section including {@code databases.ini}), for tests of a pooler Lifeboat does not run.
 * Closing it stops it.
 */
public final class ExistingPgBouncer implements AutoCloseable {
  public static final String ADMIN_USER = "pbadmin";

  private final Path dir;
  private final int port;

  private ExistingPgBouncer(Path dir, int port) {
    this.dir = dir;
    this.port = port;
  }

  /**
   * Starts one in {@code dir} (created, owned by the PostgreSQL OS user) with {@code databases} as
   * its databases file (mode 640, owned by that user, as an operator would leave it).
   *
   * @param passwords md5 logins: {@link #ADMIN_USER} is the admin user
   */
  public static ExistingPgBouncer start(Path dir, String databases, Map<String, String> passwords)
      throws IOException {
    OsUser osUser = OsUser.detect(null);
    osUser.createOwnedDirectory(dir, "755");
    int port = Ports.pickFree();
    ExistingPgBouncer bouncer = new ExistingPgBouncer(dir, port);
    Path databasesFile = bouncer.databasesFile();
    Files.writeString(databasesFile, databases, StandardCharsets.UTF_8);
    Files.setPosixFilePermissions(databasesFile, PosixFilePermissions.fromString("rw-r-----"));
    osUser.own(databasesFile);
    Path users = dir.resolve("userlist.txt");
    StringBuilder userlist = new StringBuilder();
    passwords.forEach((user, password) -> userlist.append('"').append(user).append("\" \"").append(password)
        .append("\"\n"));
    Files.writeString(users, userlist.toString());
    osUser.own(users);
    Path ini = dir.resolve("pgbouncer.ini");
    Files.writeString(ini, """
        [databases]
        %%include %s

        [pgbouncer]
        listen_addr = 127.0.0.1
        listen_port = %d
        unix_socket_dir =
        auth_type = md5
        auth_file = %s
        admin_users = %s
        pool_mode = transaction
        server_login_retry = 1
        logfile = %s
        pidfile = %s
        """.formatted(databasesFile, port, users, ADMIN_USER, dir.resolve("pgbouncer.log"), pidFile(dir)));
    osUser.own(ini);
    ProcessRunner.check(new ProcessRunner(osUser).runAsPg(List.of("/usr/sbin/pgbouncer", "-d", ini.toString()),
        Duration.ofSeconds(30)));
    await().atMost(Duration.ofSeconds(15)).until(() -> Ports.isListening(port));
    return bouncer;
  }

  public int port() {
    return port;
  }

  public Path databasesFile() {
    return dir.resolve("databases.ini");
  }

  public Path directory() {
    return dir;
  }

  private static Path pidFile(Path dir) {
    return dir.resolve("pgbouncer.pid");
  }

  @Override
  public void close() throws IOException {
    Path pid = pidFile(dir);
    if (Files.exists(pid)) {
      ProcessHandle.of(Long.parseLong(Files.readString(pid).trim())).ifPresent(p -> {
        p.destroy();
        p.onExit().join();
      });
    }
  }
}
