package io.swarmshare.internal.download;

import java.time.Duration;

/**
 * Tunables of the download engine, with defaults chosen for a LAN or loopback swarm.
 *
 * @param maxPeers peers one download connects to at once
 * @param pipelineBytes bytes of requests kept in flight per peer (window = this / chunk size, 4 to 64 requests)
 * @param stallTimeout a peer that delivers no requested chunk this long while requests are pending is dropped
 * @param connectTimeout how long to wait for a peer's connection
 * @param trackerInterval how often to ask the tracker for new peers and announce progress
 * @param noPeersTimeout how long a download may go without any peer before it fails
 * @param strikesToBan bad chunks after which a peer is banned from the download
 */
public record DownloadSettings(
    int maxPeers, int pipelineBytes, Duration stallTimeout, Duration connectTimeout, Duration trackerInterval,
    Duration noPeersTimeout, int strikesToBan) {
  public static final DownloadSettings DEFAULTS = new DownloadSettings(
      16, 16 * 1024 * 1024, Duration.ofSeconds(15), Duration.ofSeconds(5), Duration.ofSeconds(1),
      Duration.ofSeconds(30), 3);

  /** Refuses settings that cannot work: a zero or negative timeout or interval, no peers. */
  public DownloadSettings {
    positive("stall timeout", stallTimeout);
    positive("connect timeout", connectTimeout);
    positive("tracker interval", trackerInterval);
    positive("no-peers timeout", noPeersTimeout);
    if (maxPeers < 1 || pipelineBytes < 1 || strikesToBan < 1) {
      throw new IllegalArgumentException("peers, pipeline bytes and strikes must be at least 1");
    }
  }

  /** Checks that {@code d} is a positive duration, naming {@code what} if not. */
  public static Duration positive(String what, Duration d) {
    java.util.Objects.requireNonNull(d, what);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(what + " must be positive, got " + d.toMillis() + " ms");
    }
    return d;
  }

  /** Requests in flight per peer for chunks of {@code chunkSize} bytes. */
  public int window(int chunkSize) {
    return Math.max(4, Math.min(64, pipelineBytes / chunkSize));
  }

  public DownloadSettings withStallTimeout(Duration d) {
    return new DownloadSettings(maxPeers, pipelineBytes, d, connectTimeout, trackerInterval, noPeersTimeout, strikesToBan);
  }

  public DownloadSettings withNoPeersTimeout(Duration d) {
    return new DownloadSettings(maxPeers, pipelineBytes, stallTimeout, connectTimeout, trackerInterval, d, strikesToBan);
  }

  public DownloadSettings withTrackerInterval(Duration d) {
    return new DownloadSettings(maxPeers, pipelineBytes, stallTimeout, connectTimeout, d, noPeersTimeout, strikesToBan);
  }
}
