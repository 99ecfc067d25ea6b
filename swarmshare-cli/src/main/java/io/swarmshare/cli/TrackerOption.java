package io.swarmshare.cli;

import io.swarmshare.SwarmShare;
import io.swarmshare.api.PeerAddress;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/**
 * {@code --tracker HOST:PORT}, the one place commands learn where the tracker is: the flag,
 * else {@code $SWARMSHARE_TRACKER}, else 127.0.0.1:8888.
 */
final class TrackerOption {
  static final String ENV = "SWARMSHARE_TRACKER";

  @Option(names = {"-t", "--tracker"}, paramLabel = "HOST:PORT",
      description = "Tracker address (default: $" + ENV + ", else 127.0.0.1:8888).")
  @Nullable String tracker;

  /** True if the user named a tracker, by flag or environment. */
  boolean given() {
    return tracker != null || env() != null;
  }

  /**
   * The tracker to use.
   *
   * @throws Errors.UsageException if the flag or the variable is not an address
   */
  PeerAddress address() {
    String text = tracker != null ? tracker : env();
    if (text == null) {
      return new PeerAddress("127.0.0.1", SwarmShare.DEFAULT_TRACKER_PORT);
    }
    String source = tracker != null ? "--tracker" : "$" + ENV;
    try {
      return PeerAddress.parse(text, SwarmShare.DEFAULT_TRACKER_PORT);
    } catch (IllegalArgumentException e) {
      throw new Errors.UsageException(source + ": " + e.getMessage() + " (expected HOST:PORT, e.g. 127.0.0.1:8888)");
    }
  }

  private static @Nullable String env() {
    String v = System.getenv(ENV);
    return v == null || v.isBlank() ? null : v;
  }
}
