package io.swarmshare.internal.peer;

import io.swarmshare.api.FileId;
import io.swarmshare.api.PeerId;
import io.swarmshare.api.PieceStore;
import io.swarmshare.api.spi.Connection;
import io.swarmshare.api.spi.Listener;
import io.swarmshare.api.spi.Transport;
import io.swarmshare.internal.protocol.Acceptor;
import io.swarmshare.internal.protocol.ConnectionLimits;
import io.swarmshare.internal.protocol.ErrorCode;
import io.swarmshare.internal.protocol.Errors;
import io.swarmshare.internal.protocol.FrameException;
import io.swarmshare.internal.protocol.FrameReader;
import io.swarmshare.internal.protocol.FrameWriter;
import io.swarmshare.internal.protocol.Handshake;
import io.swarmshare.internal.protocol.Header;
import io.swarmshare.internal.protocol.Inbound;
import io.swarmshare.internal.protocol.Limits;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.lang.System.Logger.Level;
import org.jspecify.annotations.Nullable;

/**
 * Serves the chunks of {@link ServedFiles} to other peers: the shared {@link Acceptor} admits
 * connections within {@link Caps#connections()} (in all, per address, hello deadline), and each
 * connection gets a reader thread (parses requests into a bounded queue, handles
 * {@code cancel}) and a writer thread (answers the queue in order). Chunks are sent with
 * {@code transferTo} where the transport allows, and never re-hashed: a store holds only
 * verified chunks.
 *
 * <p>Every breach of the protocol or a limit ends in an error frame and/or a close of that one
 * connection; nothing a peer sends can take the server down.
 */
