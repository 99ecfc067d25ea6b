package io.swarmshare.benchmarks;

import java.io.PrintStream;
import org.jspecify.annotations.Nullable;

/**
 * One line of progress redrawn in place on a terminal, for the command-line benchmarks
 * ({@code bin/swarm-sim}, {@code bin/tracker-bench}); does nothing without one. One thread uses it.
 */
public final class StatusLine {
  private final String prefix;
  private final @Nullable PrintStream terminal;
  private int shown;

  /**
   * @param name the command's name, shown before each line
   * @param terminal the terminal to draw on, or null to stay quiet (stderr is a log or a pipe)
   */
  public StatusLine(String name, @Nullable PrintStream terminal) {
    this.prefix = name + ": ";
    this.terminal = terminal;
  }

  /** Replaces the line with {@code text}. */
  public void show(String text) {
    draw(prefix + text, "");
  }

  /** Erases the line, so what follows starts on a clean one. */
  public void clear() {
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
