package io.swarmshare.cli;

import io.swarmshare.TrackerBuilder;
import io.swarmshare.api.PeerAddress;
import org.jspecify.annotations.Nullable;

/** Where commands find the tracker: {@code --tracker}, else {@code $SWARMSHARE_TRACKER}, else 127.0.0.1:8888. */
final class TrackerAddress {
  static final String ENV = "SWARMSHARE_TRACKER";

  private TrackerAddress() {}

  static PeerAddress resolve(@Nullable String option) {
    String text = option != null ? option : System.getenv(ENV);
    String source = option != null ? "--tracker" : "$" + ENV;
    if (text == null || text.isBlank()) {
      return new PeerAddress("127.0.0.1", TrackerBuilder.DEFAULT_PORT);
    }
    try {
      return PeerAddress.parse(text, TrackerBuilder.DEFAULT_PORT);
    } catch (IllegalArgumentException e) {
      throw new Errors.UsageException(source + ": " + e.getMessage() + " (expected HOST:PORT, e.g. 127.0.0.1:8888)");
    }
  }
}
