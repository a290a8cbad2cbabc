package dev.lifeboat.activities.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class OsUserTest {
  private final OsUser user = OsUser.detect(OsUser.DEFAULT);

  @Test
  void checkTraversable_belowA0700Directory_failsWithAClearMessage() {
    assumeTrue(user.switching(), "only root hands servers to another user");
    Path locked = FileTrees.createDirectories(
        Path.of("target", "os-user-test-" + UUID.randomUUID().toString().substring(0, 8)), "700");
    try {
      Path dataRoot = FileTrees.createDirectories(locked.resolve("platform"), "755");

      assertThatThrownBy(() -> user.checkTraversable(dataRoot))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("cannot traverse")
          .hasMessageContaining(locked.toAbsolutePath().toString())
          .hasMessageContaining("0755");
    } finally {
      FileTrees.deleteRecursively(locked);
    }
  }

  @Test
  void createOwnedDirectory_givesTheDirectoryToTheServerUser() throws Exception {
    Path dir = Path.of("target", "os-user-test-" + UUID.randomUUID().toString().substring(0, 8));
    try {
      user.createOwnedDirectory(dir.resolve("data"), "700");

      assertThat(Files.getOwner(dir.resolve("data")).getName()).isEqualTo(user.name());
      assertThat(Files.getPosixFilePermissions(dir.resolve("data"))).isEqualTo(OsUser.permissions("700"));
      assertThat(Files.getPosixFilePermissions(dir)).isEqualTo(OsUser.permissions("755"));
    } finally {
      FileTrees.deleteRecursively(dir);
    }
  }
}
