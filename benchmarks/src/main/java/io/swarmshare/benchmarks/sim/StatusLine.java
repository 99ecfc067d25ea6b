package io.swarmshare.benchmarks.sim;

import java.io.PrintStream;
import org.jspecify.annotations.Nullable;

/** One line of progress redrawn in place on a terminal; does nothing without one. One thread uses it. */
final class StatusLine {
  private final @Nullable PrintStream terminal;
  private int shown;

  /** @param terminal the terminal to draw on, or null to stay quiet (stderr is a log or a pipe) */
  StatusLine(@Nullable PrintStream terminal) {
    this.terminal = terminal;
  }

  void show(String text) {
    draw("swarm-sim: " + text, "");
  }

  /** Erases the line, so what follows starts on a clean one. */
  void clear() {
    draw("", "\r");
  }

  private void draw(String text, String end) {
    if (terminal == null) {
      return;
    }
    terminal.print("\r" + text + " ".repeat(Math.max(0, shown - text.length())) + end);
    terminal.flush();
    shown = text.length();
  }
}
