package io.swarmshare.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * The jar's entry point. {@code --version} is answered here, from the version resource, before
 * the command-line parser and the library are loaded: a script or a fleet's health check that
 * asks the version pays for a JVM start and nothing more. Everything else goes to {@link Main}.
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
      System.out.println("swarmshare " + version());
      System.out.println("JVM: " + System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
      System.exit(Main.OK);
    }
    Main.main(args);
  }

  private static String version() {
    try (InputStream in = Launcher.class.getResourceAsStream("/io/swarmshare/version.properties")) {
      Properties p = new Properties();
      if (in != null) {
        p.load(in);
      }
      return p.getProperty("version", "unknown");
    } catch (IOException e) {
      return "unknown";
    }
  }
}
