package io.swarmshare.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.swarmshare.RunningTracker;
import io.swarmshare.SwarmShare;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class ShareGetCommandTest {
  @TempDir Path dir;

  @Test
  void shareThenGetByIdAndByNameWithJson() throws Exception {
    byte[] data = new byte[3 * 1024 * 1024 + 5];
    new Random(7).nextBytes(data);
    Path shared = Files.createDirectories(dir.resolve("shared"));
    Files.write(shared.resolve("model.bin"), data);
    Files.write(shared.resolve("notes.txt"), "hello".getBytes());
    try (RunningTracker tracker = SwarmShare.tracker().port(0).bind("127.0.0.1").start()) {
      String trackerAddress = "127.0.0.1:" + tracker.address().port();
      StringWriter shareOut = new StringWriter();
      StringWriter shareErr = new StringWriter();
      AtomicInteger shareCode = new AtomicInteger(-1);
      CountDownLatch registered = new CountDownLatch(1);
      Thread sharer = Thread.ofPlatform().start(() -> shareCode.set(Main.run(
          new String[] {"share", shared.toString(), "--tracker", trackerAddress, "--json", "--chunk-size", "256K"},
          new PrintWriter(new LineSignal(shareOut, registered, 2), true), new PrintWriter(shareErr, true))));
      try {
        assertTrue(registered.await(30, java.util.concurrent.TimeUnit.SECONDS), "share printed two lines: " + shareOut);
        String modelLine = shareOut.toString().lines().filter(l -> l.contains("model.bin")).findFirst().orElseThrow();
        String id = field(modelLine, "id");

        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new String[] {"get", id, "-o", dir.resolve("byid").toString(), "--tracker", trackerAddress, "--json"},
            new PrintWriter(out, true), new PrintWriter(err, true));
        assertEquals(0, code, err.toString());
        String last = out.toString().strip().lines().reduce((a, b) -> b).orElseThrow();
        assertEquals(id, field(last, "id"));
        assertTrue(last.contains("\"size\":" + data.length), last);
        assertTrue(last.contains("\"peers\":1"), last);
        assertTrue(last.contains("\"chunksDownloaded\":13"), last);
        assertTrue(last.contains("\"chunksResumed\":0"), last);
        assertTrue(last.contains("\"seconds\":"), last);
        assertEquals(sha256(data), sha256(Files.readAllBytes(dir.resolve("byid").resolve("model.bin"))));

        code = Main.run(new String[] {"get", "notes.txt", "-o", dir.resolve("byname").toString(), "--tracker", trackerAddress, "-q"},
            new PrintWriter(new StringWriter(), true), new PrintWriter(err, true));
        assertEquals(0, code, err.toString());
        assertEquals("hello", Files.readString(dir.resolve("byname").resolve("notes.txt")));

        // Several files in one get: each downloaded and verified, one JSON object each.
        StringWriter both = new StringWriter();
        code = Main.run(new String[] {"get", "model.bin", "notes.txt", "-o", dir.resolve("both").toString(),
            "--tracker", trackerAddress, "--json", "--linger", "0"}, new PrintWriter(both, true), new PrintWriter(err, true));
        assertEquals(0, code, err.toString());
        List<String> results = both.toString().strip().lines().toList();
        assertEquals(2, results.size(), both.toString());
        assertTrue(results.get(0).contains("model.bin") && results.get(0).contains("\"verified\":true"), results.get(0));
        assertTrue(results.get(1).contains("notes.txt") && results.get(1).contains("\"verified\":true"), results.get(1));
        assertEquals(sha256(data), sha256(Files.readAllBytes(dir.resolve("both").resolve("model.bin"))));
        assertEquals("hello", Files.readString(dir.resolve("both").resolve("notes.txt")));
      } finally {
        CountDownLatch stop = ShareCommand.stop;
        if (stop != null) {
          stop.countDown();
        }
        sharer.join(Duration.ofSeconds(10));
      }
      assertEquals(0, shareCode.get());
      // On the way out, share says what it uploaded: each file was fetched twice, from it alone.
      String stopped = shareErr.toString().lines().filter(l -> l.startsWith("Stopped after ")).findFirst()
          .orElseThrow(() -> new AssertionError("no upload totals: " + shareErr));
      java.util.regex.Matcher m = java.util.regex.Pattern
          .compile("uploaded ([0-9.]+) MiB, ([0-9.]+) times what is shared").matcher(stopped);
      assertTrue(m.find(), stopped);
      assertTrue(Double.parseDouble(m.group(1)) >= 6.0 && Double.parseDouble(m.group(2)) >= 2.0, stopped);
    }
  }

  private static String sha256(byte[] b) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
  }

  private static String field(String json, String name) {
    Matcher m = Pattern.compile("\"" + name + "\":\"([^\"]+)\"").matcher(json);
    assertTrue(m.find(), name + " in " + json);
    return m.group(1);
  }

  /** Counts lines written and opens a latch after {@code lines} of them. */
  static final class LineSignal extends java.io.Writer {
    private final StringWriter target;
    private final CountDownLatch latch;
    private final int lines;
    private int seen;

    LineSignal(StringWriter target, CountDownLatch latch, int lines) {
      this.target = target;
      this.latch = latch;
      this.lines = lines;
    }

    @Override
    public synchronized void write(char[] buf, int off, int len) {
      target.write(buf, off, len);
      for (int i = off; i < off + len; i++) {
        if (buf[i] == '\n' && ++seen >= lines) {
          latch.countDown();
        }
      }
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  }
}
