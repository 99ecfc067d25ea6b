package io.swarmshare.benchmarks.tracker;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * Reads a Redis server's {@code INFO} over a plain socket (RESP), so the benchmark can report
 * Redis's memory per peer and CPU per request without a Redis client library.
 */
final class RedisInfo {
  private RedisInfo() {}

  /** Bytes Redis has allocated for its data ({@code used_memory}). */
  static long usedMemory(String host, int port) throws IOException {
    return Long.parseLong(field(host, port, info(host, port, "memory"), "used_memory"));
  }

  /**
   * CPU time the Redis server has used since it started ({@code used_cpu_user + used_cpu_sys}),
   * in nanoseconds: its cost per request when Redis shares the machine with the tracker.
   */
  static long cpuNanos(String host, int port) throws IOException {
    String cpu = info(host, port, "cpu");
    double seconds = Double.parseDouble(field(host, port, cpu, "used_cpu_user"))
        + Double.parseDouble(field(host, port, cpu, "used_cpu_sys"));
    return Math.round(seconds * 1e9);
  }

  /** The text of {@code INFO section}. */
  private static String info(String host, int port, String section) throws IOException {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(host, port), 5_000);
      s.setSoTimeout(5_000);
      s.getOutputStream().write(("*2\r\n$4\r\nINFO\r\n$" + section.length() + "\r\n" + section + "\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      s.getOutputStream().flush();
      InputStream in = s.getInputStream();
      String head = line(in);
      if (!head.startsWith("$")) {
        throw new IOException("Redis at " + host + ":" + port + " answered INFO with '" + head + "'");
      }
      return new String(in.readNBytes(Integer.parseInt(head.substring(1))), StandardCharsets.US_ASCII);
    }
  }

  /** The value of one {@code name:value} line of an {@code INFO} text. */
  private static String field(String host, int port, String info, String name) throws IOException {
    for (String l : info.split("\r\n")) {
      if (l.startsWith(name + ":")) {
        return l.substring(name.length() + 1).strip();
      }
    }
    throw new IOException("Redis at " + host + ":" + port + " did not report " + name);
  }

  private static String line(InputStream in) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    for (int c; (c = in.read()) != '\n'; ) {
      if (c < 0) {
        throw new IOException("Redis closed the connection");
      }
      if (c != '\r') {
        b.write(c);
      }
    }
    return b.toString(StandardCharsets.US_ASCII);
  }
}
