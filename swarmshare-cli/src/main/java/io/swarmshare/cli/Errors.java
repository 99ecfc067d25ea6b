package io.swarmshare.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import io.swarmshare.api.SwarmException;
import picocli.CommandLine;

/**
 * Turns exceptions into what a person should read: one line naming the problem, no stack
 * trace unless {@code --verbose} was given. Exit code 1 for failures, 2 for usage errors.
 */
final class Errors {
  private Errors() {}

  /** Set by {@code --verbose} on any command. */
  static volatile boolean verbose;

  static int handle(Exception e, CommandLine cl, CommandLine.ParseResult parsed) {
    report(e, cl.getErr());
    return e instanceof UsageException ? Main.USAGE : Main.FAILURE;
  }

  /** Prints the one-line message, and the stack trace when {@code --verbose} was given. */
  static void report(Throwable e, PrintWriter err) {
    err.println("swarmshare: " + message(e));
    if (verbose) {
      StringWriter trace = new StringWriter();
      e.printStackTrace(new PrintWriter(trace));
      err.print(trace);
    }
    err.flush();
  }

  static int handleUsage(CommandLine.ParameterException e, String[] args) {
    CommandLine cl = e.getCommandLine();
    PrintWriter err = cl.getErr();
    err.println("swarmshare: " + TerminalText.escapeKeepingLines(String.valueOf(e.getMessage())));
    err.println("Try '" + cl.getCommandSpec().qualifiedName() + " --help' for usage.");
    err.flush();
    return Main.USAGE;
  }

  /**
   * The user-facing text of an exception, safe for a terminal: its message with anything a
   * terminal would act on escaped ({@link TerminalText}; messages quote names and what peers
   * sent), or its type in words if it has none.
   */
  static String message(Throwable e) {
    String m = e.getMessage();
    if (e instanceof Escaped && m != null) {
      return m;
    }
    if (m == null || m.isBlank()) {
      Throwable cause = e.getCause();
      if (cause != null && cause != e) {
        return message(cause);
      }
      return "unexpected " + e.getClass().getSimpleName() + " (run with --verbose for details)";
    }
    return TerminalText.escapeKeepingLines(m);
  }

  /** A failure whose message this program composed with every name in it already escaped. */
  static final class Escaped extends SwarmException {
    private static final long serialVersionUID = 1L;

    Escaped(String message) {
      super(message);
    }
  }

  /** A usage error found after parsing, such as a malformed size; exit code 2. */
  static final class UsageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
      super(message);
    }
  }
}
