package io.swarmshare.api;

import java.util.List;
import java.util.Objects;

/**
 * One file as a tracker sees it, for dashboards: its names and size, how many peers hold it, how
 * many downloads of it finished, and what its peers report having moved. Counts a tracker's store
 * cannot give cheaply are -1.
 *
 * @param id the file's id
 * @param names the names it was shared under, at least one
 * @param size its size in bytes
 * @param peers live peers listed for it
 * @param seeders those of them holding every chunk, or -1 if unknown
 * @param completed downloads of it that this tracker saw finish (a peer that announced it
 *     incomplete, then complete), since the tracker learnt of the file; -1 if unknown
 * @param bytesUploaded bytes its peers reported sending, summed over their announces since the
 *     tracker learnt of the file; -1 if unknown
 * @param bytesDownloaded bytes its peers reported receiving, likewise; -1 if unknown
 */
public record SwarmStats(FileId id, List<String> names, long size, int peers, int seeders, long completed,
    long bytesUploaded, long bytesDownloaded) {
  /** Checks that no part is null and copies the names. */
  public SwarmStats {
    Objects.requireNonNull(id, "id");
    names = List.copyOf(names);
  }

  /** {@return peers that do not hold every chunk yet, or -1 if unknown} */
  public int leechers() {
    return seeders < 0 ? -1 : peers - seeders;
  }
}
