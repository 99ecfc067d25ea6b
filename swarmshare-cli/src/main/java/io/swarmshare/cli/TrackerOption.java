package io.swarmshare.cli;

import io.swarmshare.SwarmShare;
import io.swarmshare.api.PeerAddress;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/** {@code --tracker HOST:PORT}, falling back to {@code SWARMSHARE_TRACKER}, then 127.0.0.1:8888. */
final class TrackerOption {
  @Option(names = {"-t", "--tracker"}, paramLabel = "HOST:PORT",
      description = "Tracker address (default: $SWARMSHARE_TRACKER, else 127.0.0.1:8888).")
  @Nullable String tracker;

  /** True if the user named a tracker, by flag or environment. */
  boolean given() {
    return tracker != null || env() != null;
  }

  PeerAddress address() {
    String text = tracker != null ? tracker : env();
    if (text == null) {
      return new PeerAddress("127.0.0.1", SwarmShare.DEFAULT_TRACKER_PORT);
    }
    try {
      return PeerAddress.parse(text, SwarmShare.DEFAULT_TRACKER_PORT);
    } catch (IllegalArgumentException e) {
      throw new Errors.UsageException("bad tracker address '" + text + "': " + e.getMessage());
    }
  }

  private static @Nullable String env() {
    String v = System.getenv("SWARMSHARE_TRACKER");
    return v == null || v.isBlank() ? null : v;
  }
}
