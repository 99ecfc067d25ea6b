package io.swarmshare.api;

import java.net.InetSocketAddress;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Where a peer or tracker listens: a host name or literal IP address and a TCP port.
 *
 * @param host a host name or IP literal, never empty
 * @param port 1 to 65535
 */
public record PeerAddress(String host, int port) {
  /** Checks that the host is not blank and the port is in range. */
  public PeerAddress {
    Objects.requireNonNull(host, "host");
    if (host.isBlank() || host.length() > 255) {
      throw new IllegalArgumentException("host must be 1 to 255 characters");
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port must be 1 to 65535, got " + port);
    }
  }

  /**
   * Parses {@code HOST:PORT}, {@code [IPV6]:PORT}, or a bare {@code HOST} with
   * {@code defaultPort}.
   *
   * @param text the address as a user or a config file wrote it
   * @param defaultPort the port to use when the text names none
   * @return the address
   * @throws IllegalArgumentException with a message fit for a user if the text is malformed
   */
  public static PeerAddress parse(String text, int defaultPort) {
    String s = text.strip();
    if (s.isEmpty()) {
      throw new IllegalArgumentException("empty address; expected HOST:PORT");
    }
    String host;
    String port = null;
    if (s.startsWith("[")) {
      int close = s.indexOf(']');
      if (close < 0) {
        throw new IllegalArgumentException("unclosed '[' in address: " + text);
      }
      host = s.substring(1, close);
      if (close + 1 < s.length()) {
        if (s.charAt(close + 1) != ':') {
          throw new IllegalArgumentException("expected ':' after ']' in address: " + text);
        }
        port = s.substring(close + 2);
      }
    } else {
      int colon = s.lastIndexOf(':');
      if (colon >= 0 && s.indexOf(':') == colon) {
        host = s.substring(0, colon);
        port = s.substring(colon + 1);
      } else {
        host = s;
      }
    }
    int p = defaultPort;
    if (port != null) {
      try {
        p = Integer.parseInt(port);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("port is not a number in address: " + text);
      }
    }
    return new PeerAddress(host, p);
  }

  /**
   * Parses a comma-separated list of addresses, each as {@link #parse} takes it, such as the
   * nodes of one tracker: {@code a.example:8888,b.example:8888}. Duplicates are dropped.
   *
   * @param text addresses separated by commas
   * @param defaultPort the port for an address that names none
   * @return the addresses in the order given, without duplicates
   * @throws IllegalArgumentException with a message fit for a user if the list is empty or an
   *     address in it is malformed
   */
  public static List<PeerAddress> parseList(String text, int defaultPort) {
    Set<PeerAddress> addresses = new LinkedHashSet<>();
    for (String part : text.split(",", -1)) {
      if (part.isBlank()) {
        throw new IllegalArgumentException("empty address in list: '" + text + "'; expected HOST:PORT,HOST:PORT");
      }
      addresses.add(parse(part, defaultPort));
    }
    return List.copyOf(addresses);
  }

  /** {@return an unresolved socket address for connecting} */

  public InetSocketAddress toSocketAddress() {
    return InetSocketAddress.createUnresolved(host, port);
  }

  @Override
  public String toString() {
    return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
  }
}
