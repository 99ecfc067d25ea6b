package io.swarmshare.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * HTTP/1.1 over a plain socket, one request per connection, for tests that must send what no
 * HTTP client library would (odd methods, odd paths, garbage) and read the answer as it comes.
 */
public final class RawHttp {
  private RawHttp() {}

  /**
   * One answer: its status code, headers (names lower-cased), and body.
   *
   * @param status the status code, or -1 if the server closed without a status line
   * @param headers the headers, lower-cased names
   * @param body the body as UTF-8 text
   */
  public record Response(int status, Map<String, String> headers, String body) {}

  /** Sends {@code method path} and reads the whole answer. */
  public static Response request(InetSocketAddress server, String method, String path) throws IOException {
    return raw(server, method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
  }

  /** Sends {@code request} as it is and reads until the server closes (within 10 s). */
  public static Response raw(InetSocketAddress server, String request) throws IOException {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", server.getPort()), 5_000);
      s.setSoTimeout(10_000);
      OutputStream out = s.getOutputStream();
      out.write(request.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = s.getInputStream();
      ByteArrayOutputStream all = new ByteArrayOutputStream();
      in.transferTo(all);
      String text = all.toString(StandardCharsets.UTF_8);
      int end = text.indexOf("\r\n\r\n");
      if (!text.startsWith("HTTP/1.1 ") || end < 0) {
        return new Response(-1, Map.of(), text);
      }
      String[] lines = text.substring(0, end).split("\r\n");
      Map<String, String> headers = new TreeMap<>();
      for (int i = 1; i < lines.length; i++) {
        int colon = lines[i].indexOf(':');
        headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
      }
      return new Response(Integer.parseInt(lines[0].substring(9, 12)), headers, text.substring(end + 4));
    }
  }
}
