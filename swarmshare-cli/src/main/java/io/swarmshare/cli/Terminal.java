package io.swarmshare.cli;

import java.io.Console;

/**
 * Whether the standard streams are terminals. {@code bin/swarmshare} answers with
 * {@code -Dswarmshare.stdin.tty}, {@code -Dswarmshare.stdout.tty} and {@code -Dswarmshare.stderr.tty}
 * from the shell's {@code [ -t N ]}, because Java 21 cannot ask about one stream at a time; when
 * they are missing (the jar run directly), {@link System#console()} decides.
 */
final class Terminal {
  private Terminal() {}

  /**
   * Whether the commands warm the JIT up at start ({@code ClientBuilder.warmUp}): yes, since a
   * CLI process is short and may move a large file, unless {@code -Dswarmshare.warmup=false}.
   */
  static boolean warmUp() {
    return !"false".equals(System.getProperty("swarmshare.warmup"));
  }

  /** True when a person can answer prompts and read the answers: stdin and stdout are terminals. */
  static boolean interactive() {
    return stream("stdin") && stream("stdout");
  }

  /** True when stderr is a terminal, so a progress bar may redraw itself. */
  static boolean stderr() {
    return Boolean.getBoolean("swarmshare.stderr.tty");
  }

  private static boolean stream(String name) {
    String told = System.getProperty("swarmshare." + name + ".tty");
    return told != null ? Boolean.parseBoolean(told) : consoleIsTerminal();
  }

  private static boolean consoleIsTerminal() {
    Console console = System.console();
    if (console == null) {
      return false;
    }
    try {
      // JDK 22+ returns a console even when redirected, and says so here.
      return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
    } catch (ReflectiveOperationException e) {
      return true; // JDK 21: a console exists only when stdin and stdout are terminals
    }
  }
}
