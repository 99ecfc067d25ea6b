package io.swarmshare.cli;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.Reader;
import java.nio.charset.Charset;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code swarmshare} command: wires subcommands, exit codes and error rendering. */
@Command(
    name = "swarmshare",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = {"Tracker-based peer-to-peer file sharing: every chunk proven with SHA-256.",
        "Run 'swarmshare demo' to see a whole swarm on this machine. With no command in a terminal,"
            + " an interactive menu opens (also 'swarmshare menu'); elsewhere this help is printed."},
    subcommands = {DemoCommand.class, MenuCommand.class, ShareCommand.class, GetCommand.class, SearchCommand.class,
        TrackerCommand.class, ManifestCommand.class, CompletionCommand.class, CommandLine.HelpCommand.class},
    footerHeading = "%nExit codes:%n",
    footer = {
        "  0  success",
        "  1  failure (the message says what went wrong and what to do)",
        "  2  usage error (unknown option, missing argument)",
        "",
        "Environment:",
        "  SWARMSHARE_TRACKER       default --tracker (HOST:PORT[,HOST:PORT...])",
        "  SWARMSHARE_TLS_PASSWORD  password of the --tls-keystore and --tls-truststore",
        "  SWARMSHARE_JAVA_OPTS     extra JVM options for bin/swarmshare, e.g. -Xmx2g",
        "",
        "See docs/CLI.md for every command and a session transcript.",
        ""})
public final class Main implements Runnable {
  /** Success. */
  public static final int OK = 0;
  /** A failure the message explains. */
  public static final int FAILURE = 1;
  /** Bad arguments. */
  public static final int USAGE = 2;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /** Where the menu reads commands; set per run, so tests can pipe input in. */
  private BufferedReader in = new BufferedReader(Reader.nullReader());

  BufferedReader in() {
    return in;
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Runs the CLI and exits the JVM with its exit code. */
  public static void main(String[] args) {
    String[] effective = args.length == 0 && Terminal.interactive() ? new String[] {"menu"} : args;
    System.exit(run(effective, System.in, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
  }

  /** Runs the CLI with the given output streams and no input; returns the exit code. For tests. */
  public static int run(String[] args, PrintWriter out, PrintWriter err) {
    return run(args, InputStream.nullInputStream(), out, err);
  }

  /**
   * Runs the CLI reading the menu's commands from {@code in}, and returns the exit code. With no
   * arguments it prints help: only {@link #main} opens the menu, and only in a terminal.
   */
  public static int run(String[] args, InputStream in, PrintWriter out, PrintWriter err) {
    Errors.verbose = false;
    Logging.install(err);
    Main main = new Main();
    main.in = new BufferedReader(new InputStreamReader(in, Charset.defaultCharset()));
    return commandLine(main, out, err).execute(args);
  }

  static CommandLine commandLine(Main main, PrintWriter out, PrintWriter err) {
    CommandLine cl = new CommandLine(main);
    cl.setOut(out);
    cl.setErr(err);
    cl.setExitCodeExceptionMapper(e -> e instanceof CommandLine.ParameterException ? USAGE : FAILURE);
    cl.setExecutionExceptionHandler(Errors::handle);
    cl.setParameterExceptionHandler(Errors::handleUsage);
    return cl;
  }

  /** Prints the library version and the JVM it runs on. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return Launcher.versionLines();
    }
  }
}
