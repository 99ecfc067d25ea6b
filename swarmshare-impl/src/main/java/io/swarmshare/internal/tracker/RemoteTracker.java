package io.swarmshare.internal.tracker;

import io.swarmshare.api.Announcement;
import io.swarmshare.api.FileEntry;
import io.swarmshare.api.FileId;
import io.swarmshare.api.IntegrityException;
import io.swarmshare.api.Manifest;
import io.swarmshare.api.PeerAddress;
import io.swarmshare.api.PeerId;
import io.swarmshare.api.PeerInfo;
import io.swarmshare.api.ProtocolException;
import io.swarmshare.api.SwarmException;
import io.swarmshare.api.Tracker;
import io.swarmshare.api.TrackerUnavailableException;
import io.swarmshare.api.UnknownFileException;
import io.swarmshare.api.spi.Transport;
import io.swarmshare.internal.jfr.Recording;
import io.swarmshare.internal.protocol.ErrorCode;
import io.swarmshare.internal.protocol.Errors;
import io.swarmshare.internal.protocol.Header;
import io.swarmshare.internal.protocol.Limits;
import io.swarmshare.internal.protocol.MessageType;
import io.swarmshare.internal.protocol.Watchdog;
import java.io.EOFException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * A tracker on another machine, reached over a {@link Transport}: one long-lived connection,
 * opened on first use, on which requests from any number of threads pipeline. If the connection
 * fails it is opened again, with a bounded number of attempts and exponential backoff; since
 * every tracker request is idempotent, a request whose connection broke is sent once more on
 * the new one.
 *
 * <p>The client speaks for one peer, {@link #self()}: the id it sends in its hello is the one the
 * tracker files its announcements under, so {@link #announce} and {@link #leave} refuse other
 * peers with {@link IllegalArgumentException}. The tracker takes the host of an announcement
 * from the connection, never from the announcement.
 *
 * <p>Thread-safe. Failures: {@link TrackerUnavailableException} when the tracker cannot be
 * reached or does not answer in time, {@link UnknownFileException} and
 * {@link IntegrityException} as the tracker reports them (or when its manifest does not hash to
 * the id asked for), {@link ProtocolException} when it refuses a request (code {@code busy}
 * when one of its caps is reached), and {@link IllegalArgumentException} for arguments this
 * side can check.
 */
public final class RemoteTracker implements Tracker {
  /**
   * How the client waits and retries.
   *
   * @param connectTimeout longest wait to open a connection: the TCP connect (with TLS, its
   *     handshake) and the hello, as one budget. Shorter than the request timeout, because a
   *     node that is down or cut off shows itself here (its connections hang), while a busy one
   *     still accepts and greets within seconds
   * @param requestTimeout longest wait for one reply
   * @param connectAttempts connection attempts per request before giving up
   * @param backoff the pause before the second attempt; it doubles for each further one
   * @param limits the frame limits applied to replies
   */
  public record Settings(Duration connectTimeout, Duration requestTimeout, int connectAttempts, Duration backoff,
      Limits limits) {
    /** 10 s to connect and greet, 30 s per reply, 3 attempts, 100 ms then 200 ms between them. */
    public static final Settings DEFAULTS = new Settings(Duration.ofSeconds(10), Duration.ofSeconds(30), 3,
        Duration.ofMillis(100), Limits.DEFAULTS);

    /** Checks the numbers. */
    public Settings {
      Objects.requireNonNull(limits, "limits");
      if (connectTimeout.isNegative() || connectTimeout.isZero() || requestTimeout.isNegative()
          || requestTimeout.isZero() || connectAttempts < 1 || backoff.isNegative()) {
        throw new IllegalArgumentException("timeouts and attempts must be positive");
      }
    }
  }

  private final PeerAddress address;
  private final Transport transport;
  private final PeerId self;
  private final Settings settings;
  private final Watchdog watchdog;
  private final ReentrantLock connectLock = new ReentrantLock();
  private volatile @Nullable TrackerLink link;
  private volatile boolean closed;

  /** A client of the tracker at {@code address}; nothing is connected until the first request. */
  public RemoteTracker(PeerAddress address, Transport transport, PeerId self, Settings settings) {
    this.address = address;
    this.transport = transport;
    this.self = self;
    this.settings = settings;
    this.watchdog = Watchdog.shared(Watchdog.tickFor(settings.requestTimeout()));
  }

  /** The peer this client speaks for. */
  public PeerId self() {
    return self;
  }

  /** The tracker's address. */
  public PeerAddress address() {
    return address;
  }

  /** Checks that the tracker answers; opens the connection if needed. */
  public void ping() throws SwarmException {
    call(new TrackerRequest.Ping(), null, TrackerLink.BodyRule.NONE, MessageType.PONG);
  }

  @Override
  public void register(Manifest manifest, String name) throws SwarmException {
    TrackerLimits.checkName(name);
    call(TrackerRequest.Register.of(manifest, name), manifest::writeCanonical, TrackerLink.BodyRule.NONE,
        MessageType.OK);
  }

  @Override
  public void announce(Announcement a) throws SwarmException {
    speaksFor(a.peer());
    byte[] bits = a.have().toByteArray();
    call(TrackerRequest.Announce.of(a), out -> out.write(bits),
        TrackerLink.BodyRule.NONE, MessageType.OK);
  }

  @Override
  public void leave(FileId file, PeerId peer) throws SwarmException {
    speaksFor(peer);
    call(new TrackerRequest.Leave(file), null, TrackerLink.BodyRule.NONE, MessageType.OK);
  }

  @Override
  public List<PeerInfo> peers(FileId file, int limit) throws SwarmException {
    TrackerLimits.checkLimit(limit);
    int asked = Math.min(limit, Limits.MAX_PEERS_PER_REPLY);
    TrackerLink.Reply r = call(new TrackerRequest.Peers(file, asked), null,
        h -> TrackerReplies.peerListBodyLength(h.integer("chunks", 0, Manifest.MAX_CHUNKS), h.objects("peers").size()),
        MessageType.PEER_LIST);
    List<PeerInfo> peers = checked(() -> TrackerReplies.decodePeerList(r.header(), r.body()));
    return peers.size() <= asked ? peers : peers.subList(0, asked);
  }

  @Override
  public Optional<Manifest> manifest(FileId file) throws SwarmException {
    TrackerLink.Reply r;
    try {
      r = call(new TrackerRequest.GetManifest(file), null, TrackerReplies::manifestDataBodyLength,
          MessageType.MANIFEST_DATA);
    } catch (UnknownFileException e) {
      return Optional.empty();
    }
    return Optional.of(TrackerReplies.decodeManifest(r.body(), file));
  }

  @Override
  public List<FileEntry> search(String text, int limit) throws SwarmException {
    TrackerLimits.checkSearchText(text);
    TrackerLimits.checkLimit(limit);
    int asked = Math.min(limit, Limits.MAX_RESULTS_PER_REPLY);
    TrackerLink.Reply r = call(new TrackerRequest.Search(text, asked), null, TrackerLink.BodyRule.NONE,
        MessageType.SEARCH_RESULTS);
    List<FileEntry> found = checked(() -> TrackerReplies.decodeSearchResults(r.header()));
    return found.size() <= asked ? found : found.subList(0, asked);
  }

  /** Closes the connection if one is open; the next request opens a new one. */
  public void disconnect() {
    connectLock.lock();
    try {
      TrackerLink l = link;
      if (l != null) {
        l.close();
      }
      link = null;
    } finally {
      connectLock.unlock();
    }
  }

  /** Closes the connection; later calls throw {@link IllegalStateException}. Idempotent. */
  @Override
  public void close() {
    closed = true;
    disconnect();
  }

  @Override
  public String toString() {
    return "RemoteTracker[" + address + " as " + self + "]";
  }

  private void speaksFor(PeerId peer) {
    if (!peer.equals(self)) {
      throw new IllegalArgumentException("this tracker client speaks for peer " + self + ", not " + peer
          + "; the tracker files announcements under the id of the connection's hello");
    }
  }

  private TrackerLink.Reply call(TrackerRequest request, TrackerLink.@Nullable BodyWriter body,
      TrackerLink.BodyRule rule, MessageType expected) throws SwarmException {
    if (closed) {
      throw new IllegalStateException("this tracker client is closed");
    }
    if (!Recording.active()) {
      return attempt(request, body, rule, expected);
    }
    TrackerRequestEvent event = new TrackerRequestEvent();
    event.begin();
    String outcome = "failed";
    try {
      TrackerLink.Reply r = attempt(request, body, rule, expected);
      outcome = "ok";
      return r;
    } catch (ProtocolException e) {
      outcome = e.code();
      throw e;
    } catch (UnknownFileException e) {
      outcome = ErrorCode.NOT_FOUND.wire();
      throw e;
    } catch (TrackerUnavailableException e) {
      outcome = "unavailable";
      throw e;
    } finally {
      event.end();
      if (event.shouldCommit()) {
        event.type = request.type().wire();
        event.tracker = address.toString();
        event.outcome = outcome;
        event.commit();
      }
    }
  }

  private TrackerLink.Reply attempt(TrackerRequest request, TrackerLink.@Nullable BodyWriter body,
      TrackerLink.BodyRule rule, MessageType expected) throws SwarmException {
    for (int attempt = 0; ; attempt++) {
      TrackerLink l = link();
      TrackerLink.Reply r;
      try {
        r = l.call(request, body, rule, settings.requestTimeout());
      } catch (TrackerLink.LinkBrokenException e) {
        if (attempt >= 1 || closed) {
          throw new TrackerUnavailableException("tracker " + address + " dropped the connection ("
              + e.getMessage() + "); try again", e);
        }
        continue;
      } catch (SocketTimeoutException e) {
        throw new TrackerUnavailableException(e.getMessage() + "; it may be overloaded, try again", e);
      } catch (ProtocolException e) {
        throw new ProtocolException(e.code(), "tracker " + address + " sent a malformed " + expected.wire()
            + ": " + e.getMessage(), e);
      } catch (IOException e) {
        throw new TrackerUnavailableException("tracker " + address + ": " + e.getMessage(), e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new TrackerUnavailableException("interrupted while waiting for tracker " + address, e);
      }
      Header h = r.header();
      if (h.type().equals(MessageType.ERROR.wire())) {
        throw refused(request, h);
      }
      if (!h.type().equals(expected.wire())) {
        throw new ProtocolException(ErrorCode.BAD_REQUEST.wire(), "tracker " + address + " answered "
            + request.type().wire() + " with " + h.type() + ", not " + expected.wire());
      }
      return r;
    }
  }

  private SwarmException refused(TrackerRequest request, Header error) {
    ProtocolException p = Errors.fromFrame(error);
    return switch (ErrorCode.fromWire(p.code())) {
      case NOT_FOUND -> new UnknownFileException(String.valueOf(p.getMessage()));
      case INTEGRITY -> new IntegrityException(String.valueOf(p.getMessage()));
      default -> new ProtocolException(p.code(), "tracker " + address + " refused " + request.type().wire()
          + ": " + p.getMessage());
    };
  }

  private TrackerLink link() throws SwarmException {
    TrackerLink l = link;
    if (l != null && l.isOpen()) {
      return l;
    }
    connectLock.lock();
    try {
      l = link;
      if (l != null && l.isOpen()) {
        return l;
      }
      IOException last = null;
      for (int attempt = 0; attempt < settings.connectAttempts(); attempt++) {
        if (attempt > 0) {
          pause(settings.backoff().multipliedBy(1L << Math.min(attempt - 1, 10)));
        }
        try {
          l = TrackerLink.open(transport, address, self, settings.connectTimeout(), settings.requestTimeout(),
              settings.limits(), watchdog);
          link = l;
          return l;
        } catch (ProtocolException e) {
          if (!ErrorCode.BUSY.wire().equals(e.code())) {
            throw new ProtocolException(e.code(), "tracker " + address + " refused the connection: " + e.getMessage(), e);
          }
          last = e;
        } catch (javax.net.ssl.SSLException e) {
          // A refused certificate or a plain/TLS mismatch: trying again cannot help.
          throw unreachable(e);
        } catch (IOException e) {
          last = e;
        }
      }
      throw unreachable(Objects.requireNonNull(last));
    } finally {
      connectLock.unlock();
    }
  }

  private TrackerUnavailableException unreachable(IOException e) {
    String why;
    if (e instanceof ConnectException) {
      why = "connection refused";
    } else if (e instanceof UnknownHostException) {
      why = "unknown host";
    } else if (e instanceof NoRouteToHostException) {
      why = "no route to host";
    } else if (e instanceof SocketTimeoutException) {
      why = "timed out";
    } else if (e instanceof EOFException) {
      why = "it closed the connection during the hello";
    } else if (e instanceof javax.net.ssl.SSLException) {
      // A TLS refusal or mismatch: the message names the cause; "is it running?" would mislead.
      return new TrackerUnavailableException("tracker " + e.getMessage(), e);
    } else if (e instanceof ProtocolException) {
      return new TrackerUnavailableException("tracker " + address + " is busy (" + e.getMessage() + "); try later", e);
    } else {
      why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
    return new TrackerUnavailableException("tracker " + address + " is not reachable (" + why + "); is it running?", e);
  }

  private void pause(Duration d) throws TrackerUnavailableException {
    try {
      Thread.sleep(d);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TrackerUnavailableException("interrupted while reconnecting to tracker " + address, e);
    }
  }

  private interface Decoder<T> {
    T decode() throws io.swarmshare.internal.protocol.FrameException;
  }

  private <T> T checked(Decoder<T> d) throws ProtocolException {
    try {
      return d.decode();
    } catch (io.swarmshare.internal.protocol.FrameException e) {
      throw new ProtocolException(e.code(), "tracker " + address + " sent a malformed reply: " + e.getMessage(), e);
    }
  }
}
