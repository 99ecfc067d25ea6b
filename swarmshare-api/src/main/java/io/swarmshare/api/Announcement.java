package io.swarmshare.api;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A peer's statement to a tracker: "I am {@code peer}, reachable at {@code address}, and I hold
 * these chunks of {@code file}", with, optionally, what it has moved of the file so far. A
 * networked tracker replaces the host with the one the connection comes from, so a peer cannot
 * point others at a third party.
 *
 * @param file the file the chunks belong to
 * @param peer the announcing peer
 * @param address where the peer serves chunks
 * @param have the chunks the peer holds, verified
 * @param progress what the peer reports of its transfers of the file, or null if it reports
 *     nothing (as clients before these fields did)
 */
public record Announcement(FileId file, PeerId peer, PeerAddress address, Bitfield have, @Nullable Progress progress) {
  /** Checks that no part but {@code progress} is null. */
  public Announcement {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(peer, "peer");
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(have, "have");
  }

  /**
   * An announcement that reports no progress.
   *
   * @param file the file the chunks belong to
   * @param peer the announcing peer
   * @param address where the peer serves chunks
   * @param have the chunks the peer holds, verified
   */
  public Announcement(FileId file, PeerId peer, PeerAddress address, Bitfield have) {
    this(file, peer, address, have, null);
  }

  /**
   * What a peer says it has moved of one file, as BitTorrent clients report {@code uploaded},
   * {@code downloaded} and {@code left}. A tracker shows these figures to its operator and uses
   * them for nothing else: a peer can claim anything within the bounds.
   *
   * @param uploaded bytes of the file's chunks the peer sent to other peers since it started
   *     serving the file, 0 to {@link #MAX_BYTES}, or -1 if not reported
   * @param downloaded bytes of the file's chunks the peer received from other peers and verified
   *     since its download started (chunks resumed from an earlier run not included), 0 to
   *     {@link #MAX_BYTES}, or -1 if not reported
   * @param complete true once the peer holds the whole file, checked against the manifest's
   *     whole-file hash: a finished download, or a peer that shared its own copy
   */
  public record Progress(long uploaded, long downloaded, boolean complete) {
    /** The largest byte count a peer may report: 2^53 - 1, exact in a JSON double. */
    public static final long MAX_BYTES = (1L << 53) - 1;

    /** Checks the byte counts' bounds. */
    public Progress {
      if (uploaded < -1 || uploaded > MAX_BYTES || downloaded < -1 || downloaded > MAX_BYTES) {
        throw new IllegalArgumentException("uploaded and downloaded must be -1 or 0 to 2^53 - 1, got "
            + uploaded + " and " + downloaded);
      }
    }
  }
}
