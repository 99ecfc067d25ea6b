package io.swarmshare.api;

/**
 * A snapshot of a client's counters since it started, for dashboards and metrics (the
 * {@code swarmshare-micrometer} module binds them to a Micrometer registry). Cheap to take.
 *
 * @param bytesUploaded bytes of chunks sent to other peers
 * @param bytesDownloaded bytes of chunks received from peers and verified; chunks resumed from an
 *     earlier run are not counted
 * @param activeDownloads downloads running now
 * @param completedDownloads downloads that finished with a verified file
 * @param failedDownloads downloads that started and ended without one: failed or cancelled
 * @param sharedFiles files served now, shared or downloaded
 * @param peerConnections connections to and from other peers open now: downloads' sessions and
 *     the peers this client serves
 */
public record ClientStats(long bytesUploaded, long bytesDownloaded, int activeDownloads, long completedDownloads,
    long failedDownloads, int sharedFiles, int peerConnections) {}
