package io.swarmshare.testkit;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A main class of the test kit run in a JVM of its own, on the test's own JDK and classpath, for tests that kill it. */
public final class ChildJvm {
  private ChildJvm() {}

  /** The command that runs {@code main} with {@code jvmOptions} and {@code args}. */
  public static List<String> command(List<String> jvmOptions, Class<?> main, String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(jvmOptions);
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(main.getName());
    cmd.addAll(List.of(args));
    return cmd;
  }

  /** Starts {@code command}, stderr appended to {@code log} (kept for a failure message), stdout to be read. */
  public static Process start(File log, List<String> command) throws IOException {
    return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.appendTo(log)).start();
  }
}
