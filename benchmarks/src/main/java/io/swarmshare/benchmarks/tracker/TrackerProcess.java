package io.swarmshare.benchmarks.tracker;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * The tracker under test as a child JVM ({@link TrackerNode}) on this process's class path: its
 * port, its memory on request, its CPU time, and a clean stop.
 */
final class TrackerProcess implements AutoCloseable {
  /** Heap in use after a full collection and resident memory, in bytes (-1 if unknown). */
  record Memory(long heapBytes, long rssBytes) {}

  private final Process process;
  private final BufferedReader out;
  private final Writer in;
  private final Path log;
  private final int port;

  private TrackerProcess(Process process, Path log) throws IOException {
    this.process = process;
    this.log = log;
    this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    this.in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
    String first = reply("listening ", "failed ");
    if (first == null || !first.startsWith("listening ")) {
      process.destroyForcibly();
      throw new IOException("the tracker did not start: " + (first != null && first.startsWith("failed ")
          ? first.substring("failed ".length()) : (first == null ? "it exited" : first) + "; " + tail()));
    }
    this.port = Integer.parseInt(first.substring("listening ".length()).strip());
  }

  /**
   * Starts a tracker on {@code store}.
   *
   * @param maxConnections its connection cap, or 0 for the tracker's default
   */
  static TrackerProcess start(Store store, int maxConnections) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = new ArrayList<>(List.of(java));
    String opts = System.getenv("SWARMSHARE_TRACKER_JAVA_OPTS");
    if (opts != null && !opts.isBlank()) {
      command.addAll(List.of(opts.strip().split("\\s+")));
    }
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), TrackerNode.class.getName(), store.spec()));
    if (maxConnections > 0) {
      command.add(Integer.toString(maxConnections));
    }
    Path log = Files.createTempFile("tracker-bench-", ".log");
    Process p = new ProcessBuilder(command).redirectError(log.toFile()).start();
    try {
      return new TrackerProcess(p, log);
    } catch (IOException | RuntimeException e) {
      p.destroyForcibly();
      Files.deleteIfExists(log);
      throw e;
    }
  }

  int port() {
    return port;
  }

  long pid() {
    return process.pid();
  }

  /** Asks for a full collection, then the heap in use and the resident memory. */
  Memory memory() throws IOException {
    in.write("memory\n");
    in.flush();
    String line = reply("memory ");
    if (line == null) {
      throw new IOException("the tracker process stopped answering (" + line + "); " + tail());
    }
    String[] f = line.split(" ");
    return new Memory(Long.parseLong(f[1]), Long.parseLong(f[2]));
  }

  /**
   * The next line of the tracker's stdout that starts with one of {@code prefixes}, skipping
   * others (JVM options such as -XX:StartFlightRecording print there too); null at its end.
   */
  private @Nullable String reply(String... prefixes) throws IOException {
    for (String line; (line = out.readLine()) != null; ) {
      for (String p : prefixes) {
        if (line.startsWith(p)) {
          return line;
        }
      }
    }
    return null;
  }

  /** Garbage collections the tracker's JVM made so far, and the milliseconds they took. */
  long[] gc() throws IOException {
    in.write("gc\n");
    in.flush();
    String line = reply("gc ");
    if (line == null) {
      throw new IOException("the tracker process stopped answering; " + tail());
    }
    String[] f = line.split(" ");
    return new long[] {Long.parseLong(f[1]), Long.parseLong(f[2])};
  }

  /** CPU time the tracker process has used so far, in nanoseconds, or -1 if the system does not say. */
  long cpuNanos() {
    return process.info().totalCpuDuration().map(Duration::toNanos).orElse(-1L);
  }

  private String tail() {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      return lines.isEmpty() ? "it wrote nothing to stderr"
          : "its stderr ends: " + String.join(" | ", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
    } catch (IOException e) {
      return "its stderr is unreadable";
    }
  }

  /** Closes its stdin, which stops it; kills it if it has not exited within a few seconds. */
  @Override
  public void close() {
    try {
      in.close();
    } catch (IOException ignored) {
      // it is being stopped either way
    }
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    try {
      Files.deleteIfExists(log);
    } catch (IOException ignored) {
      // a temporary file
    }
  }

  @Override
  public String toString() {
    return "tracker process " + process.pid() + " on port " + port;
  }
}
