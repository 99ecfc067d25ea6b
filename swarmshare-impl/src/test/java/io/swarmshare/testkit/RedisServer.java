package io.swarmshare.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * A real {@code redis-server} (Debian's package) on a free loopback port, without persistence,
 * started and stopped by a test. Where it is not installed the test is skipped with one line
 * saying how to install it, unless {@code SWARMSHARE_REQUIRE_REDIS=1} (set by {@code .ci/run},
 * which installs it) turns the skip into a failure.
 */
public final class RedisServer implements AutoCloseable {
  private static final List<Path> CANDIDATES = List.of(Path.of("/usr/bin/redis-server"),
      Path.of("/usr/local/bin/redis-server"), Path.of("/usr/sbin/redis-server"));

  private final Path binary;
  private final int port;
  private Process process;

  private RedisServer(Path binary, int port) throws IOException {
    this.binary = binary;
    this.port = port;
    this.process = launch();
  }

  /** Starts a server on a free port, or skips the calling test if there is no {@code redis-server}. */
  public static RedisServer start() throws IOException {
    Path binary = CANDIDATES.stream().filter(Files::isExecutable).findFirst().orElse(null);
    if (binary == null) {
      String why = "redis-server is not installed; install it (apt-get install redis-server) to run the Redis tests";
      if ("1".equals(System.getenv("SWARMSHARE_REQUIRE_REDIS"))) {
        Assertions.fail(why + " (SWARMSHARE_REQUIRE_REDIS=1 makes this a failure)");
      }
      Assumptions.abort(why);
    }
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    return new RedisServer(binary, port);
  }

  /** {@code redis://127.0.0.1:PORT}. */
  public String uri() {
    return "redis://127.0.0.1:" + port;
  }

  /** The port it listens on. */
  public int port() {
    return port;
  }

  /** Kills the server (SIGKILL), so its clients see it vanish. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor();
  }

  /** Starts it again on the same port, empty (no persistence), after {@link #kill()}. */
  public void restart() throws IOException {
    if (process.isAlive()) {
      throw new IllegalStateException("kill it first");
    }
    process = launch();
  }

  /** Sends one inline command and returns the first line of the reply; for tests that inspect the store. */
  public String command(String line) throws IOException {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 2_000);
      s.setSoTimeout(5_000);
      OutputStream out = s.getOutputStream();
      out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
      out.flush();
      InputStream in = s.getInputStream();
      StringBuilder reply = new StringBuilder();
      for (int c; (c = in.read()) >= 0 && c != '\n'; ) {
        if (c != '\r') {
          reply.append((char) c);
        }
      }
      return reply.toString();
    }
  }

  private Process launch() throws IOException {
    Process p = new ProcessBuilder(binary.toString(), "--port", Integer.toString(port), "--bind", "127.0.0.1",
        "--save", "", "--appendonly", "no", "--daemonize", "no", "--protected-mode", "no", "--loglevel", "warning")
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .start();
    try {
      Await.until(() -> !p.isAlive() || answers(), Duration.ofSeconds(10),
          () -> "redis-server did not answer on port " + port + " within 10 s");
    } catch (AssertionError e) {
      p.destroyForcibly();
      throw e;
    }
    if (!p.isAlive()) {
      throw new IOException("redis-server exited with " + p.exitValue() + " on port " + port);
    }
    return p;
  }

  private boolean answers() {
    try {
      return "+PONG".equals(command("PING"));
    } catch (IOException e) {
      return false;
    }
  }

  @Override
  public void close() throws InterruptedException {
    kill();
  }
}
