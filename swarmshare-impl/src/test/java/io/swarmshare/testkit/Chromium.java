package io.swarmshare.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * A real headless browser (Debian's {@code chromium}) started by a test for one page, with a
 * deadline, and stopped with everything it started. Where it is not installed the test is
 * skipped with one line saying how to install it, unless {@code SWARMSHARE_REQUIRE_CHROMIUM=1}
 * (set by {@code .ci/run}, which installs it) turns the skip into a failure.
 */
public final class Chromium {
  private static final List<Path> CANDIDATES = List.of(Path.of("/usr/bin/chromium"),
      Path.of("/usr/bin/chromium-browser"), Path.of("/usr/local/bin/chromium"));
  private static final long TIMEOUT_SECONDS = 90;

  private final Path binary;
  private final Path profile;

  private Chromium(Path binary, Path profile) {
    this.binary = binary;
    this.profile = profile;
  }

  /** The installed browser, with a fresh profile under {@code dir}, or skips the calling test. */
  public static Chromium find(Path dir) throws IOException {
    List<Path> candidates = new ArrayList<>(CANDIDATES);
    for (String entry : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
      if (!entry.isEmpty()) {
        candidates.add(Path.of(entry, "chromium"));
      }
    }
    Path binary = candidates.stream().filter(Files::isExecutable).findFirst().orElse(null);
    if (binary == null) {
      String why = "chromium is not installed; install it (apt-get install chromium) to run the browser tests";
      if ("1".equals(System.getenv("SWARMSHARE_REQUIRE_CHROMIUM"))) {
        Assertions.fail(why + " (SWARMSHARE_REQUIRE_CHROMIUM=1 makes this a failure)");
      }
      Assumptions.abort(why);
    }
    return new Chromium(binary, Files.createDirectories(dir.resolve("chromium-profile")));
  }

  /** Loads {@code url}, runs its scripts, and returns the DOM as the page left it. */
  public String dumpDom(String url) throws IOException, InterruptedException {
    return run(List.of("--dump-dom", url));
  }

  /** Loads {@code url} in a window of {@code width} by {@code height} and writes a PNG of it to {@code png}. */
  public void screenshot(String url, Path png, int width, int height) throws IOException, InterruptedException {
    run(List.of("--screenshot=" + png.toAbsolutePath(), "--window-size=" + width + "," + height,
        "--hide-scrollbars", url));
    Assertions.assertTrue(Files.size(png) > 0, "chromium wrote no screenshot to " + png);
  }

  private String run(List<String> args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(binary.toString(), "--headless", "--disable-gpu",
        // Containers run tests as root, where Chromium's sandbox cannot start.
        "--no-sandbox", "--disable-dev-shm-usage", "--no-first-run", "--disable-extensions",
        "--user-data-dir=" + profile.toAbsolutePath()));
    command.addAll(args);
    Path stdout = Files.createTempFile(profile, "stdout", ".txt");
    Path stderr = Files.createTempFile(profile, "stderr", ".txt");
    Process p = new ProcessBuilder(command).redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
    try {
      if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        Assertions.fail("chromium did not finish within " + TIMEOUT_SECONDS + " s: " + command);
      }
      if (p.exitValue() != 0) {
        Assertions.fail("chromium exited with " + p.exitValue() + ": " + Files.readString(stderr, StandardCharsets.UTF_8));
      }
      return Files.readString(stdout, StandardCharsets.UTF_8);
    } finally {
      // Only what this test started: the browser and the helpers it forked.
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
    }
  }
}
