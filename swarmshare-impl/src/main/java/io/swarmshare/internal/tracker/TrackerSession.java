package io.swarmshare.internal.tracker;

import io.swarmshare.api.Announcement;
import io.swarmshare.api.Bitfield;
import io.swarmshare.api.FileEntry;
import io.swarmshare.api.IntegrityException;
import io.swarmshare.api.MalformedManifestException;
import io.swarmshare.api.Manifest;
import io.swarmshare.api.PeerAddress;
import io.swarmshare.api.PeerInfo;
import io.swarmshare.api.ProtocolException;
import io.swarmshare.api.SwarmException;
import io.swarmshare.api.Tracker;
import io.swarmshare.api.TrackerUnavailableException;
import io.swarmshare.api.UnknownFileException;
import io.swarmshare.api.spi.Connection;
import io.swarmshare.internal.protocol.Acceptor;
import io.swarmshare.internal.protocol.DeadlineInputStream;
import io.swarmshare.internal.protocol.ErrorCode;
import io.swarmshare.internal.protocol.Errors;
import io.swarmshare.internal.protocol.FrameException;
import io.swarmshare.internal.protocol.FrameReader;
import io.swarmshare.internal.protocol.FrameWriter;
import io.swarmshare.internal.protocol.Handshake;
import io.swarmshare.internal.protocol.Header;
import io.swarmshare.internal.protocol.Inbound;
import io.swarmshare.internal.protocol.Limits;
import io.swarmshare.internal.protocol.Watchdog;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One client connection of a {@link TrackerServer}, on its own virtual thread: the hello, then
 * requests answered one by one in the order they arrive (so pipelined requests get their replies
 * in order). Every breach is answered with an {@code error} frame; breaches that leave the
 * stream unusable, or that only a hostile client commits, also close the connection. Nothing
 * thrown while serving escapes {@link #run()}.
 */
final class TrackerSession implements Runnable {
  private static final System.Logger LOG = System.getLogger("io.swarmshare.tracker");
  /** Small buffers: a server holds thousands of these, mostly idle. */
  private static final int BUFFER = 8 * 1024;

  private final Tracker tracker;
  private final OriginTracker updates;
  private final Acceptor.Admitted admitted;
  private final Connection connection;
  private final ServerSettings settings;
  private final ByteBudget bodies;
  private final AnnounceRate announceRate;
  private final TrackerCounters counters;
  private final Watchdog.Guard writeGuard;
  private final String who;
  /** Set when an error frame that closes the connection was sent, so the close lingers for it. */
  private boolean closingAfterError;

  TrackerSession(Tracker tracker, OriginTracker updates, Acceptor.Admitted admitted, ServerSettings settings,
      ByteBudget bodies, AnnounceRate announceRate, TrackerCounters counters, Watchdog watchdog) {
    this.counters = counters;
    this.tracker = tracker;
    this.updates = updates;
    this.admitted = admitted;
    this.connection = admitted.connection();
    this.settings = settings;
    this.bodies = bodies;
    this.announceRate = announceRate;
    this.writeGuard = watchdog.guard(connection::close);
    this.who = String.valueOf(connection.remoteAddress());
  }

  @Override
  public void run() {
    try {
      serve();
    } catch (SocketTimeoutException e) {
      LOG.log(Level.DEBUG, "{0}: {1}; closing", who, e.getMessage());
    } catch (IOException e) {
      LOG.log(Level.DEBUG, "{0}: connection ended: {1}", who, e.getMessage());
    } catch (RuntimeException e) {
      LOG.log(Level.DEBUG, who + ": connection failed", e);
    } finally {
      writeGuard.close();
      if (closingAfterError) {
        Errors.lingerThenClose(connection);
      } else {
        connection.close();
      }
    }
  }

  private void serve() throws IOException {
    DeadlineInputStream input = new DeadlineInputStream(connection, settings.idleTimeout(), settings.frameTimeout());
    FrameReader reader = new FrameReader(new BufferedInputStream(input, BUFFER), settings.limits());
    FrameWriter writer = new FrameWriter(new BufferedOutputStream(connection.output(), BUFFER));
    Handshake.Hello hello;
    try {
      writeGuard.arm(settings.writeTimeout());
      hello = Handshake.exchange(reader, writer, settings.self(), "tracker");
      admitted.helloDone();
    } catch (ProtocolException e) {
      LOG.log(Level.DEBUG, "{0}: handshake refused: {1}", who, e.getMessage());
      closingAfterError = e instanceof FrameException;
      return;
    } catch (SocketTimeoutException e) {
      answerTimeout(writer, e);
      throw e;
    } finally {
      writeGuard.disarm();
    }
    Requests requests = new Requests(reader, writer, hello);
    while (true) {
      input.awaitFrame();
      Header h;
      try {
        h = reader.next();
      } catch (FrameException e) {
        // No request id could be read, and an error without an id closes (docs/PROTOCOL.md section 6).
        send(writer, () -> Errors.sendQuietly(writer, -1, e));
        closingAfterError = true;
        return;
      } catch (SocketTimeoutException e) {
        answerTimeout(writer, e);
        throw e;
      }
      if (h == null) {
        return;
      }
      if (!requests.serve(h)) {
        return;
      }
    }
  }

  private void answerTimeout(FrameWriter writer, SocketTimeoutException e) {
    closingAfterError = true;
    send(writer, () -> Errors.sendQuietly(writer, -1, new FrameException(ErrorCode.IDLE_TIMEOUT, String.valueOf(e.getMessage()))));
  }

  private void send(FrameWriter writer, Runnable write) {
    writeGuard.arm(settings.writeTimeout());
    try {
      write.run();
    } finally {
      writeGuard.disarm();
    }
  }

  /** Serves the requests of one connection after its hello. */
  private final class Requests {
    private final FrameReader reader;
    private final FrameWriter writer;
    private final Handshake.Hello hello;
    private final String host;
    /** Who this connection's updates come from, as the tracker can verify it. */
    private final Origin origin;

    Requests(FrameReader reader, FrameWriter writer, Handshake.Hello hello) {
      this.reader = reader;
      this.writer = writer;
      this.hello = hello;
      InetSocketAddress remote = connection.remoteAddress();
      this.host = remote.getAddress() != null ? remote.getAddress().getHostAddress() : remote.getHostString();
      this.origin = new Origin(admitted.address(), connection.authenticatedPeer().orElse(null));
      InetSocketAddress local = connection.localAddress();
      // Peers on the tracker's own host are listed at a loopback address; a requester on another
      // host gets them at the address it used to reach the tracker instead, which reaches this host.
      this.ownHost = remote.getAddress() != null && !remote.getAddress().isLoopbackAddress()
          && local != null && local.getAddress() != null && !local.getAddress().isAnyLocalAddress()
          ? local.getAddress().getHostAddress() : null;
    }

    private final @Nullable String ownHost;

    private PeerInfo reachable(PeerInfo info) {
      if (ownHost == null || !isLoopback(info.address().host())) {
        return info;
      }
      return new PeerInfo(info.peer(), new PeerAddress(ownHost, info.address().port()), info.have(), info.lastSeen());
    }

    private static boolean isLoopback(String host) {
      return host.equals("localhost") || host.startsWith("127.") || host.equals("::1") || host.equals("0:0:0:0:0:0:0:1");
    }

    /** Answers one request; false if the connection must close. */
    boolean serve(Header h) throws IOException {
      long started = System.nanoTime();
      long id = -1;
      ErrorCode code;
      String message;
      try {
        if (Inbound.isError(h)) {
          // A client reporting an error expects no answer; an answer could loop between two sides.
          LOG.log(Level.DEBUG, "{0}: client reported an error: {1}", who, h);
          reader.skipBody();
          return !Errors.closes(h);
        }
        id = Inbound.requestId(h);
        TrackerRequest request = TrackerRequest.decode(h);
        Inbound.checkBody(h, request.bodyLength(), reader.bodyLength());
        answer(request, id);
        counters.answered(h.type(), System.nanoTime() - started);
        return true;
      } catch (FrameException e) {
        code = e.error();
        message = e.getMessage();
      } catch (UnknownFileException e) {
        code = ErrorCode.NOT_FOUND;
        message = e.getMessage();
      } catch (IntegrityException e) {
        code = ErrorCode.INTEGRITY;
        message = e.getMessage();
      } catch (MalformedManifestException e) {
        code = ErrorCode.BAD_REQUEST;
        message = "register: malformed manifest: " + e.getMessage();
      } catch (ProtocolException e) {
        code = switch (ErrorCode.fromWire(e.code())) {
          case BUSY -> ErrorCode.BUSY;
          case NOT_FOUND -> ErrorCode.NOT_FOUND;
          case INTEGRITY -> ErrorCode.INTEGRITY;
          case BAD_REQUEST -> ErrorCode.BAD_REQUEST;
          case FORBIDDEN -> ErrorCode.FORBIDDEN;
          default -> ErrorCode.INTERNAL;
        };
        message = e.getMessage();
      } catch (TrackerUnavailableException e) {
        // The store behind this node (Redis) is away for now: a retry, here or on another node, may work.
        code = ErrorCode.BUSY;
        message = "the tracker cannot answer now: " + e.getMessage();
      } catch (SwarmException e) {
        code = ErrorCode.INTERNAL;
        message = "the tracker failed: " + e.getMessage();
      } catch (IllegalArgumentException e) {
        code = ErrorCode.BAD_REQUEST;
        message = h.type() + ": " + e.getMessage();
      } catch (RuntimeException e) {
        LOG.log(Level.DEBUG, who + ": request " + h.type() + " failed", e);
        code = ErrorCode.INTERNAL;
        message = "the tracker failed to answer " + h.type();
      }
      counters.answered(h.type(), System.nanoTime() - started);
      counters.refused(code.wire());
      boolean closes = Errors.closes(id, code);
      if (!closes) {
        reader.skipBody();
      }
      FrameException error = new FrameException(code, message == null ? code.wire() : message);
      long echo = id;
      send(writer, () -> Errors.sendQuietly(writer, echo, error));
      if (closes) {
        closingAfterError = true;
        LOG.log(Level.DEBUG, "{0}: closing after {1}: {2}", who, code.wire(), message);
        return false;
      }
      return true;
    }

    private void answer(TrackerRequest request, long id) throws IOException {
      if (request instanceof TrackerRequest.Announce || request instanceof TrackerRequest.Leave) {
        awaitAnnounceTurn(request);
      }
      switch (request) {
        case TrackerRequest.Ping p -> reply(TrackerReplies.pong(id));
        case TrackerRequest.Register r -> register(r, id);
        case TrackerRequest.Announce a -> {
          Bitfield have = Bitfield.fromBytes(a.chunks(), reader.readBody((int) a.bodyLength()));
          // The host is where this connection comes from, never a host the client names.
          updates.announce(new Announcement(a.file(), hello.peer(), new PeerAddress(host, a.port()), have,
              a.progress(have)), origin);
          reply(TrackerReplies.ok(id));
        }
        case TrackerRequest.Leave l -> {
          updates.leave(l.file(), hello.peer(), origin);
          reply(TrackerReplies.ok(id));
        }
        case TrackerRequest.Peers p -> peers(p, id);
        case TrackerRequest.GetManifest g -> {
          Optional<Manifest> m = tracker.manifest(g.file());
          if (m.isEmpty()) {
            throw new UnknownFileException("the tracker does not know file " + g.file());
          }
          writeGuard.arm(settings.writeTimeout());
          try {
            writer.writeHead(TrackerReplies.manifestData(id, m.get()), m.get().canonicalLength());
            m.get().writeCanonical(writer.stream());
            writer.flush();
          } finally {
            writeGuard.disarm();
          }
        }
        case TrackerRequest.Search s -> {
          List<FileEntry> found = tracker.search(s.text(), Math.min(s.limit(), Limits.MAX_RESULTS_PER_REPLY));
          reply(TrackerReplies.searchResults(id, found.subList(0, Math.min(found.size(), Limits.MAX_RESULTS_PER_REPLY))));
        }
      }
    }

    /** Waits for this address's turn to announce or leave, at most a second; else busy. */
    private void awaitAnnounceTurn(TrackerRequest request) throws IOException {
      try {
        if (!announceRate.acquire(origin.address(), Duration.ofSeconds(1))) {
          throw new FrameException(ErrorCode.BUSY, request.type().wire() + ": your address sends more than "
              + settings.announcesPerSecond() + " announce and leave requests per second; slow down");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new java.io.InterruptedIOException("interrupted while waiting for the announce rate");
      }
    }

    private void register(TrackerRequest.Register r, long id) throws IOException {
      long length = r.bodyLength();
      boolean taken;
      try {
        taken = bodies.tryTake(length, settings.frameTimeout());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new java.io.InterruptedIOException("interrupted while waiting for room for a manifest");
      }
      if (!taken) {
        throw new FrameException(ErrorCode.BUSY, "the tracker is receiving too many manifests at once; try again");
      }
      try {
        Manifest m = Manifest.parse(reader.readBody((int) length));
        if (!m.id().equals(r.file())) {
          throw new IntegrityException("the manifest hashes to " + m.id() + ", not to " + r.file());
        }
        updates.register(m, r.name(), origin);
      } finally {
        bodies.give(length);
      }
      reply(TrackerReplies.ok(id));
    }

    private void peers(TrackerRequest.Peers p, long id) throws IOException {
      List<PeerInfo> found = tracker.peers(p.file(), Math.min(p.limit(), Limits.MAX_PEERS_PER_REPLY))
          .stream().map(this::reachable).toList();
      int chunks;
      if (found.isEmpty()) {
        chunks = tracker.manifest(p.file()).map(Manifest::chunkCount).orElse(0);
      } else {
        chunks = found.getFirst().have().size();
        // A backing tracker of another kind could mix sizes; the body layout cannot.
        found = found.stream().filter(i -> i.have().size() == chunks).limit(Limits.MAX_PEERS_PER_REPLY).toList();
      }
      writeGuard.arm(settings.writeTimeout());
      try {
        writer.writeHead(TrackerReplies.peerList(id, p.file(), chunks, found),
            TrackerReplies.peerListBodyLength(chunks, found.size()));
        for (PeerInfo info : found) {
          writer.stream().write(info.have().toByteArray());
        }
        writer.flush();
      } finally {
        writeGuard.disarm();
      }
    }

    private void reply(Header h) throws IOException {
      writeGuard.arm(settings.writeTimeout());
      try {
        writer.write(h);
        writer.flush();
      } finally {
        writeGuard.disarm();
      }
    }
  }
}
