package io.swarmshare;

import io.swarmshare.api.PeerId;
import io.swarmshare.api.SwarmException;
import io.swarmshare.api.Tracker;
import io.swarmshare.api.spi.Transport;
import io.swarmshare.internal.tracker.InMemoryTracker;
import io.swarmshare.internal.tracker.ServerSettings;
import io.swarmshare.internal.tracker.TrackerLimits;
import io.swarmshare.internal.tracker.TrackerServer;
import io.swarmshare.internal.transport.TcpTransport;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Configures and starts a tracker that serves on a port and can be called in process too.
 * Get one from {@link SwarmShare#tracker()}:
 *
 * <pre>{@code
 * try (RunningTracker tracker = SwarmShare.tracker().port(8888).start()) {
 *   System.out.println("tracker at " + tracker.address());
 * }
 * }</pre>
 *
 * <p>Not thread-safe; each {@link #start()} starts an independent tracker.
 */
public final class TrackerBuilder {
  /** The port a tracker listens on unless told otherwise. */
  public static final int DEFAULT_PORT = 8888;

  private int port = DEFAULT_PORT;
  private String bind = "0.0.0.0";
  private Duration peerTtl = TrackerLimits.DEFAULT_PEER_TTL;
  private InstantSource clock = InstantSource.system();
  private ServerSettings server = ServerSettings.defaults();
  private Transport transport = new TcpTransport();
  private @Nullable Tracker store;
  private int httpPort = -1;
  private String httpBind = "127.0.0.1";

  TrackerBuilder() {}

  /**
   * Serves this tracker state instead of a fresh in-memory one: any {@link Tracker}, such as the
   * Redis-backed store of the {@code swarmshare-redis} module, through which several tracker
   * nodes share one swarm directory. The running tracker closes it when it stops. The store
   * keeps its own caps and peer time-to-live; {@link #peerTtl} and {@link #clock} then do not
   * apply. {@code null} goes back to the in-memory default.
   *
   * @param store the tracker state to serve, or null for a fresh in-memory one
   * @return this builder
   */
  public TrackerBuilder store(@Nullable Tracker store) {
    this.store = store;
    return this;
  }

  /**
   * The TCP port to listen on: {@value #DEFAULT_PORT} by default; 0 picks a free one.
   *
   * @param port 0 to 65535
   * @return this builder
   */
  public TrackerBuilder port(int port) {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be 0 to 65535, got " + port);
    }
    this.port = port;
    return this;
  }

  /**
   * The local address to listen on: {@code 0.0.0.0} (every IPv4 interface) by default, since a
   * tracker is there to be reached by other machines; {@code 127.0.0.1} keeps it to this one.
   *
   * @param host a local host name or IP literal
   * @return this builder
   */
  public TrackerBuilder bind(String host) {
    this.bind = Objects.requireNonNull(host, "host");
    return this;
  }

  /**
   * How long a peer stays listed after its last announce (default 60 seconds). A file that
   * nobody announced for this long is forgotten too.
   *
   * @param ttl how long an announce keeps a peer listed
   * @return this builder
   */
  public TrackerBuilder peerTtl(Duration ttl) {
    this.peerTtl = Objects.requireNonNull(ttl, "ttl");
    return this;
  }

  /**
   * The clock that ages peers; tests pass one they move by hand. Default: the system clock.
   *
   * @param clock the time source for peer time-to-live
   * @return this builder
   */
  public TrackerBuilder clock(InstantSource clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
    return this;
  }

  /**
   * Most open connections; one more is told {@code busy} and closed. Each running client holds
   * one. The default holds a quarter of the heap's worth of idle connections, from 1 024 to
   * 16 384 (see {@code docs/PERFORMANCE.md}); the process needs a file descriptor for each too.
   *
   * @param max the connection cap
   * @return this builder
   */
  public TrackerBuilder maxConnections(int max) {
    this.server = server.withMaxConnections(max);
    return this;
  }

  /**
   * Most open connections from one address (default 64), so one machine cannot take every slot;
   * one more is told {@code busy} and closed. Raise it when many clients reach the tracker from
   * one address, for example from behind one NAT.
   *
   * @param max most connections from one address, at least 1
   * @return this builder
   */
  public TrackerBuilder maxConnectionsPerAddress(int max) {
    this.server = server.withConnections(server.connections().withMaxPerAddress(max));
    return this;
  }

  /**
   * How long a connection may stay silent between requests (default 2 minutes) and how long one
   * request may take to arrive once it started (default 60 seconds).
   *
   * @param idle longest silence between requests
   * @param frame longest time for one request to arrive in full
   * @return this builder
   */
  public TrackerBuilder timeouts(Duration idle, Duration frame) {
    this.server = server.withTimeouts(idle, frame);
    return this;
  }

  /**
   * The tracker's own peer id, sent in its hello; random by default.
   *
   * @param id the id to send
   * @return this builder
   */
  public TrackerBuilder id(PeerId id) {
    this.server = server.withSelf(id);
    return this;
  }

  /**
   * The transport to listen on; plain TCP ({@link SwarmShare#tcp()}) by default. It sets the same
   * thing as {@link #tls}, and the last call wins: this replaces TLS set before.
   *
   * @param transport how connections are accepted
   * @return this builder
   */
  public TrackerBuilder transport(Transport transport) {
    this.transport = Objects.requireNonNull(transport, "transport");
    return this;
  }

  /**
   * Serves TLS 1.3 only, with this node's key and the swarm's trust store, so only holders of a
   * certificate the swarm trusts can connect; {@code null} goes back to plain TCP (the default).
   * It sets the same thing as {@link #transport}, and the last call wins: this replaces a transport
   * set before.
   *
   * @param tls this node's key and the swarm's trust store, or null for plain TCP
   * @return this builder
   */
  public TrackerBuilder tls(@Nullable TlsConfig tls) {
    this.transport = tls == null ? new TcpTransport() : tls.transport();
    return this;
  }

  /**
   * Also serves the tracker's figures over HTTP on this port: {@code /metrics} in the Prometheus
   * text format, a status page at {@code /} (files, seeders, leechers, completed downloads,
   * throughput), its data at {@code /status.json}, and {@code /healthz}. Off by default; 0 picks a
   * free port ({@link RunningTracker#httpAddress()} tells which). The page and metrics are
   * read-only and show what peers report; see {@code docs/OPERATIONS.md}.
   *
   * @param port 0 to 65535, or -1 for no HTTP server (the default)
   * @return this builder
   */
  public TrackerBuilder http(int port) {
    if (port < -1 || port > 65535) {
      throw new IllegalArgumentException("HTTP port must be 0 to 65535, or -1 for none, got " + port);
    }
    this.httpPort = port;
    return this;
  }

  /**
   * The local address the HTTP server of {@link #http(int)} listens on: {@code 127.0.0.1} by
   * default, so only this machine sees the figures (file names included) until the operator
   * chooses otherwise, for example {@code 0.0.0.0} for a Prometheus server elsewhere.
   *
   * @param host a local host name or IP literal
   * @return this builder
   */
  public TrackerBuilder httpBind(String host) {
    this.httpBind = Objects.requireNonNull(host, "host");
    return this;
  }

  /**
   * Binds the port and starts serving.
   *
   * @return the running tracker

   * @throws SwarmException if the address cannot be bound, for example because the port is in use
   */
  public RunningTracker start() throws SwarmException {
    Tracker tracker = store != null ? store : new InMemoryTracker(TrackerLimits.DEFAULTS.withPeerTtl(peerTtl), clock);
    InetSocketAddress address = new InetSocketAddress(bind, port);
    if (address.isUnresolved()) {
      throw new SwarmException("cannot listen on " + bind + ": unknown host");
    }
    InetSocketAddress httpAddress = httpPort < 0 ? null : new InetSocketAddress(httpBind, httpPort);
    if (httpAddress != null && httpAddress.isUnresolved()) {
      throw new SwarmException("cannot serve HTTP on " + httpBind + ": unknown host");
    }
    try {
      TrackerServer running = TrackerServer.start(tracker, transport, address, server);
      if (httpAddress == null) {
        return new RunningTracker(tracker, running, null);
      }
      try {
        return RunningTracker.withStatus(tracker, running, httpAddress);
      } catch (IOException e) {
        running.close();
        throw new SwarmException("cannot serve HTTP on " + httpBind + ":" + httpPort + ": "
            + (e instanceof BindException && String.valueOf(e.getMessage()).contains("in use")
                ? "the port is in use" : e.getMessage()), e);
      }
    } catch (BindException e) {
      throw new SwarmException("cannot listen on " + bind + ":" + port + ": "
          + (String.valueOf(e.getMessage()).contains("in use") ? "the port is in use (is another tracker running?)"
              : e.getMessage()), e);
    } catch (IOException e) {
      throw new SwarmException("cannot listen on " + bind + ":" + port + ": " + e.getMessage(), e);
    }
  }
}
