package io.swarmshare.cli;

import io.swarmshare.SwarmShare;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code swarmshare} command: wires subcommands, exit codes and error rendering. */
@Command(
    name = "swarmshare",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "Tracker-based peer-to-peer file sharing: every chunk proven with SHA-256.",
    subcommands = {DemoCommand.class, ShareCommand.class, GetCommand.class, SearchCommand.class, TrackerCommand.class,
        ManifestCommand.class, CommandLine.HelpCommand.class},
    footerHeading = "%nExit codes:%n",
    footer = {
        "  0  success",
        "  1  failure (the message says what went wrong and what to do)",
        "  2  usage error (unknown option, missing argument)",
        "",
        "Environment:",
        "  SWARMSHARE_TRACKER  default tracker address (HOST:PORT)",
        "  SWARMSHARE_TLS_PASSWORD  password of the --tls-keystore and --tls-truststore files",
        ""})
public final class Main implements Runnable {
  /** Success. */
  public static final int OK = 0;
  /** A failure the message explains. */
  public static final int FAILURE = 1;
  /** Bad arguments. */
  public static final int USAGE = 2;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Runs the CLI and exits the JVM with its exit code. */
  public static void main(String[] args) {
    System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
  }

  /** Runs the CLI with the given output streams and returns the exit code; for tests. */
  public static int run(String[] args, PrintWriter out, PrintWriter err) {
    CommandLine cl = commandLine(out, err);
    return cl.execute(args);
  }

  static CommandLine commandLine(PrintWriter out, PrintWriter err) {
    CommandLine cl = new CommandLine(new Main());
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
      return new String[] {
          "swarmshare " + SwarmShare.version(),
          "JVM: " + System.getProperty("java.vm.name") + " " + System.getProperty("java.version")};
    }
  }
}
