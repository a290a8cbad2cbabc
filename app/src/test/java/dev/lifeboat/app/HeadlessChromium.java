package dev.lifeboat.app;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Chromium from Debian's packages ({@code /usr/bin/chromium}), headless, loading a page as a person's
 * browser would. A missing browser fails the test with how to install it: the report test never
 * skips ({@code .ci/run} installs the package).
 */
final class HeadlessChromium {
  static final Path BINARY = Path.of(System.getProperty("lifeboat.chromium", "/usr/bin/chromium"));
  private static final long TIMEOUT_SECONDS = 60;

  private HeadlessChromium() {}

  static void requireInstalled() {
    if (!Files.isExecutable(BINARY)) {
      fail("Chromium is not installed at " + BINARY + ": the drill report is rendered in a real headless browser."
          + " Install Debian's package (apt-get install -y chromium; .ci/run does) or point -Dlifeboat.chromium at a"
          + " Chromium binary. This test does not skip.");
    }
  }

  /** The DOM after the page loaded ({@code --dump-dom}). */
  static String dumpDom(String url) throws IOException, InterruptedException {
    return new String(run(url, "--dump-dom"), StandardCharsets.UTF_8);
  }

  /** A PNG of the page as rendered. */
  static void screenshot(String url, Path png) throws IOException, InterruptedException {
    Files.createDirectories(png.getParent());
    Files.deleteIfExists(png);
    run(url, "--screenshot=" + png.toAbsolutePath(), "--window-size=1200,3600", "--hide-scrollbars");
  }

  private static byte[] run(String url, String... mode) throws IOException, InterruptedException {
    requireInstalled();
    Path profile = Files.createTempDirectory("lifeboat-chromium-");
    Path stdout = Files.createTempFile("lifeboat-chromium-", ".out");
    Path stderr = Files.createTempFile("lifeboat-chromium-", ".log");
    List<String> command = new ArrayList<>(List.of(BINARY.toString(), "--headless", "--no-sandbox", "--disable-gpu",
        "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--user-data-dir=" + profile));
    command.addAll(List.of(mode));
    command.add(url);
    // output to files, so a browser that hangs cannot block the test past its timeout
    Process process = new ProcessBuilder(command).redirectOutput(stdout.toFile()).redirectError(stderr.toFile())
        .start();
    try {
      process.getOutputStream().close();
      if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        fail("Chromium did not finish within " + TIMEOUT_SECONDS + " s loading " + url);
      }
      if (process.exitValue() != 0) {
        fail("Chromium exited with " + process.exitValue() + " loading " + url + ": " + tail(stderr));
      }
      return Files.readAllBytes(stdout);
    } finally {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
      deleteTree(profile);
      Files.deleteIfExists(stdout);
      Files.deleteIfExists(stderr);
    }
  }

  private static String tail(Path log) throws IOException {
    List<String> lines = Files.readAllLines(log);
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
