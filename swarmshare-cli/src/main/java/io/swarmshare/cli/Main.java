package io.swarmshare.cli;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.Reader;
import java.nio.charset.Charset;
import java.util.List;
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
    return commandLine(main, out, err, args).execute(args);
  }

  /**
   * The subcommands' names, in the order help lists them. Building a command's model means
   * reflecting over its annotations and mixins, a third of a second of CPU for all of them: a
   * command line that names one gets only that one (see {@link #commandLine}).
   */
  private static final List<String> SUBCOMMANDS =
      List.of("demo", "menu", "share", "get", "search", "tracker", "manifest", "completion", "help");

  private static Object subcommand(String name) {
    return switch (name) {
      case "demo" -> new DemoCommand();
      case "menu" -> new MenuCommand();
      case "share" -> new ShareCommand();
      case "get" -> new GetCommand();
      case "search" -> new SearchCommand();
      case "tracker" -> new TrackerCommand();
      case "manifest" -> new ManifestCommand();
      case "completion" -> new CompletionCommand();
      case "help" -> new CommandLine.HelpCommand();
      default -> throw new IllegalArgumentException(name);
    };
  }

  /**
   * The parser for {@code args}. When the first argument names a command that works on its own,
   * only that command is registered, so a {@code get} in a script does not pay for the models of
   * the others; help, completion, the menu and anything unrecognised get all of them, and so
   * does the run that records the start-up cache ({@code -Dswarmshare.cli.allCommands=true}), so
   * that every command's classes are in it.
   */
  static CommandLine commandLine(Main main, PrintWriter out, PrintWriter err, String[] args) {
    CommandLine cl = new CommandLine(main);
    String first = args.length > 0 ? args[0] : "";
    boolean alone = switch (first) {
      case "demo", "share", "get", "search", "tracker", "manifest" -> true;
      default -> false;
    };
    if (alone && !Boolean.getBoolean("swarmshare.cli.allCommands")) {
      cl.addSubcommand(first, subcommand(first));
    } else {
      for (String name : SUBCOMMANDS) {
        cl.addSubcommand(name, subcommand(name));
      }
    }
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
