package io.swarmshare.benchmarks.tracker;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * Reads {@code used_memory} from a Redis server's {@code INFO memory} over a plain socket (RESP),
 * so the benchmark can report the Redis memory per peer without a Redis client library.
 */
final class RedisInfo {
  private RedisInfo() {}

  /** Bytes Redis has allocated for its data ({@code used_memory}). */
  static long usedMemory(String host, int port) throws IOException {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(host, port), 5_000);
      s.setSoTimeout(5_000);
      s.getOutputStream().write("*2\r\n$4\r\nINFO\r\n$6\r\nmemory\r\n".getBytes(StandardCharsets.US_ASCII));
      s.getOutputStream().flush();
      InputStream in = s.getInputStream();
      String head = line(in);
      if (!head.startsWith("$")) {
        throw new IOException("Redis at " + host + ":" + port + " answered INFO with '" + head + "'");
      }
      byte[] body = in.readNBytes(Integer.parseInt(head.substring(1)));
      for (String l : new String(body, StandardCharsets.US_ASCII).split("\r\n")) {
        if (l.startsWith("used_memory:")) {
          return Long.parseLong(l.substring("used_memory:".length()).strip());
        }
      }
      throw new IOException("Redis at " + host + ":" + port + " did not report used_memory");
    }
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
