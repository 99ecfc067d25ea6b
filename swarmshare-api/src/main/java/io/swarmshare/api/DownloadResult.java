package io.swarmshare.api;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * A completed, verified download.
 *
 * @param id the file
 * @param path where it now lies, under its final name
 * @param size its size in bytes
 * @param elapsed from start to the final rename
 * @param chunksDownloaded chunks fetched from peers in this run
 * @param chunksResumed chunks kept from an earlier run
 * @param bytesFromPeer verified bytes received from each peer that sent any
 */
public record DownloadResult(
    FileId id, Path path, long size, Duration elapsed, int chunksDownloaded, int chunksResumed,
    Map<PeerId, Long> bytesFromPeer) {
  /** Copies the map, so the record stays immutable. */
  public DownloadResult {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(elapsed, "elapsed");
    bytesFromPeer = Map.copyOf(bytesFromPeer);
  }

  /** {@return how many peers sent verified chunks} */

  public int peers() {
    return bytesFromPeer.size();
  }
}