public final class PeerServer implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(PeerServer.class.getName());

  /**
   * Caps of the server.
   *
   * @param connections open connections at once, in all and per address (more are answered
   *     {@code busy} and closed), and the hello deadline
   * @param maxQueuedRequests requests queued per connection; more are answered {@code busy}
   * @param idleTimeout a connection silent this long is closed
   */
  public record Caps(ConnectionLimits connections, int maxQueuedRequests, Duration idleTimeout) {
    /** {@link ConnectionLimits#PEER}, 128 queued requests, 2 minutes idle. */
    public static final Caps DEFAULTS = new Caps(ConnectionLimits.PEER, 128, Duration.ofMinutes(2));

    /** Caps with the default per-address cap and hello deadline. */
    public Caps(int maxConnections, int maxQueuedRequests, Duration idleTimeout) {
      this(ConnectionLimits.PEER.withMaxConnections(maxConnections), maxQueuedRequests, idleTimeout);
    }

    /** A copy with other connection caps. */
    public Caps withConnections(ConnectionLimits limits) {
      return new Caps(limits, maxQueuedRequests, idleTimeout);
    }
  }

  private final Listener listener;
  private final PeerId self;
  private final ServedFiles files;
  private final RateLimiter upload;
  private final Caps caps;
  private final Limits limits;
  private final AtomicLong bytesServed = new AtomicLong();
  private final SeedSpread spread = new SeedSpread();
  /** A get that would wait longer than this for the upload limit is answered busy instead. */
  static final long MAX_BACKLOG_NANOS = TimeUnit.MILLISECONDS.toNanos(Long.getLong("swarmshare.maxBacklogMs", 1000));
  private final Acceptor acceptor;
  private volatile boolean closed;

  public PeerServer(Transport transport, InetSocketAddress bind, PeerId self, ServedFiles files, RateLimiter upload,
      Caps caps) throws IOException {
    this.listener = transport.listen(bind);
    this.self = self;
    this.files = files;
    files.onRemoved(spread::forget); // a file no longer served leaves no rounds behind
    this.upload = upload;
    this.caps = caps;
    this.limits = new Limits(Limits.DEFAULT_MAX_HEADER_BYTES, 1024, Limits.DEFAULT_MAX_DEPTH,
        Limits.DEFAULT_MAX_STRING_LENGTH, Limits.DEFAULT_MAX_ARRAY_ITEMS);
    this.acceptor = Acceptor.start("peer", listener, caps.connections(), this::serve);
  }

  /** The address the server listens on. */
  public InetSocketAddress address() {
    return listener.localAddress();
  }

  /** Bytes of chunk bodies sent so far. */
  /** Connections open now, from peers this server serves. */
  public int openConnections() {
    return acceptor.openConnections();
  }

  public long bytesServed() {
    return bytesServed.get();
  }

  /** What the writer of a connection does next, in the order the reader queued it. */
  private sealed interface Job {
    /** Answers a request. */
    record Answer(long id, PeerRequest request) implements Job {}

    /** Sends an error frame as it is. */
    record Refusal(long id, Header frame) implements Job {}

    /** Work without a request: send the gathered {@code have}s, or finish and stop. */
    enum Signal implements Job { HAVE, STOP }
  }

  /**
   * The {@code get} a connection's writer has taken and not yet begun to send, so that a
   * {@code cancel} arriving while it waits for the upload limit withdraws it. A chunk the
   * downloader got elsewhere meanwhile (an endgame loser, the usual case) is then not sent and
   * its share of the limit goes back: in a swarm whose uplinks are all booked, those duplicates
   * were what the last chunks queued behind. The writer calls {@link #take} and then
   * {@link #commit}; the reader calls {@link #cancel}.
   */
  private static final class Answering {
    private static final long NONE = -1;
    private static final long WITHDRAWN = -2;
    /** The id taken and not committed; {@link #WITHDRAWN} once cancelled; {@link #NONE} otherwise. */
    private final AtomicLong taken = new AtomicLong(NONE);

    void take(long id) {
      taken.set(id);
    }

    void cancel(long id) {
      taken.compareAndSet(id, WITHDRAWN);
    }

    /**
     * True if {@code id}, taken with {@link #take}, may be sent: it was not cancelled meanwhile,
     * and a cancel from now on comes too late (the reply is allowed, docs/PROTOCOL.md `cancel`).
     */
    boolean commit(long id) {
      return taken.compareAndSet(id, NONE);
    }
  }

  private void serve(Acceptor.Admitted admitted) {
    Connection c = admitted.connection();
    FrameWriter writer;
    FrameReader reader;
    Handshake.Hello hello;
    try {
      c.readTimeout(caps.idleTimeout());
      reader = new FrameReader(new java.io.BufferedInputStream(c.input(), 16 * 1024), limits);
      // Headers and batched haves; a chunk's body goes by sendfile, or over TLS in writes larger
      // than the buffer, which pass it by.
      writer = new FrameWriter(c.output(), 16 * 1024);
      hello = Handshake.exchange(reader, writer, self, PeerMessages.ROLE);
      Handshake.certify(hello, c, writer);
      admitted.helloDone();
    } catch (IOException e) {
      LOG.log(Level.DEBUG, "handshake with {0} failed: {1}", c.remoteAddress(), e.getMessage());
      return;
    }
    BlockingQueue<Job> queue = new ArrayBlockingQueue<>(caps.maxQueuedRequests() + 1);
    // A full queue needs no wake-up: the writer looks at the feed after every job it sends.
    HaveFeed feed = hello.speaks(Handshake.FEATURE_HAVE) ? new HaveFeed(files, () -> queue.offer(Job.Signal.HAVE)) : null;
    Answering answering = new Answering();
    Thread writerThread = Thread.ofVirtual().name("swarmshare-peer-send")
        .start(() -> sendLoop(c, writer, queue, feed, answering));
    boolean breached = false;
    try {
      breached = readLoop(reader, queue, feed, answering);
    } catch (FrameException e) {
      breached = true;
      enqueueFinal(queue, new Job.Refusal(-1, Errors.frame(-1, e.error(), String.valueOf(e.getMessage()))));
    } catch (SocketTimeoutException e) {
      breached = true;
      enqueueFinal(queue, new Job.Refusal(-1,
          Errors.frame(-1, ErrorCode.IDLE_TIMEOUT, "idle for " + caps.idleTimeout().toSeconds() + " s")));
    } catch (IOException e) {
      LOG.log(Level.DEBUG, "peer {0} went away: {1}", c.remoteAddress(), e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (feed != null) {
      feed.close();
    }
    enqueueFinal(queue, Job.Signal.STOP);
    try {
      // Let the writer finish answering what was asked before the connection closes.
      if (!writerThread.join(Duration.ofSeconds(30))) {
        c.close();
      } else if (breached) {
        Errors.lingerThenClose(c);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void enqueueFinal(BlockingQueue<Job> queue, Job job) {
    // The queue has one slot beyond the cap for this, but drop queued work if it is full.
    while (!queue.offer(job)) {
      queue.poll();
    }
  }

  /**
   * Reads requests into the queue until the connection ends. A connection is idle, and closed,
   * when it asks nothing that is answered (a {@code get}, {@code bitfield} or {@code manifest})
   * for the idle timeout: other frames do not keep it open. Frames that are no valid request
   * count against {@link UnsolicitedFrames}; past that budget the connection is closed.
   *
   * @return true if it ends on a breach answered with a closing error (already queued)
   * @throws FrameException for a frame that could not be read, to be answered without an id
   */
  private boolean readLoop(FrameReader reader, BlockingQueue<Job> queue, @Nullable HaveFeed feed,
      Answering answering) throws IOException, InterruptedException {
    UnsolicitedFrames unsolicited = new UnsolicitedFrames();
    long lastAsked = System.nanoTime();
    while (!closed) {
      Header h = reader.next();
      if (h == null) {
        return false;
      }
      if (System.nanoTime() - lastAsked > caps.idleTimeout().toNanos()) {
        throw new SocketTimeoutException("no request for " + caps.idleTimeout().toSeconds() + " s");
      }
      long id = -1;
      try {
        if (Inbound.isError(h)) {
          // Never answered; one that closes ends the connection (docs/PROTOCOL.md section 6).
          reader.skipBody();
          if (Errors.closes(h)) {
            return false;
          }
          continue;
        }
        id = Inbound.requestId(h);
        PeerRequest request = PeerRequest.decode(h);
        Inbound.checkBody(h, 0, reader.bodyLength()); // no peer request carries a body
        switch (request) {
          case PeerRequest.Cancel c -> {
            long target = id;
            queue.removeIf(j -> j instanceof Job.Answer a && a.id() == target && a.request() instanceof PeerRequest.Get);
            answering.cancel(target);
          }
          case PeerRequest.AskBitfield ask -> {
            if (feed != null && files.get(ask.file()) != null) {
              feed.watch(ask.file()); // before the bitfield is taken, so no chunk falls between the two
            }
            offer(queue, new Job.Answer(id, request));
          }
          case PeerRequest.Get g -> offer(queue, new Job.Answer(id, request));
          case PeerRequest.AskManifest m -> offer(queue, new Job.Answer(id, request));
        }
        if (!(request instanceof PeerRequest.Cancel)) {
          lastAsked = System.nanoTime();
        }
      } catch (FrameException e) {
        Job.Refusal refusal = new Job.Refusal(id, Errors.frame(id, e.error(), String.valueOf(e.getMessage())));
        if (Errors.closes(id, e.error())) {
          enqueueFinal(queue, refusal);
          return true;
        }
        if (unsolicited.count()) {
          throw new FrameException(ErrorCode.BAD_REQUEST, "more than " + UnsolicitedFrames.BUDGET
              + " frames that are no valid request; closing (the last: " + e.getMessage() + ")");
        }
        reader.skipBody();
        offer(queue, refusal);
      }
    }
    return false;
  }

  private void offer(BlockingQueue<Job> queue, Job.Answer job) throws InterruptedException {
    if (queue.remainingCapacity() <= 1) {
      // Over the cap: answer busy through the queue so answers stay in order; wait for room.
      queue.put(new Job.Refusal(job.id(),
          Errors.frame(job.id(), ErrorCode.BUSY, "more than " + caps.maxQueuedRequests() + " requests queued")));
      return;
    }
    queue.put(job);
  }

  private void offer(BlockingQueue<Job> queue, Job.Refusal job) throws InterruptedException {
    queue.put(job);
  }

  private void sendLoop(Connection c, FrameWriter writer, BlockingQueue<Job> queue, @Nullable HaveFeed feed,
      Answering answering) {
    WritableByteChannel zeroCopy = c.zeroCopyChannel();
    ByteBuffer buffer = null;
    try {
      while (true) {
        Job job = queue.take();
        switch (job) {
          case Job.Signal.STOP -> {
            writer.flush();
            return;
          }
          case Job.Signal.HAVE -> { } // the feed is drained below
          case Job.Refusal r -> writer.write(r.frame());
          case Job.Answer a -> {
            switch (a.request()) {
              case PeerRequest.Get g -> buffer = sendChunk(writer, a.id(), g, feed, zeroCopy, buffer, answering);
              case PeerRequest.AskBitfield ask -> {
                PieceStore store = files.get(ask.file());
                if (store == null) {
                  writer.write(notServed(a.id(), ask.file()));
                } else {
                  var have = store.verified();
                  byte[] bytes = have.toByteArray();
                  writer.write(PeerMessages.bitfieldResponse(a.id(), ask.file(), have), bytes, 0, bytes.length);
                }
              }
              case PeerRequest.AskManifest ask -> {
                PieceStore store = files.get(ask.file());
                if (store == null) {
                  writer.write(notServed(a.id(), ask.file()));
                } else {
                  byte[] bytes = store.manifest().canonicalBytes();
                  writer.write(PeerMessages.manifestResponse(a.id(), store.manifest()), bytes, 0, bytes.length);
                }
              }
              case PeerRequest.Cancel cancel -> { } // handled by the reader; never queued
            }
          }
        }
        if (feed != null && feed.hasPending()) {
          sendHaves(writer, feed);
        }
        // Flush only when nothing else is waiting: pipelined answers share packets.
        if (queue.isEmpty()) {
          writer.flush();
        }
      }
    } catch (IOException e) {
      LOG.log(Level.DEBUG, "sending to {0} failed: {1}", c.remoteAddress(), e.getMessage());
      c.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      c.close();
    }
  }

  private static Header notServed(long id, FileId file) {
    return Errors.frame(id, ErrorCode.NOT_FOUND, "file " + file.shortForm() + " is not served here");
  }

  /**
   * Answers a {@code get}: the chunk from the store (zero-copy where the connection allows), or
   * {@code not_found}, or, from a seed spreading its chunks, {@code elsewhere}.
   *
   * @return the heap buffer to reuse for the next chunk
   */
  private @Nullable ByteBuffer sendChunk(FrameWriter writer, long id, PeerRequest.Get get, @Nullable HaveFeed feed,
      @Nullable WritableByteChannel zeroCopy, @Nullable ByteBuffer buffer, Answering answering)
      throws IOException, InterruptedException {
    answering.take(id);
    PieceStore store = files.get(get.file());
    int chunk = get.chunk();
    if (store == null || chunk >= store.manifest().chunkCount() || !store.has(chunk)) {
      writer.write(store == null ? notServed(id, get.file())
          : Errors.frame(id, ErrorCode.NOT_FOUND, "chunk " + chunk + " is not held here"));
      return buffer;
    }
    int length = store.manifest().chunkLength(chunk);
    // Only a seed that shared the file spreads it: one that downloaded it came late to a swarm
    // whose peers all want the same last chunks.
    boolean spreading = feed != null && files.watchers(get.file()) > 1 && store.verified().isComplete()
        && files.moved(get.file()).downloaded() == 0;
    if (spreading) {
      SeedSpread.Refusal no = spread.claim(get.file(), store.manifest().chunkCount(), chunk);
      if (no != null) {
        List<Long> suggest = new ArrayList<>(no.suggest().length);
        for (int s : no.suggest()) {
          suggest.add((long) s);
        }
        writer.write(Errors.frame(id, ErrorCode.ELSEWHERE, "chunk " + chunk
                + " went to other peers this round; fetch it from the swarm, or one of the suggested chunks from here")
            .with("retryMs", Math.min(60_000, no.retryMs())).with("suggest", suggest));
        return buffer;
      }
    }
    try {
      // The uplink booked for a while: a requester that waits here ties up a chunk it could get
      // elsewhere. Tell it when to ask again; it takes the chunk from others meanwhile. (Only
      // clients that speak `have` know to; others wait their turn.)
      long backlog = upload.acquireWithin(length, feed == null ? Long.MAX_VALUE : MAX_BACKLOG_NANOS);
      if (backlog > 0) {
        if (spreading) {
          spread.unclaim(get.file(), chunk);
          spreading = false;
        }
        writer.write(Errors.frame(id, ErrorCode.BUSY, "the upload limit is booked for "
            + TimeUnit.NANOSECONDS.toMillis(backlog) + " ms; ask again later or another peer")
            .with("retryMs", Math.max(1, Math.min(60_000, TimeUnit.NANOSECONDS.toMillis(backlog)))));
        return buffer;
      }
      if (!answering.commit(id)) {
        // Cancelled while it waited its turn: never answered (docs/PROTOCOL.md, `cancel`).
        upload.refund(length);
        if (spreading) {
          spread.unclaim(get.file(), chunk);
          spreading = false;
        }
        return buffer;
      }
      writer.writeHead(PeerMessages.chunk(id, get.file(), chunk), length);
      if (zeroCopy != null) {
        writer.flush();
        store.transferChunk(chunk, zeroCopy);
      } else {
        if (buffer == null || buffer.capacity() < length) {
          buffer = ByteBuffer.allocate(store.manifest().chunkSize());
        }
        buffer.clear();
        store.readChunk(chunk, buffer);
        writer.stream().write(buffer.array(), 0, length);
      }
    } finally {
      if (spreading) {
        spread.sent(get.file(), chunk);
      }
    }
    bytesServed.addAndGet(length);
    files.uploaded(get.file(), length);
    return buffer;
  }

  private static void sendHaves(FrameWriter writer, HaveFeed feed) throws IOException {
    for (var e : feed.drain().entrySet()) {
      int[] chunks = e.getValue();
      for (int from = 0; from < chunks.length; from += PeerMessages.MAX_HAVE_INDEXES) {
        int n = Math.min(PeerMessages.MAX_HAVE_INDEXES, chunks.length - from);
        ByteBuffer body = ByteBuffer.allocate(4 * n);
        for (int i = 0; i < n; i++) {
          body.putInt(chunks[from + i]);
        }
        writer.write(PeerMessages.have(e.getKey(), n), body.array(), 0, body.capacity());
      }
    }
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    acceptor.close();
  }
}
