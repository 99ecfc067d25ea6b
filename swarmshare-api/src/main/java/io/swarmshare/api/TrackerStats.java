package io.swarmshare.api;

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
 */
public record TrackerStats(int connections, int files, int peers, int seeders, Map<String, Long> requests,
    Map<String, Long> errors) {
  /** Copies the maps, so a snapshot never changes. */
  public TrackerStats {
    requests = Map.copyOf(requests);
    errors = Map.copyOf(errors);
  }
}
