package io.swarmshare;

import io.swarmshare.api.Manifest;
import io.swarmshare.api.PeerAddress;
import io.swarmshare.api.PeerId;
import io.swarmshare.api.PieceStore;
import io.swarmshare.api.SwarmClient;
import io.swarmshare.api.SwarmException;
import io.swarmshare.api.Tracker;
import io.swarmshare.api.spi.Transport;
import io.swarmshare.internal.client.Client;
import io.swarmshare.internal.client.ClientSettings;
import io.swarmshare.internal.download.DownloadSettings;
import io.swarmshare.internal.peer.PeerServer;
import io.swarmshare.internal.protocol.Warmup;
import io.swarmshare.internal.tracker.FailoverTracker;
import io.swarmshare.internal.tracker.RemoteTracker;
import io.swarmshare.internal.transport.TcpTransport;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Configures and starts a {@link SwarmClient}. Obtain one from {@link SwarmShare#client()}; the
 * only required setting is the tracker. Not thread-safe; the client it starts is.
 *
 * <pre>{@code
 * try (SwarmClient client = SwarmShare.client().tracker("127.0.0.1:8888").start()) {
 *   client.download(id, Path.of("downloads")).await();
 * }
 * }</pre>
 */
public final class ClientBuilder {
  private @Nullable Tracker tracker;
  private List<PeerAddress> trackerAddresses = List.of();
  private Transport transport = new TcpTransport();
  private String bindHost = "0.0.0.0";
  private int port;
  private String advertisedHost = "127.0.0.1";
  private PeerId id = PeerId.random();
  /** The certificate's id while TLS is on: the only id this client may use. */
  private @Nullable PeerId certified;
  private long uploadRate;
  private long downloadRate;
  private PieceStore.@Nullable Factory pieceStores;
  private int chunkSize = Manifest.DEFAULT_CHUNK_SIZE;
  private Duration announceInterval = Duration.ofSeconds(20);
  private DownloadSettings download = DownloadSettings.DEFAULTS;
  private PeerServer.Caps caps = PeerServer.Caps.DEFAULTS;

  ClientBuilder() {}

  /**
   * Uses a tracker in this process, such as one from {@link SwarmShare#tracker()}; the client
   * does not close it.
   *
   * @param tracker the tracker to register and announce with
   * @return this builder
   */
  public ClientBuilder tracker(Tracker tracker) {
    this.tracker = Objects.requireNonNull(tracker);
    this.trackerAddresses = List.of();
    return this;
  }

  /**
   * Uses the tracker at {@code address}; the client connects, reconnects, and disconnects on close.
   *
   * @param address the tracker's host and port
   * @return this builder
   */
  public ClientBuilder tracker(PeerAddress address) {
    return trackers(List.of(address));
  }

  /**
   * Uses the nodes of one tracker at {@code addresses}, in order of preference: requests go to
   * the first that answers, a node that fails is passed over for 30 s, then tried first again.
   * The nodes should share their state (as tracker nodes on one Redis do); a node that does not
   * know a shared file is told about it again at the next announce.
   *
   * @param addresses the nodes' hosts and ports, most preferred first; not empty
   * @return this builder
   */
  public ClientBuilder trackers(List<PeerAddress> addresses) {
    if (addresses.isEmpty()) {
      throw new IllegalArgumentException("no tracker address given");
    }
    this.trackerAddresses = List.copyOf(addresses);
    this.tracker = null;
    return this;
  }

  /**
   * Uses the tracker at {@code HOST:PORT} (port 8888 if omitted), or the nodes of one tracker
   * given as a comma-separated list, as {@link #trackers(List)} does.
   *
   * @param hostPorts for example {@code tracker.example:8888} or {@code a:8888,b:8888}
   * @return this builder
   * @throws IllegalArgumentException if an address is malformed
   */
  public ClientBuilder tracker(String hostPorts) {
    return trackers(PeerAddress.parseList(hostPorts, SwarmShare.DEFAULT_TRACKER_PORT));
  }

  /**
   * The port to serve chunks on; 0 (the default) picks a free one.
   *
   * @param port 0 to 65535
   * @return this builder
   */
  public ClientBuilder port(int port) {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be 0 to 65535");
    }
    this.port = port;
    return this;
  }

  /**
   * The local address to serve chunks on; default all interfaces.
   *
   * @param host a local host name or IP literal
   * @return this builder
   */
  public ClientBuilder bind(String host) {
    this.bindHost = Objects.requireNonNull(host);
    return this;
  }

  /**
   * The host an in-process tracker hands to other peers (default 127.0.0.1). A networked
   * tracker ignores it and uses the address the connection comes from.
   *
   * @param host a host name or IP literal other peers can reach
   * @return this builder
   */
  public ClientBuilder advertisedHost(String host) {
    this.advertisedHost = Objects.requireNonNull(host);
    return this;
  }

  /**
   * This client's peer id; random by default. With TLS the id is derived from the certificate
   * ({@link TlsConfig#peerId()}) and cannot be chosen.
   *
   * @param id the id to send in every {@code hello}
   * @return this builder
   * @throws IllegalStateException if TLS is on and {@code id} is not the certificate's
   */
  public ClientBuilder peerId(PeerId id) {
    Objects.requireNonNull(id);
    if (certified != null && !certified.equals(id)) {
      throw new IllegalStateException("with TLS the peer id is derived from the certificate (" + certified
          + "); it cannot be " + id);
    }
    this.id = id;
    return this;
  }

  /**
   * The chunk size of files this client shares; 1 MiB by default.
   *
   * @param chunkSize a power of two from 16 KiB to 16 MiB
   * @return this builder
   */
  public ClientBuilder chunkSize(int chunkSize) {
    Manifest.checkLayout(0, chunkSize);
    this.chunkSize = chunkSize;
    return this;
  }

  /**
   * Client-wide upload limit; none by default.
   *
   * @param bytesPerSecond the limit; 0 or less for none
   * @return this builder
   */
  public ClientBuilder maxUploadRate(long bytesPerSecond) {
    this.uploadRate = Math.max(0, bytesPerSecond);
    return this;
  }

  /**
   * Client-wide download limit; none by default.
   *
   * @param bytesPerSecond the limit; 0 or less for none
   * @return this builder
   */
  public ClientBuilder maxDownloadRate(long bytesPerSecond) {
    this.downloadRate = Math.max(0, bytesPerSecond);
    return this;
  }

  /**
   * A peer that delivers no chunk for this long while chunks are asked of it is dropped, whatever
   * other frames it sends; default 15 s.
   *
   * @param timeout how long a peer may deliver nothing while asked
   * @return this builder
   * @throws IllegalArgumentException if it is zero or negative
   */
  public ClientBuilder stallTimeout(Duration timeout) {
    this.download = download.withStallTimeout(timeout);
    return this;
  }

  /**
   * A download with no reachable peer for this long fails (keeping what it verified); default 30 s.
   *
   * @param timeout how long a download may go without peers
   * @return this builder
   * @throws IllegalArgumentException if it is zero or negative
   */
  public ClientBuilder noPeersTimeout(Duration timeout) {
    this.download = download.withNoPeersTimeout(timeout);
    return this;
  }

  /**
   * How often a download asks the tracker for new peers and announces progress; default 1 s.
   *
   * @param interval time between tracker requests of one download
   * @return this builder
   * @throws IllegalArgumentException if it is zero or negative
   */
  public ClientBuilder trackerInterval(Duration interval) {
    this.download = download.withTrackerInterval(interval);
    return this;
  }

  /**
   * How often shared files are re-announced to stay within the tracker's time-to-live; default 20 s.
   *
   * @param interval time between announces; shorter than the tracker's time-to-live
   * @return this builder
   * @throws IllegalArgumentException if it is zero or negative
   */
  public ClientBuilder announceInterval(Duration interval) {
    this.announceInterval = DownloadSettings.positive("announce interval", interval);
    return this;
  }

  /**
   * Where downloads keep their chunks: by default one preallocated {@code .part} file per
   * download with a resume record beside it, moved to its final name when complete. A factory
   * of the application's own puts them anywhere a {@link PieceStore} can; the engine still
   * verifies every chunk and the whole file before it calls {@link PieceStore#complete()}.
   *
   * @param factory opens the store of each download
   * @return this builder
   */
  public ClientBuilder pieceStores(PieceStore.Factory factory) {
    this.pieceStores = Objects.requireNonNull(factory, "factory");
    return this;
  }

  /**
   * Most connections this client serves chunks on from one address (default 32), so one machine
   * cannot take every slot (256); one more is told {@code busy} and closed. Raise it to run many
   * peers on one host, as a simulation does.
   *
   * @param max most connections from one address, at least 1
   * @return this builder
   */
  public ClientBuilder maxConnectionsPerAddress(int max) {
    this.caps = caps.withConnections(caps.connections().withMaxPerAddress(max));
    return this;
  }

  /**
   * The transport for the tracker and peer connections; plain TCP ({@link SwarmShare#tcp()}) by
   * default. {@code transport} and {@link #tls} set the same thing and the last call wins: this
   * replaces TLS set before (the id TLS gave stays this client's id until {@link #peerId} changes
   * it, which it may again without TLS).
   *
   * @param transport how connections are made
   * @return this builder
   */
  public ClientBuilder transport(Transport transport) {
    this.transport = Objects.requireNonNull(transport);
    this.certified = null;
    return this;
  }

  /**
   * Speaks TLS 1.3 to the tracker and to peers, and serves chunks over TLS only, with this
   * node's key and the swarm's trust store; {@code null} goes back to plain TCP (the default).
   * It sets the same thing as {@link #transport}, and the last call wins: this replaces a transport
   * set before. With TLS the peer id becomes the one derived from
   * the certificate ({@link TlsConfig#peerId()}), replacing one set before: peers refuse any other.
   *
   * @param tls this node's key and the swarm's trust store, or null for plain TCP
   * @return this builder
   */
  public ClientBuilder tls(@Nullable TlsConfig tls) {
    this.transport = tls == null ? new TcpTransport() : tls.transport();
    this.certified = tls == null ? null : tls.peerId();
    if (certified != null) {
      this.id = certified;
    }
    return this;
  }

  /**
   * Warms the JIT up on background threads when the client starts (SHA-256, framing for files
   * of many chunks, and with TLS AES-GCM), so the first megabytes of a transfer run compiled
   * instead of interpreted; off by default, since it starts threads and spends CPU an
   * application did not ask for. Worth it for short-lived processes that move large files, as
   * the CLI is. Applies to the whole JVM, from this call on (call it before {@link #tls} for
   * the TLS warm-up).
   *
   * @param warmUp true to warm up; false leaves warm-ups as they are
   * @return this builder
   */
  public ClientBuilder warmUp(boolean warmUp) {
    if (warmUp) {
      Warmup.enable();
    }
    return this;
  }

  /**
   * Starts serving and returns the running client.
   *
   * @return the running client
   * @throws SwarmException if the port cannot be bound
   * @throws IllegalStateException if no tracker was set (a mistake in the calling code, not a condition to handle)
   */
  public SwarmClient start() throws SwarmException {
    Tracker t = tracker;
    boolean owns = false;
    if (t == null) {
      if (trackerAddresses.isEmpty()) {
        throw new IllegalStateException("no tracker set: call tracker(...) before start()");
      }
      t = FailoverTracker.connect(trackerAddresses, transport, id, RemoteTracker.Settings.DEFAULTS,
          FailoverTracker.DEFAULT_REST);
      owns = true;
    }
    return new Client(new ClientSettings(t, owns, transport, new InetSocketAddress(bindHost, port), advertisedHost,
        id, uploadRate, downloadRate, announceInterval, download, caps, chunkSize, pieceStores));
  }
}
