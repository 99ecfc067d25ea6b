package io.swarmshare.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.swarmshare.RunningTracker;
import io.swarmshare.SwarmShare;
import io.swarmshare.testkit.Await;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class TrackerCommandTest {
  @Test
  void servesInTheForegroundUntilStopped() throws Exception {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    AtomicInteger code = new AtomicInteger(-1);
    Thread running = new Thread(() -> code.set(Main.run(new String[] {"tracker", "--port", "0", "--bind", "127.0.0.1"},
        new PrintWriter(out, true), new PrintWriter(err, true))));
    running.start();
    Await.until(() -> out.toString().contains("listening on") || code.get() >= 0, Duration.ofSeconds(10),
        () -> "tracker did not start: " + out + err);
    Matcher m = Pattern.compile("tracker listening on 127\\.0\\.0\\.1:(\\d+) \\(Ctrl-C to stop\\)").matcher(out.toString());
    assertTrue(m.find(), out.toString());

    ManifestCommandTest.Run search = ManifestCommandTest.run("search", "x", "--tracker", "127.0.0.1:" + m.group(1));
    assertEquals(0, search.code(), search.err());

    running.interrupt(); // what Ctrl-C's shutdown hook does, without ending the test JVM
    running.join(10_000);
    assertFalse(running.isAlive());
    assertEquals(0, code.get(), err.toString());
    assertTrue(out.toString().contains("tracker stopped"), out.toString());
  }

  @Test
  void httpServesMetricsOnLoopbackUntilStopped() throws Exception {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    AtomicInteger code = new AtomicInteger(-1);
    Thread running = new Thread(() -> code.set(Main.run(new String[] {"tracker", "--port", "0", "--bind", "127.0.0.1",
        "--http", "0"}, new PrintWriter(out, true), new PrintWriter(err, true))));
    running.start();
    Await.until(() -> out.toString().contains("status page on") || code.get() >= 0, Duration.ofSeconds(10),
        () -> "tracker did not start: " + out + err);
    Matcher m = Pattern.compile("status page on http://127\\.0\\.0\\.1:(\\d+)/ \\(metrics at /metrics\\)").matcher(out.toString());
    assertTrue(m.find(), out.toString());
    int port = Integer.parseInt(m.group(1));
    try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
      s.getOutputStream().write("GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".getBytes());
      String answer = new String(s.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      assertTrue(answer.startsWith("HTTP/1.1 200"), answer);
      assertTrue(answer.contains("\nswarmshare_tracker_peers 0\n"), answer);
    }
    running.interrupt();
    running.join(10_000);
    assertFalse(running.isAlive());
    assertEquals(0, code.get(), err.toString());
    assertThrows(java.net.ConnectException.class, () -> new java.net.Socket("127.0.0.1", port).close());
  }

  @Test
  void anHttpPortOutOfRangeIsAUsageError() {
    ManifestCommandTest.Run r = ManifestCommandTest.run("tracker", "--port", "0", "--bind", "127.0.0.1", "--http", "70000");
    assertEquals(Main.USAGE, r.code(), r.out());
    assertTrue(r.err().contains("--http must be 0 to 65535"), r.err());
  }

  @Test
  void aPortInUseIsOneLineAndExitCode1() throws Exception {
    try (RunningTracker other = SwarmShare.tracker().bind("127.0.0.1").port(0).start()) {
      int port = other.boundAddress().getPort();
      ManifestCommandTest.Run r = ManifestCommandTest.run("tracker", "--bind", "127.0.0.1", "--port", String.valueOf(port));
      assertEquals(1, r.code(), r.out());
      assertEquals("swarmshare: cannot listen on 127.0.0.1:" + port
          + ": the port is in use (is another tracker running?); choose another with --port\n", r.err().replace("\r", ""));
      assertFalse(r.err().contains("Exception"), r.err());
    }
  }

  @Test
  void aPerAddressCapBelowOneIsAUsageError() {
    ManifestCommandTest.Run r = ManifestCommandTest.run("tracker", "--port", "0", "--bind", "127.0.0.1",
        "--max-connections-per-address", "0");
    assertEquals(Main.USAGE, r.code(), r.out());
    assertTrue(r.err().contains("--max-connections-per-address must be at least 1"), r.err());
  }
}
