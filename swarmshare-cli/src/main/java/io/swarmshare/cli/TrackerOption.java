package io.swarmshare.cli;

import io.swarmshare.SwarmShare;
import io.swarmshare.api.PeerAddress;
import java.util.List;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/**
 * {@code --tracker HOST:PORT[,HOST:PORT...]}, the one place commands learn where the tracker is:
 * the flag, else {@code $SWARMSHARE_TRACKER}, else 127.0.0.1:8888. Several addresses are nodes of
 * one tracker, tried in order.
 */
final class TrackerOption {
  static final String ENV = "SWARMSHARE_TRACKER";

  @Option(names = {"-t", "--tracker"}, paramLabel = "HOST:PORT[,HOST:PORT...]",
      description = "Tracker address, or the nodes of one tracker separated by commas, tried in order"
          + " (default: $" + ENV + ", else 127.0.0.1:8888).")
  @Nullable String tracker;

  /** True if the user named a tracker, by flag or environment. */
  boolean given() {
    return tracker != null || env() != null;
  }

  /**
   * The tracker's nodes, in order of preference (one for a single tracker).
   *
   * @throws Errors.UsageException if the flag or the variable is not a list of addresses
   */
  List<PeerAddress> addresses() {
    String text = tracker != null ? tracker : env();
    if (text == null) {
      return List.of(new PeerAddress("127.0.0.1", SwarmShare.DEFAULT_TRACKER_PORT));
    }
    String source = tracker != null ? "--tracker" : "$" + ENV;
    try {
      return PeerAddress.parseList(text, SwarmShare.DEFAULT_TRACKER_PORT);
    } catch (IllegalArgumentException e) {
      throw new Errors.UsageException(source + ": " + e.getMessage()
          + " (expected HOST:PORT, or several separated by commas, e.g. 127.0.0.1:8888)");
    }
  }

  /** The addresses as the user wrote them, for messages. */
  static String describe(List<PeerAddress> addresses) {
    return addresses.stream().map(PeerAddress::toString).collect(Collectors.joining(","));
  }

  private static @Nullable String env() {
    String v = System.getenv(ENV);
    return v == null || v.isBlank() ? null : v;
  }
}
