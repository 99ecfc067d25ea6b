package io.swarmshare.api;

/**
 * Something that happened in a download, delivered to {@link Download#onEvent} listeners.
 * A sealed family of records, so a {@code switch} over it is checked for completeness.
 */
public sealed interface DownloadEvent {
  /**
   * The manifest was fetched and matches the id.
   *
   * @param manifest the verified manifest
   */
  record ManifestVerified(Manifest manifest) implements DownloadEvent {}

  /**
   * Leftovers of an earlier run were examined.
   *
   * @param kept chunks that re-hashed correctly and are kept
   * @param discarded chunks the record named that failed to verify
   * @param note why leftovers were discarded wholesale, or empty
   */
  record ResumeChecked(int kept, int discarded, String note) implements DownloadEvent {}

  /**
   * A connection to a peer is up.
   *
   * @param peer the peer's id
   * @param address where it was reached
   */
  record PeerConnected(PeerId peer, PeerAddress address) implements DownloadEvent {}

  /**
   * A connection to a peer ended; its requests go to others.
   *
   * @param peer the peer's id
   * @param reason why it ended, in a few words
   */
  record PeerDisconnected(PeerId peer, String reason) implements DownloadEvent {}

  /**
   * A chunk arrived and matched its hash.
   *
   * @param index the chunk's index
   * @param from the peer that sent it
   */
  record ChunkVerified(int index, PeerId from) implements DownloadEvent {}

  /**
   * A chunk arrived that did not match its hash; it was discarded and the peer struck.
   *
   * @param index the chunk's index
   * @param from the peer that sent it
   */
  record ChunkRejected(int index, PeerId from) implements DownloadEvent {}

  /**
   * A peer was banned from this download, after repeated bad chunks or for abusing the protocol.
   * The ban applies to what was verified about it: the {@code address} it was reached at and,
   * over TLS, its certificate, never to the {@code peer} id it merely claimed, which another may
   * claim too.
   *
   * @param peer the id the banned peer gave
   * @param address the address it was reached at, which the ban covers
   * @param reason why, in a few words
   */
  record PeerBanned(PeerId peer, PeerAddress address, String reason) implements DownloadEvent {}

  /**
   * Few chunks remain; they are now requested from several peers at once.
   *
   * @param remainingChunks chunks not yet verified when the endgame began
   */
  record EndgameStarted(int remainingChunks) implements DownloadEvent {}

  /**
   * The whole file was verified and moved to its final name.
   *
   * @param result the completed download
   */
  record Completed(DownloadResult result) implements DownloadEvent {}

  /**
   * The download stopped without completing.
   *
   * @param error why; a {@link DownloadCancelledException} if it was cancelled
   */

  record Failed(SwarmException error) implements DownloadEvent {}
}
