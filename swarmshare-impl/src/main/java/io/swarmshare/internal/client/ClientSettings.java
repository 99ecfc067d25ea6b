package io.swarmshare.internal.client;

import io.swarmshare.api.PeerId;
import io.swarmshare.api.Tracker;
import io.swarmshare.api.spi.Transport;
import io.swarmshare.internal.download.DownloadSettings;
import io.swarmshare.internal.peer.PeerServer;
import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * Everything a client is built from; assembled by {@code SwarmShare.client()}.
 *
 * @param tracker the tracker to use
 * @param ownsTracker whether closing the client closes the tracker (true for a remote client it made)
 * @param transport how to reach peers and serve them
 * @param bind where to serve chunks (port 0 picks one)
 * @param advertisedHost the host put in announcements to an in-process tracker; a networked
 *     tracker uses the address the connection comes from instead
 * @param id this client's peer id
 * @param uploadBytesPerSecond client-wide upload limit, 0 for none
 * @param downloadBytesPerSecond client-wide download limit, 0 for none
 * @param announceInterval how often served files are re-announced, to stay within the tracker's time-to-live
 * @param download download engine tunables
 * @param serverCaps peer server caps
 * @param chunkSize chunk size of files this client shares
 * @param pieceStores opens the store of each download, or null for the default file store
 */
public record ClientSettings(
    Tracker tracker, boolean ownsTracker, Transport transport, InetSocketAddress bind, String advertisedHost,
    PeerId id, long uploadBytesPerSecond, long downloadBytesPerSecond, Duration announceInterval,
    DownloadSettings download, PeerServer.Caps serverCaps, int chunkSize,
    io.swarmshare.api.PieceStore.@org.jspecify.annotations.Nullable Factory pieceStores) {}
