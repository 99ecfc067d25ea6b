package io.swarmshare.cli;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * Progress on stderr: a redrawn bar when stderr is a terminal, a plain line every few seconds
 * otherwise, nothing when quiet. {@code bin/swarmshare} tells the JVM whether stderr is a
 * terminal through {@code -Dswarmshare.stderr.tty}, since Java 21 cannot ask.
 */
final class Progress {
  private static final long PLAIN_INTERVAL_NANOS = 5_000_000_000L;
  private static final long BAR_INTERVAL_NANOS = 100_000_000L;

  private final PrintWriter err;
  private final String label;
  private final boolean quiet;
  private final boolean tty;
  private final long started = System.nanoTime();
  private long lastDraw;
  private boolean drawn;
  private boolean finalShown;

  Progress(PrintWriter err, String label, boolean quiet) {
    this.err = err;
    this.label = label;
    this.quiet = quiet;
    this.tty = Boolean.getBoolean("swarmshare.stderr.tty");
  }

  /** Shows {@code done} of {@code total} bytes, with rate and ETA; extra is appended as is. */
  void update(long done, long total, String extra) {
    if (quiet) {
      return;
    }
    if (finalShown) {
      return;
    }
    long now = System.nanoTime();
    long interval = tty ? BAR_INTERVAL_NANOS : PLAIN_INTERVAL_NANOS;
    if (drawn && now - lastDraw < interval && done < total) {
      return;
    }
    if (!drawn && !tty && now - started < PLAIN_INTERVAL_NANOS && done < total) {
      return;
    }
    lastDraw = now;
    drawn = true;
    finalShown = done >= total;
    double seconds = Math.max(1e-9, (now - started) / 1e9);
    double rate = done / seconds;
    double fraction = total == 0 ? 1 : (double) done / total;
    String eta = rate > 0 && done < total ? formatDuration((total - done) / rate) : "--";
    String stats = String.format(Locale.ROOT, "%5.1f%% %s/%s %s/s ETA %s%s",
        fraction * 100, Sizes.format(done), Sizes.format(total), Sizes.format((long) rate), eta,
        extra.isEmpty() ? "" : " " + extra);
    if (tty) {
      int width = 30;
      int filled = (int) Math.round(fraction * width);
      err.print("\r" + label + " [" + "#".repeat(filled) + " ".repeat(width - filled) + "] " + stats + "\u001b[K");
    } else {
      err.println(label + " " + stats);
    }
    err.flush();
  }

  /** Ends the bar's line, if one was drawn. */
  void finish() {
    if (!quiet && tty && drawn) {
      err.println();
      err.flush();
    }
  }

  static String formatDuration(double seconds) {
    long s = Math.round(seconds);
    return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
        : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
  }
}
