package io.swarmshare.cli;

import io.swarmshare.api.Download;
import io.swarmshare.api.DownloadProgress;
import io.swarmshare.api.DownloadResult;
import io.swarmshare.api.SwarmException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;

/**
 * Progress on stderr: a redrawn bar when stderr is a terminal, a plain line every few seconds
 * otherwise (the first after a few seconds, so quick jobs print one final line), nothing when
 * quiet. Not thread-safe: one thread updates it.
 */
final class Progress {
  private static final long PLAIN_INTERVAL_NANOS = 5_000_000_000L;
  private static final long BAR_INTERVAL_NANOS = 100_000_000L;
  private static final int BAR_WIDTH = 30;

  private final PrintWriter err;
  private final String label;
  private final boolean quiet;
  private final boolean tty;
  private final long started = System.nanoTime();
  private long baseline;
  private long lastDraw;
  private boolean drawn;
  private boolean finalShown;

  Progress(PrintWriter err, String label, boolean quiet) {
    this(err, label, quiet, Terminal.stderr());
  }

  /** {@code label} (a name, say) is shown escaped ({@link TerminalText}). */
  Progress(PrintWriter err, String label, boolean quiet, boolean tty) {
    this.err = err;
    this.label = TerminalText.escape(label);
    this.quiet = quiet;
    this.tty = tty;
  }

  /**
   * Follows a download until it ends, showing bytes, rate, ETA and connected peers.
   *
   * @return its result
   * @throws SwarmException why it failed, after the bar's line was ended
   */
  static DownloadResult follow(Download d, PrintWriter err, String label, boolean quiet)
      throws SwarmException, InterruptedException {
    Progress progress = new Progress(err, label, quiet);
    progress.baseline = d.progress().verifiedBytes(); // chunks resumed from an earlier run are not this run's rate
    try {
      DownloadResult result;
      while ((result = poll(d)) == null) {
        DownloadProgress p = d.progress();
        if (p.verifiedBytes() < p.size()) { // the last frame waits for the whole-file check and the result
          progress.update(p.verifiedBytes(), p.size(), plural(p.peers(), "peer"));
        }
      }
      progress.update(result.size(), result.size(), "from " + plural(result.peers(), "peer"));
      return result;
    } finally {
      progress.finish();
    }
  }

  /** Shows {@code done} of {@code total} bytes, with rate and ETA; extra (this program's words) is appended as is. */
  void update(long done, long total, String extra) {
    if (quiet || finalShown) {
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
    err.print(render(done, total, (now - started) / 1e9, extra));
    err.flush();
  }

  /** One frame: the bar and its carriage return on a terminal, a whole line otherwise. */
  String render(long done, long total, double seconds, String extra) {
    double rate = Math.max(0, done - baseline) / Math.max(1e-9, seconds);
    double fraction = total == 0 ? 1 : Math.min(1, (double) done / total);
    String eta = done >= total ? "done" : rate > 0 ? "ETA " + formatDuration((total - done) / rate) : "ETA --:--";
    String stats = String.format(Locale.ROOT, "%5.1f%% %s/%s %s/s %s%s",
        fraction * 100, Sizes.format(done), Sizes.format(total), Sizes.format((long) rate), eta,
        extra.isEmpty() ? "" : ", " + extra);
    if (tty) {
      int filled = (int) Math.round(fraction * BAR_WIDTH);
      // \r returns to the line's start, ESC[K clears what a longer previous frame left behind.
      return "\r" + label + " [" + "#".repeat(filled) + "-".repeat(BAR_WIDTH - filled) + "] " + stats + "\u001b[K";
    }
    return label + " " + stats + System.lineSeparator();
  }

  /** Ends the bar's line, if one was drawn. */
  void finish() {
    if (!quiet && tty && drawn) {
      err.println();
      err.flush();
    }
  }

  /** The result if the download ends within 100 ms, else null; its failure is thrown. */
  private static @Nullable DownloadResult poll(Download d) throws SwarmException, InterruptedException {
    try {
      return d.await(Duration.ofMillis(100));
    } catch (TimeoutException stillRunning) {
      return null;
    }
  }

  static String formatDuration(double seconds) {
    long s = Math.round(seconds);
    return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
        : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
  }

  static String plural(long n, String noun) {
    return n + " " + noun + (n == 1 ? "" : "s");
  }
}
