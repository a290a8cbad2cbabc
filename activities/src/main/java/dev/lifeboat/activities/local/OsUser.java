package dev.lifeboat.activities.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The operating-system user PostgreSQL runs as. PostgreSQL refuses to run as root, so when this
 * JVM is root (CI, containers) every server command goes through {@code runuser -u <user> --} and
 * every directory the server writes is handed to that user. As any other user, commands run as
 * that same user and ownership is left alone.
 */
public final class OsUser {
  public static final String DEFAULT = "postgres";

  private final String name;
  private final boolean switching;

  private OsUser(String name, boolean switching) {
    this.name = name;
    this.switching = switching;
  }

  /** @param configured the unprivileged user to switch to when running as root */
  public static OsUser detect(String configured) {
    String user = configured == null || configured.isBlank() ? DEFAULT : configured;
    return new OsUser(user, runningAsRoot());
  }

  /** True when commands are run through {@code runuser} as {@link #name()}. */
  public boolean switching() {
    return switching;
  }

  /** The user PostgreSQL processes run as. */
  public String name() {
    return switching ? name : System.getProperty("user.name");
  }

  /** Prefix that makes a command run as the PostgreSQL user. */
  List<String> commandPrefix() {
    return switching ? List.of("/usr/sbin/runuser", "-u", name, "--") : List.of();
  }

  /**
   * Creates a directory the server may write into, with the given mode; missing parents are
   * created 0755 and stay with this process's user.
   */
  public Path createOwnedDirectory(Path dir, String mode) {
    FileTrees.createDirectories(dir, "755");
    try {
      Files.setPosixFilePermissions(dir, permissions(mode));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot set mode of " + dir, e);
    }
    own(dir);
    return dir;
  }

  /** Hands a file or directory to the PostgreSQL user (no-op unless switching). */
  public void own(Path path) {
    if (!switching) {
      return;
    }
    try {
      UserPrincipal owner = path.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(name);
      Files.setOwner(path, owner);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot give " + path + " to OS user " + name
          + " (does the user exist? PostgreSQL cannot run as root)", e);
    }
  }

  /**
   * Fails with a clear message when the PostgreSQL user cannot reach {@code dir}: a data root
   * below a 0700 directory (JUnit's @TempDir, /root) would otherwise fail deep inside initdb.
   */
  public void checkTraversable(Path dir) {
    if (!switching) {
      return;
    }
    Path abs = dir.toAbsolutePath().normalize();
    List<Path> blocked = new ArrayList<>();
    for (Path p = abs; p != null; p = p.getParent()) {
      if (Files.exists(p) && !traversableByOthers(p)) {
        blocked.add(p);
      }
    }
    if (blocked.isEmpty()) {
      return;
    }
    // The mode bits may still allow access through owner or group; ask the OS as that user.
    ProcessRunner.Result probe = new ProcessRunner(this).run(
        List.of("/usr/sbin/runuser", "-u", name, "--", "test", "-x", abs.toString()), Duration.ofSeconds(10));
    if (!probe.ok()) {
      throw new IllegalStateException("OS user " + name + " cannot traverse " + abs + ": " + blocked
          + " not searchable by it. PostgreSQL runs as " + name + " because this process is root; use a data root"
          + " whose every parent directory has mode 0755 (not a JUnit @TempDir or /root)");
    }
  }

  private static boolean traversableByOthers(Path p) {
    try {
      return Files.getPosixFilePermissions(p).contains(PosixFilePermission.OTHERS_EXECUTE);
    } catch (IOException e) {
      return false;
    }
  }

  static Set<PosixFilePermission> permissions(String mode) {
    int bits = Integer.parseInt(mode, 8);
    Set<PosixFilePermission> perms = EnumSet.noneOf(PosixFilePermission.class);
    PosixFilePermission[] order = {
      PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
      PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
      PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ
    };
    for (int i = 0; i < order.length; i++) {
      if ((bits & (1 << i)) != 0) {
        perms.add(order[i]);
      }
    }
    return perms;
  }

  private static boolean runningAsRoot() {
    try {
      return new com.sun.security.auth.module.UnixSystem().getUid() == 0;
    } catch (LinkageError | RuntimeException e) {
      return "root".equals(System.getProperty("user.name"));
    }
  }

  @Override
  public String toString() {
    return name() + (switching ? " (via runuser)" : "");
  }
}
