package io.swarmshare.internal.tracker;

import io.swarmshare.api.SwarmStats;
import java.util.Comparator;
import java.util.List;

/**
 * What a tracker's store holds now and what its peers reported since it started: the part of
 * {@link io.swarmshare.api.TrackerStats} the store knows (the server knows the rest).
 *
 * @param files files listed now
 * @param peers (file, peer) entries listed now
 * @param seeders entries holding every chunk
 * @param completed downloads seen to finish
 * @param bytesUploaded bytes peers reported sending
 * @param bytesDownloaded bytes peers reported receiving
 * @param swarms every file, {@link #BUSIEST_FIRST}
 */
public record Census(int files, int peers, int seeders, long completed, long bytesUploaded, long bytesDownloaded,
    List<SwarmStats> swarms) {
  /** Most peers first, then by first name and id, so a page does not reorder rows that did not change. */
  public static final Comparator<SwarmStats> BUSIEST_FIRST = Comparator.comparingInt(SwarmStats::peers).reversed()
      .thenComparing(s -> s.names().isEmpty() ? "" : s.names().getFirst())
      .thenComparing(s -> s.id().hex());

  /** Copies the list. */
  public Census {
    swarms = List.copyOf(swarms);
  }
}
