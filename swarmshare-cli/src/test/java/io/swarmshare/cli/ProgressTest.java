package io.swarmshare.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class ProgressTest {
  private static final long MIB = 1 << 20;
  private final StringWriter text = new StringWriter();
  private final PrintWriter err = new PrintWriter(text, true);

  @Test
  void terminalBarShowsFractionBytesRateEtaAndPeers() {
    Progress p = new Progress(err, "downloading", false, true);
    String frame = p.render(50 * MIB, 100 * MIB, 5.0, "3 peers");
    assertEquals("\rdownloading [###############---------------]  50.0% 50.0 MiB/100.0 MiB 10.0 MiB/s ETA 0:05, 3 peers"
        + "\u001b[K", frame);
  }

  @Test
  void terminalBarRedrawsOneLineAndEndsItOnce() {
    Progress p = new Progress(err, "hashing x", false, true);
    p.update(0, 10 * MIB, "");
    p.update(10 * MIB, 10 * MIB, "");
    p.update(10 * MIB, 10 * MIB, ""); // after the last frame nothing more is drawn
    p.finish();
    String out = text.toString();
    assertEquals(2, out.chars().filter(c -> c == '\r').count(), out);
    assertTrue(out.contains("100.0% 10.0 MiB/10.0 MiB"), out);
    assertTrue(out.contains(" done"), out);
    assertTrue(out.endsWith("\u001b[K" + System.lineSeparator()), out);
  }

  @Test
  void plainOutputIsWholeLinesWithoutEscapes() {
    Progress p = new Progress(err, "downloading", false, false);
    p.update(1, 100, "1 peer"); // a quick job prints nothing until it ends
    p.update(100, 100, "from 1 peer");
    p.finish();
    String out = text.toString();
    assertTrue(out.startsWith("downloading 100.0% 100 B/100 B "), out);
    assertTrue(out.endsWith("done, from 1 peer" + System.lineSeparator()), out);
    assertEquals(1, out.lines().count(), out);
    assertFalse(out.contains("\u001b"), out);
  }

  @Test
  void quietPrintsNothing() {
    Progress p = new Progress(err, "downloading", true, true);
    p.update(0, 100, "");
    p.update(100, 100, "");
    p.finish();
    assertEquals("", text.toString());
  }

  @Test
  void etaNeedsARateAndDurationsReadLikeAClock() {
    Progress p = new Progress(err, "hashing", false, false);
    assertTrue(p.render(0, 10, 1.0, "").contains("ETA --:--"), "no rate yet, no guess");
    assertEquals("1:01:01", Progress.formatDuration(3661));
    assertEquals("0:59", Progress.formatDuration(59.4));
    assertEquals("1 peer", Progress.plural(1, "peer"));
    assertEquals("0 peers", Progress.plural(0, "peer"));
  }
}
