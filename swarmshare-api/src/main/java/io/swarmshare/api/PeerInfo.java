package io.swarmshare.api;

import java.time.Instant;
import java.util.Objects;

/**
 * A peer as a tracker knows it: where it serves a file, which chunks it holds, and when it
 * last announced.
 *
 * @param peer the peer's id
 * @param address where the peer serves chunks
 * @param have the chunks it announced
 * @param lastSeen when the tracker last heard from it
 */
public record PeerInfo(PeerId peer, PeerAddress address, Bitfield have, Instant lastSeen) {
  /** Checks that no part is null. */
  public PeerInfo {
    Objects.requireNonNull(peer, "peer");
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(have, "have");
    Objects.requireNonNull(lastSeen, "lastSeen");
  }
}
