package io.swarmshare.internal.download;

import io.swarmshare.api.DownloadEvent;
import io.swarmshare.api.Manifest;
import io.swarmshare.api.PeerAddress;
import io.swarmshare.api.PeerId;
import io.swarmshare.api.StorageException;
import io.swarmshare.api.spi.Transport;
import io.swarmshare.internal.peer.RateLimiter;
import io.swarmshare.internal.protocol.Watchdog;
import org.jspecify.annotations.Nullable;

/**
 * What a {@link PeerSession} may ask of the download it serves, and nothing more: the session
 * owns its connection and its use of the {@link ChunkPicker}; the download owns the store, the
 * verdicts on peers and the events.
 */
interface SessionContext {
  Manifest manifest();

  DownloadSettings settings();

  Transport transport();

  PeerId self();

  RateLimiter downloadLimiter();

  BufferPool buffers();

  /** The download's stall watchdog, started on first use. */
  Watchdog watchdog();

  /** True once the download has all its chunks, failed or was cancelled: sessions end. */
  boolean isFinished();

  /**
   * True if the peer at {@code address}, whose certificate proves {@code certified} (null
   * without TLS), is banned from this download. Never asks about a claimed id: anyone can claim one.
   */
  boolean isBanned(PeerAddress address, @Nullable PeerId certified);

  /** Counts a bad chunk against the session's peer (its address, or certificate); true if it is now banned. */
  boolean strike(PeerSession session);

  /** Bans the session's peer (its address, and certificate) for the rest of the download. */
  void ban(PeerSession session, String reason);

  /** A chunk whose bytes matched the manifest: store it. The buffer stays the caller's. */
  void chunkVerified(int chunk, PeerId from, ChunkBuffer buffer) throws StorageException;

  /** The session finished its handshake: the peer is reachable. */
  void connected(PeerSession session);

  /** The session ended, for {@code reason}. */
  void sessionEnded(PeerSession session, String reason);

  void event(DownloadEvent e);
}
