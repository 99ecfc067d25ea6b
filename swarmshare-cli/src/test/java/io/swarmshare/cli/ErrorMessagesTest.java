package io.swarmshare.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.swarmshare.RunningTracker;
import io.swarmshare.SwarmShare;
import io.swarmshare.api.Manifest;
import io.swarmshare.testkit.TestManifests;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The failures a user meets first: each is one or two lines that say what to do, and exit code 1. */
@Timeout(60)
class ErrorMessagesTest {
  @TempDir Path dir;
  private RunningTracker tracker;

  @BeforeEach
  void start() throws Exception {
    tracker = SwarmShare.tracker().bind("127.0.0.1").port(0).start();
  }

  @AfterEach
  void stop() {
    tracker.close();
  }

  private String at() {
    return tracker.address().toString();
  }

  /** Runs the CLI and checks the rules every error obeys; returns stderr. */
  private static String fails(String... args) {
    ManifestCommandTest.Run r = ManifestCommandTest.run(args);
    String err = r.err().replace("\r", "");
    assertEquals(1, r.code(), "exit code of " + String.join(" ", args) + "; stderr: " + err);
    assertTrue(err.startsWith("swarmshare: "), err);
    assertFalse(err.contains("Exception"), err);
    assertFalse(err.contains("at java."), err);
    assertTrue(err.lines().count() <= 2, "one or two lines: " + err);
    return err;
  }

  private static int closedPort() throws Exception {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  @Test
  void trackerUnreachable() throws Exception {
    int port = closedPort();
    String err = fails("get", "report.pdf", "--tracker", "127.0.0.1:" + port, "-o", dir.toString());
    assertEquals("swarmshare: tracker 127.0.0.1:" + port + " is not reachable (connection refused); is it running?\n", err);
  }

  @Test
  void unknownId() {
    String id = "ab".repeat(32);
    String err = fails("get", id, "--tracker", at(), "-o", dir.toString());
    assertEquals("swarmshare: the tracker knows no file with id " + id
        + "; check the id, or run 'swarmshare search' to find it\n", err);
  }

  @Test
  void unknownName() {
    String err = fails("get", "report.pdf", "--tracker", at(), "-o", dir.toString());
    assertEquals("swarmshare: no file named 'report.pdf' on the tracker; try 'swarmshare search report.pdf'\n", err);
  }

  @Test
  void noPeersHoldTheFile() throws Exception {
    Manifest orphan = TestManifests.random(9, 4); // registered, but every peer that held it is gone
    tracker.register(orphan, "orphan.bin");
    String err = fails("get", "orphan.bin", "--tracker", at(), "-o", dir.toString(), "--no-peers-timeout", "1");
    assertEquals("swarmshare: no peer holding the missing chunks of orphan.bin could be reached for 1 s;"
        + " verified chunks are kept, run it again to resume\n", err);
  }

  @Test
  void targetDirectoryNotWritable() throws Exception {
    // Tests may run as root, for whom permissions do not stop a write: put a file where a directory must be.
    Path file = Files.writeString(dir.resolve("somefile"), "x");
    String err = fails("get", "report.pdf", "--tracker", at(), "-o", file.resolve("sub").toString());
    assertEquals("swarmshare: cannot download into " + file.resolve("sub") + ": " + file
        + " is a file, not a directory; choose another directory with -o DIR\n", err);

    err = fails("menu", "--tracker", at(), "-o", file.toString());
    assertTrue(err.contains(file + " is a file, not a directory"), err);
  }

  @Test
  void portInUse() throws Exception {
    try (ServerSocket taken = new ServerSocket(0)) {
      int port = taken.getLocalPort();
      String err = fails("get", "report.pdf", "--tracker", at(), "-o", dir.toString(), "--port", String.valueOf(port));
      assertEquals("swarmshare: cannot serve peers on port " + port
          + ": it is in use; choose another with --port, or 0 for any free port\n", err);

      Path f = Files.writeString(dir.resolve("a.txt"), "a");
      err = fails("share", f.toString(), "--tracker", at(), "-p", String.valueOf(port));
      assertTrue(err.contains("port " + port + ": it is in use"), err);
    }
  }

  @Test
  void verboseAddsTheStackTrace() throws Exception {
    ManifestCommandTest.Run r = ManifestCommandTest.run("get", "x", "--tracker", "127.0.0.1:" + closedPort(), "--verbose");
    assertEquals(1, r.code());
    assertTrue(r.err().startsWith("swarmshare: tracker 127.0.0.1:"), r.err());
    assertTrue(r.err().contains("TrackerUnavailableException") && r.err().contains("\tat "), r.err());

    ManifestCommandTest.Run quiet = ManifestCommandTest.run("get", "x", "--tracker", "127.0.0.1:" + closedPort());
    assertFalse(quiet.err().contains("\tat "), "--verbose does not stick to later runs: " + quiet.err());
  }

  @Test
  void usageErrorsExitWith2() {
    assertEquals(2, ManifestCommandTest.run("get").code(), "missing ID");
    assertEquals(2, ManifestCommandTest.run("get", "x", "--port", "70000").code());
    ManifestCommandTest.Run r = ManifestCommandTest.run("get", "x", "--tracker", "host:notaport");
    assertEquals(2, r.code());
    assertTrue(r.err().startsWith("swarmshare: --tracker: port is not a number"), r.err());
  }
}
