package io.swarmshare.api;

import java.util.Objects;

/**
 * A peer's statement to a tracker: "I am {@code peer}, reachable at {@code address}, and I hold
 * these chunks of {@code file}". A networked tracker replaces the host with the one the
 * connection comes from, so a peer cannot point others at a third party.
 *
 * @param file the file the chunks belong to
 * @param peer the announcing peer
 * @param address where the peer serves chunks
 * @param have the chunks the peer holds, verified
 */
public record Announcement(FileId file, PeerId peer, PeerAddress address, Bitfield have) {
  /** Checks that no part is null. */
  public Announcement {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(peer, "peer");
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(have, "have");
  }
}
