package io.swarmshare.examples;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * An example's {@code main} run in its own JVM, as {@code bin/example} runs it, on this test's
 * class path. Collects stdout and stderr together, line by line.
 */
final class ExampleProcess implements AutoCloseable {
  private final String name;
  private final Process process;
  private final List<String> lines = new ArrayList<>();
  private final Thread reader;

  private ExampleProcess(String name, Process process) {
    this.name = name;
    this.process = process;
    this.reader = Thread.ofPlatform().daemon().start(this::read);
  }

  static ExampleProcess start(Path workDir, String example, String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xshare:auto", "-XX:TieredStopAtLevel=1", "-Djava.io.tmpdir=" + workDir, // temp files die with the test
        "-cp", System.getProperty("java.class.path"),
        "io.swarmshare.examples." + example));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true).start();
    return new ExampleProcess(example, p);
  }

  private void read() {
    try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        synchronized (lines) {
          lines.add(line);
          lines.notifyAll();
        }
      }
    } catch (IOException e) {
      // the process ended; what it printed is kept
    }
  }

  /** Waits for a line that matches, failing with everything printed so far. */
  String awaitLine(Predicate<String> wanted, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (lines) {
      while (true) {
        for (String l : lines) {
          if (wanted.test(l)) {
            return l;
          }
        }
        long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (left <= 0 || (!process.isAlive() && !reader.isAlive())) {
          fail(name + " did not print the line expected within " + timeout.toSeconds() + " s; it printed:\n" + output());
        }
        lines.wait(Math.min(left, 200));
      }
    }
  }

  /** Waits for the program to end by itself; returns its exit code. */
  int awaitExit(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      fail(name + " still runs after " + timeout.toSeconds() + " s; it printed:\n" + output());
    }
    reader.join(5_000);
    return process.exitValue();
  }

  /** Sends SIGTERM, what Ctrl-C amounts to, and waits for the program to end. */
  int interrupt(Duration timeout) throws InterruptedException {
    // Through the handle: Process.destroy() would also close our end of its output, losing the last lines.
    process.toHandle().destroy();
    return awaitExit(timeout);
  }

  String output() {
    synchronized (lines) {
      return String.join("\n", lines);
    }
  }

  @Override
  public void close() {
    process.destroyForcibly();
  }
}
