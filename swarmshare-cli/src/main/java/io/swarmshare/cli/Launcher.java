package io.swarmshare.cli;

import io.swarmshare.SwarmShare;

/**
 * The jar's entry point. {@code --version} is answered here, before the command-line parser
 * builds every command's model: a script or a fleet's health check that asks the version pays
 * for a JVM start and little more. Everything else goes to {@link Main}.
 */
public final class Launcher {
  private Launcher() {}

  /**
   * Runs the CLI.
   *
   * @param args the command line
   */
  public static void main(String[] args) {
    if (args.length == 1 && (args[0].equals("--version") || args[0].equals("-V"))) {
      for (String line : versionLines()) {
        System.out.println(line);
      }
      System.exit(Main.OK);
    }
    Main.main(args);
  }

  /** What {@code --version} prints: the library's version and the JVM it runs on. */
  static String[] versionLines() {
    return new String[] {
        "swarmshare " + SwarmShare.version(),
        "JVM: " + System.getProperty("java.vm.name") + " " + System.getProperty("java.version")};
  }
}
