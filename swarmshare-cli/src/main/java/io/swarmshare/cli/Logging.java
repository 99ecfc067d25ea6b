package io.swarmshare.cli;

import java.io.PrintWriter;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Routes the library's {@link System.Logger} output (which lands in java.util.logging) to the
 * command's stderr as one line per record: warnings always, debug detail with {@code --verbose}.
 */
final class Logging {
  // java.util.logging holds loggers weakly: keep ours, or its level and handler are lost.
  private static final Logger LIBRARY = Logger.getLogger("io.swarmshare");

  private Logging() {}

  /** Sends records of level WARNING and above to {@code err}; called once per command run. */
  static void install(PrintWriter err) {
    for (Handler h : LIBRARY.getHandlers()) {
      LIBRARY.removeHandler(h);
    }
    Handler handler = new Handler() {
      @Override
      public void publish(LogRecord r) {
        if (isLoggable(r)) {
          err.println(getFormatter().format(r));
          err.flush();
        }
      }

      @Override
      public void flush() {
        err.flush();
      }

      @Override
      public void close() {}
    };
    handler.setFormatter(new OneLine());
    handler.setLevel(Level.ALL);
    LIBRARY.addHandler(handler);
    LIBRARY.setUseParentHandlers(false);
    LIBRARY.setLevel(Level.WARNING);
  }

  /** Shows System.Logger DEBUG (java.util.logging FINE) records from the library too. */
  static void verbose() {
    LIBRARY.setLevel(Level.FINE);
  }

  private static final class OneLine extends Formatter {
    @Override
    public String format(LogRecord r) {
      String source = r.getLoggerName() == null ? "" : r.getLoggerName().substring(r.getLoggerName().lastIndexOf('.') + 1);
      String level = r.getLevel().intValue() >= Level.WARNING.intValue() ? "warning" : "debug";
      // Records quote names and what peers sent: escaped, so a record stays one harmless line.
      return "swarmshare: " + level + " [" + source + "] " + TerminalText.escape(formatMessage(r));
    }
  }
}
