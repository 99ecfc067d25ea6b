package io.swarmshare.api;

import java.util.List;
import java.util.Map;

/**
 * A snapshot of a running tracker, for dashboards and metrics.
 *
 * @param connections client connections open now
 * @param files files known now (registered or announced and not expired), or -1 if the tracker's
 *     store cannot count them cheaply
 * @param peers (file, peer) entries listed now, or -1 as for {@code files}
 * @param seeders entries whose peer holds every chunk, or -1 as for {@code files}
 * @param requests requests answered since the tracker started, by type ({@code announce},
 *     {@code peers}, ...; unknown types as {@code other})
 * @param errors errors sent since it started, by code ({@code busy}, {@code not_found}, ...)
 * @param completed downloads seen to finish since it started: a (file, peer) entry announced
 *     incomplete, then complete (see {@code docs/PROTOCOL.md}, {@code announce}); -1 if the store
 *     does not keep it
 * @param bytesUploaded bytes peers reported sending since the tracker started (the increase of
 *     each entry's reported count between its announces); -1 as for {@code completed}
 * @param bytesDownloaded bytes peers reported receiving, likewise; -1 as for {@code completed}
 * @param swarms the files known now, busiest (most peers) first; with a store that cannot list
 *     them cheaply, up to 50 found by an empty search, with -1 for what it cannot tell
 */
public record TrackerStats(int connections, int files, int peers, int seeders, Map<String, Long> requests,
    Map<String, Long> errors, long completed, long bytesUploaded, long bytesDownloaded, List<SwarmStats> swarms) {
  /** Copies the maps and the list, so a snapshot never changes. */
  public TrackerStats {
    requests = Map.copyOf(requests);
    errors = Map.copyOf(errors);
    swarms = List.copyOf(swarms);
  }

  /** {@return entries whose peer does not hold every chunk yet, or -1 if unknown} */
  public int leechers() {
    return peers < 0 || seeders < 0 ? -1 : peers - seeders;
  }
}
