package io.swarmshare.internal.download;

import io.swarmshare.api.Bitfield;
import io.swarmshare.api.DownloadEvent;
import io.swarmshare.api.Manifest;
import io.swarmshare.api.PeerAddress;
import io.swarmshare.api.PeerId;
import io.swarmshare.api.spi.Connection;
import io.swarmshare.internal.manifest.ManifestBuilder;
import io.swarmshare.internal.peer.PeerMessages;
import io.swarmshare.internal.peer.PeerReply;
import io.swarmshare.internal.peer.PeerRequest;
import io.swarmshare.internal.peer.UnsolicitedFrames;
import io.swarmshare.internal.protocol.ErrorCode;
import io.swarmshare.internal.protocol.FrameException;
import io.swarmshare.internal.protocol.FrameReader;
import io.swarmshare.internal.protocol.FrameWriter;
import io.swarmshare.internal.protocol.Handshake;
import io.swarmshare.internal.protocol.Header;
import io.swarmshare.internal.protocol.Limits;
import io.swarmshare.internal.protocol.Watchdog;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * One connection to one peer for one download. Four virtual threads share it:
 *
 * <ul>
 *   <li>the <b>driver</b> (the session's own thread) keeps a window of {@code get} requests in
 *       flight, sized from the rate this peer delivers, cancels requests for chunks that came
 *       from elsewhere, and otherwise sleeps until woken: by a frame, by the download when the
 *       picker changed, or to send a keepalive;
 *   <li>the <b>reader</b> takes every frame: a chunk's body straight into a reused buffer (a
 *       direct one, filled from the socket without a heap copy, where the transport allows),
 *       {@code have} and {@code bitfield} into this peer's {@link PeerView};
 *   <li>the <b>verifier</b> hashes each chunk and passes it on only if it matches, so the
 *       reader goes straight back to the socket;
 *   <li>the <b>storer</b> hands each matching chunk to the download, which writes it: a write
 *       into the page cache costs as much CPU as the hash (more, on a VM), so the next chunk is
 *       hashed while this one is written.
 * </ul>
 *
 * <p>A bad chunk is a strike. A peer that delivers no chunk for the stall timeout while this
 * session waits for one is dropped as stalled: only bytes of a requested chunk are progress (and
 * a {@code busy} or {@code elsewhere} answer, which paces us), not other frames. Frames nobody
 * asked for are counted against {@link UnsolicitedFrames}; a peer over that budget is banned.
 * Whatever a dropped peer had in flight goes back to the picker.
 *
 * <p>Over TLS the peer's id is the one its certificate proves ({@link PeerId#fromCertificate}),
 * and a peer whose hello claims another is refused before anything is asked of it.
 */
final class PeerSession implements Runnable {
  /** A request queue this long, at the rate a peer delivers, keeps its connection busy. */
  private static final double QUEUE_SECONDS = 0.5;
  /** Requests in flight before the peer's rate is known. */
  private static final int FIRST_WINDOW = 4;
  /**
   * Requests in flight to a seed in a swarm. Other leechers cannot see what this one asked of
   * the seed until it arrives, so every request in flight is a chance that two of them ask for
   * the same chunk: a short queue keeps the seed's copies distinct.
   */
  private static final int SEED_WINDOW = Integer.getInteger("swarmshare.seedWindow", 3);

  private final SessionContext ctx;
  private final ChunkPicker picker;
  private final PeerAddress address;
  private final Manifest manifest;
  private final int maxWindow;
  private final PeerView view;
  /** Request id to chunk, for requests sent and not yet answered. */
  private final Map<Long, Integer> inFlight = new ConcurrentHashMap<>();
  /** Chunks asked of this peer and not yet settled (in flight or being verified): never asked twice. */
  private final Set<Integer> claimed = ConcurrentHashMap.newKeySet();
  /** Chunks this peer (a seed) told us to fetch elsewhere, with when we may ask it again. */
  private final Map<Integer, Long> deferred = new ConcurrentHashMap<>();
  /** Chunks this peer (a seed) last suggested it would rather send: asked for before the picker's own choice. */
  private volatile int[] suggested = {};
  /**
   * Until when this peer's uplink is booked ({@code busy}): nothing more is asked of it before
   * then, since every request would come back {@code busy} too. In the past until it says so.
   */
  private volatile long busyUntil = System.nanoTime();
  private final MessageDigest sha = ManifestBuilder.sha256();
  /**
   * Chunk buffers this session may hold at once: one being read from the socket, the others
   * being verified or stored. Each is taken from the download's pool when a chunk's body starts and goes
   * back when the chunk is verified (and hashed into the whole file), so memory follows the
   * chunks in flight, not the peers connected: 16 peers trickling in at a slow link's rate
   * would otherwise hold 64 idle buffers.
   */
  private final Semaphore bufferSlots;
  /** Whether chunk bodies are read from the socket into direct buffers; set once connected. */
  private volatile boolean directBodies;
  private final BlockingQueue<Received> verified;
  /** Chunks that matched their hash, waiting to be stored; never full (see the constructor). */
  private final BlockingQueue<Received> toStore;
  private final ReentrantLock wakeLock = new ReentrantLock();
  private final Condition wakeUp = wakeLock.newCondition();
  private boolean woken;
  private volatile @Nullable Connection connection;
  private volatile PeerId peer = new PeerId("unknown");
  /** Over TLS, the id the peer's certificate proves; null over plain TCP. */
  private volatile @Nullable PeerId certified;
  private volatile boolean reached;
  /** True once the peer delivered a chunk we asked for (verified or not). */
  private volatile boolean delivered;
  /** True if the session ended because the peer stalled. */
  private volatile boolean stalled;
  /**
   * Since when this session has been waiting for the peer without progress: the last time a
   * requested chunk started or finished arriving, or nothing was asked of the peer.
   */
  private volatile long waitingSince = System.nanoTime();
  /** True while the reader is inside a chunk's body, whose reads have timeouts of their own. */
  private volatile boolean inBody;
  /** Cancels sent: each entitles the peer to one answer to a request no longer in flight. */
  private final AtomicInteger cancelled = new AtomicInteger();
  /** Ids of {@code bitfield} requests sent and not yet answered. */
  private final Set<Long> bitfieldAsks = ConcurrentHashMap.newKeySet();
  /** Frames nobody asked for; the reader's alone. */
  private final UnsolicitedFrames unsolicited = new UnsolicitedFrames();
  private volatile boolean speaksHave;
  private volatile boolean bitfieldPending;
  private volatile boolean needBitfield;
  private volatile long bitfieldRequest = -1;
  private volatile @Nullable String endReason;
  private volatile boolean ended;
  private volatile Watchdog.@Nullable Guard stallGuard;
  /** The connection's direct input with each read bounded by the stall timeout, or null. */
  private @Nullable ReadableByteChannel guardedDirect;
  /** Bytes per second this peer delivers, smoothed; 0 until measured. Reader thread only writes. */
  private volatile double rate;
  private long rateBytes;
  /** Bytes of chunks received, and the part of them {@link #deliveredSinceRotation} already reported. */
  private volatile long receivedBytes;
  private long reportedBytes;
  private volatile long connectedAt = System.nanoTime();
  private long rateSince = System.nanoTime();
  private long nextId = 1;
  private long lastSent = System.nanoTime();

  PeerSession(SessionContext ctx, ChunkPicker picker, PeerAddress address) {
    this.ctx = ctx;
    this.picker = picker;
    this.address = address;
    this.manifest = ctx.manifest();
    this.maxWindow = ctx.settings().window(manifest.chunkSize());
    int buffers = Math.max(2, Math.min(4, (8 << 20) / manifest.chunkSize()));
    this.bufferSlots = new Semaphore(buffers);
    this.verified = new ArrayBlockingQueue<>(buffers + 1);
    // Room for every buffer and the STOP that follows them: the verifier never waits here.
    this.toStore = new ArrayBlockingQueue<>(buffers + 1);
    this.view = picker.newView();
  }

  PeerAddress address() {
    return address;
  }

  /** The id the peer claimed in its hello (over TLS, proven by its certificate). */
  PeerId peer() {
    return peer;
  }

  /** Over TLS, the id the peer's certificate proves; null over plain TCP. */
  @Nullable PeerId certified() {
    return certified;
  }

  /** True once the peer delivered a chunk it was asked for. */
  boolean delivered() {
    return delivered;
  }

  /** True if the session ended because the peer stalled. */
  boolean stalled() {
    return stalled;
  }

  /** True once the peer answered the handshake. */
  boolean reached() {
    return reached;
  }

  /** Bytes of chunks this peer sent since the last call (the coordinator's alone). */
  long deliveredSinceRotation() {
    long now = receivedBytes;
    long d = now - reportedBytes;
    reportedBytes = now;
    return d;
  }

  /** When the peer answered the handshake. */
  long connectedAt() {
    return connectedAt;
  }

  /** True if the peer holds every chunk. */
  boolean isSeed() {
    return picker.isSeedView(view);
  }

  /** Ends the session from another thread for {@code reason}; its chunks go back to the picker. */
  void retire(String reason) {
    end(reason);
  }

  /** Ends the session from another thread; its chunks go back to the picker. */
  void stop() {
    ended = true;
    Connection c = connection;
    if (c != null) {
      c.close();
    }
    Thread r = readerThread;
    if (r != null) {
      r.interrupt(); // it may be waiting for a buffer or for the verifier, not on the socket
    }
    wake();
  }

  private volatile @Nullable Thread readerThread;

  /** Wakes the driver: the picker changed, a frame arrived, or the session is ending. */
  void wake() {
    wakeLock.lock();
    try {
      woken = true;
      wakeUp.signal();
    } finally {
      wakeLock.unlock();
    }
  }

  @Override
  public void run() {
    String reason = "finished";
    Thread reader = null;
    Thread verifier = null;
    Thread storer = null;
    try {
      Connection c = ctx.transport().connect(new InetSocketAddress(address.host(), address.port()),
          ctx.settings().connectTimeout());
      connection = c;
      if (ctx.isFinished() || ended) {
        c.close();
        return;
      }
      c.readTimeout(ctx.settings().stallTimeout());
      // The socket to read chunk bodies from into direct buffers, or null to read the stream.
      ReadableByteChannel channel = c.directInput();
      // Buffered so a frame's prefix and header cost one read, not three; bodies bypass the buffer.
      // Small, because whatever part of a chunk lands in it is copied once more.
      FrameReader frames = new FrameReader(c.input(), 8 * 1024, new Limits(Limits.DEFAULT_MAX_HEADER_BYTES,
          Math.max(Math.max(manifest.chunkSize(), Bitfield.byteLength(manifest.chunkCount())),
              4 * PeerMessages.MAX_HAVE_INDEXES),
          Limits.DEFAULT_MAX_DEPTH, Limits.DEFAULT_MAX_STRING_LENGTH, Limits.DEFAULT_MAX_ARRAY_ITEMS));
      // Requests are small frames: a batch of them fits 8 KiB; 64 KiB per connection added up to
      // 200 MiB of heap across the simulator's 3,200 sessions.
      FrameWriter writer = new FrameWriter(c.output(), 8 * 1024);
      Handshake.Hello hello = Handshake.exchange(frames, writer, ctx.self(), PeerMessages.ROLE);
      peer = hello.peer();
      PeerId proven;
      try {
        proven = Handshake.certify(hello, c, writer);
      } catch (FrameException e) {
        // A member of the swarm, but not the one whose id it claims.
        reason = "refused: its hello claims peer id " + hello.peer() + ", which its certificate does not prove";
        return;
      }
      certified = proven;
      speaksHave = hello.speaks(Handshake.FEATURE_HAVE);
      if (peer.equals(ctx.self()) || ctx.isBanned(address, proven)) {
        reason = "not a peer to download from";
        return;
      }
      reached = true;
      connectedAt = System.nanoTime();
      ctx.connected(this);
      ctx.event(new DownloadEvent.PeerConnected(peer, address));
      directBodies = channel != null;
      if (channel != null) {
        guardedDirect = guard(channel);
      }
      verifier = Thread.ofVirtual().name("swarmshare-verify-" + address).start(this::verifyLoop);
      storer = Thread.ofVirtual().name("swarmshare-store-" + address).start(this::storeLoop);
      waitingSince = System.nanoTime(); // the stall clock starts with the first request, not the dial
      askBitfield(writer);
      writer.flush();
      reader = Thread.ofVirtual().name("swarmshare-read-" + address).unstarted(() -> readLoop(frames));
      readerThread = reader;
      reader.start();
      drive(writer);
    } catch (IOException e) {
      reason = ctx.isFinished() ? "finished" : e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      reason = "interrupted";
    } catch (RuntimeException e) {
      reason = "internal error: " + e;
    } finally {
      ended = true;
      Connection c = connection;
      if (c != null) {
        c.close();
      }
      join(reader);
      // The reader or the verifier usually knows best why the session ended.
      String first = endReason;
      if (first != null && !(ctx.isFinished() && reason.equals("finished"))) {
        reason = first;
      }
      // Let the verifier, then the storer, finish what was read before this session's chunks
      // are released.
      stop(verifier, verified);
      stop(storer, toStore);
      Watchdog.Guard g = stallGuard;
      if (g != null) {
        g.close();
      }
      // Buffers still held by the whole-file hasher go back to the pool through bufferReturned.
      for (Integer chunk : inFlight.values()) {
        picker.released(chunk);
      }
      inFlight.clear();
      claimed.clear();
      picker.forget(view);
      ctx.sessionEnded(this, reason);
    }
  }

  /** Ends a verifier or storer once it has handled what is queued, and waits for it. */
  private static void stop(@Nullable Thread t, BlockingQueue<Received> queue) {
    if (t == null) {
      return;
    }
    // There is room for STOP behind every buffer the session may hold, so this is taken at once;
    // were it not, an interrupt ends the thread instead.
    if (!queue.offer(STOP)) {
      t.interrupt();
    }
    join(t);
  }

  /**
   * Waits for {@code t} to end, even if interrupted meanwhile (the interrupt is kept for the
   * caller): a session that stopped waiting would release chunks its threads still hold.
   */
  private static void join(@Nullable Thread t) {
    if (t == null) {
      return;
    }
    boolean interrupted = false;
    while (t.isAlive()) {
      try {
        t.join();
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * A channel read has no timeout of its own: each read arms the watchdog, which closes the
   * connection if that read gets nothing for the stall timeout (as SO_TIMEOUT would).
   */
  private ReadableByteChannel guard(ReadableByteChannel channel) {
    Watchdog.Guard g = ctx.watchdog().guard(() -> {
      stalled = true;
      end("stalled: nothing received inside a chunk for " + ctx.settings().stallTimeout().toSeconds() + " s");
    });
    stallGuard = g;
    Duration stall = ctx.settings().stallTimeout();
    return new ReadableByteChannel() {
      @Override
      public int read(ByteBuffer dst) throws IOException {
        g.arm(stall);
        return channel.read(dst);
      }

      @Override
      public boolean isOpen() {
        return channel.isOpen();
      }

      @Override
      public void close() throws IOException {
        channel.close();
      }
    };
  }

  /** Records why the session ends (the first reason wins) and stops it. */
  private void end(String reason) {
    if (endReason == null) {
      endReason = reason;
    }
    stop();
  }

  // ---- the driver ----

  private void drive(FrameWriter writer) throws IOException, InterruptedException {
    // Silence from a peer with nothing to send us is fine, but the peer's server closes a
    // connection that asks nothing for its idle timeout, and this side drops one that answers
    // nothing for the stall timeout: an idle session refreshes the bitfield well within both.
    long keepalive = Math.max(TimeUnit.MILLISECONDS.toNanos(200), Math.min(ctx.settings().stallTimeout().toNanos() / 2,
        TimeUnit.SECONDS.toNanos(30)));
    long stall = ctx.settings().stallTimeout().toNanos();
    while (!ended && !ctx.isFinished()) {
      boolean sent = request(writer);
      sent |= cancelSettled(writer);
      long now = System.nanoTime();
      boolean idle = inFlight.isEmpty() && !bitfieldPending;
      if (idle) {
        waitingSince = now; // nothing asked of this peer: it owes us nothing
      } else if (!inBody && now - waitingSince > stall) {
        stalled = true;
        end("stalled: no chunk for " + ctx.settings().stallTimeout().toSeconds() + " s while "
            + (inFlight.size() + (bitfieldPending ? 1 : 0)) + " requests were pending");
        return;
      }
      if (needBitfield || idle && (!speaksHave && now - lastSent > TimeUnit.MILLISECONDS.toNanos(500)
          || now - lastSent > keepalive)) {
        // A peer without `have` is asked again for what it holds; one with it only as a keepalive.
        needBitfield = false;
        askBitfield(writer);
        sent = true;
      }
      if (sent) {
        writer.flush();
        lastSent = System.nanoTime();
      }
      long wait = speaksHave ? keepalive : TimeUnit.MILLISECONDS.toNanos(500);
      // Idle, the next keepalive is due at a fixed time; with requests out, the answers (or the
      // reader's stall timeout) wake us, and the keepalive period is only a safety net.
      boolean stillIdle = inFlight.isEmpty() && !bitfieldPending;
      long timeout = stillIdle ? Math.max(TimeUnit.MILLISECONDS.toNanos(1), lastSent + wait - System.nanoTime())
          : Math.min(wait, Math.max(TimeUnit.MILLISECONDS.toNanos(1), waitingSince + stall + 1 - System.nanoTime()));
      awaitWake(untilDeferralEnds(timeout));
    }
  }

  private void awaitWake(long nanos) throws InterruptedException {
    wakeLock.lock();
    try {
      long left = nanos;
      while (!woken && left > 0) {
        left = wakeUp.awaitNanos(left);
      }
      woken = false;
    } finally {
      wakeLock.unlock();
    }
  }

  /** Requests in flight this peer's rate calls for: about half a second of its chunks. */
  private int window() {
    double r = rate;
    if (r <= 0) {
      return Math.min(FIRST_WINDOW, maxWindow);
    }
    int w = (int) Math.ceil(r * QUEUE_SECONDS / manifest.chunkSize()) + 1;
    if (picker.spares(view)) {
      return Math.max(1, Math.min(w, SEED_WINDOW));
    }
    return Math.max(2, Math.min(maxWindow, w));
  }

  /**
   * Tops up the window with chunks from the picker once half of it has drained: a batch of
   * requests costs the peer one wake-up and one read instead of one per chunk, and half a window
   * in flight still keeps the connection busy.
   */
  private boolean request(FrameWriter writer) throws IOException {
    if (bitfieldPending) {
      return false;
    }
    if (System.nanoTime() - busyUntil < 0) {
      return false;
    }
    int window = window();
    if (inFlight.size() > window / 2) {
      return false;
    }
    boolean sent = false;
    while (inFlight.size() < window) {
      int[] offer = suggested;
      int chunk = offer.length == 0 ? -1 : picker.pickAmong(view, offer, this::skip);
      if (chunk < 0) {
        chunk = picker.pick(view, this::skip);
      }
      if (chunk < 0) {
        break;
      }
      long id = nextId++;
      claimed.add(chunk);
      inFlight.put(id, chunk);
      writer.write(new PeerRequest.Get(manifest.id(), chunk).header(id));
      sent = true;
    }
    return sent;
  }

  /** True for chunks not to ask of this peer now: claimed already, or deferred by it. */
  private boolean skip(int chunk) {
    if (claimed.contains(chunk)) {
      return true;
    }
    Long until = deferred.get(chunk);
    if (until == null) {
      return false;
    }
    if (System.nanoTime() - until < 0) {
      return true;
    }
    deferred.remove(chunk, until);
    return false;
  }

  /** Nanoseconds until the first deferral ends, or {@code fallback} if none is pending. */
  private long untilDeferralEnds(long fallback) {
    long now = System.nanoTime();
    long best = fallback;
    long busyLeft = busyUntil - now;
    if (busyLeft > 0) {
      best = Math.min(best, busyLeft);
    }
    for (Map.Entry<Integer, Long> e : deferred.entrySet()) {
      long left = e.getValue() - now;
      if (left <= 0 || picker.isDone(e.getKey())) {
        deferred.remove(e.getKey(), e.getValue()); // over: the next pick may ask for it again
      } else {
        best = Math.min(best, left);
      }
    }
    return best;
  }

  /**
   * Cancels requests that no longer need this peer: the chunk arrived from elsewhere (endgame),
   * or, from a seed in a swarm, a leecher now holds it, so the seed's upload goes to chunks
   * nobody else has. The request about to be answered is left alone: its bytes may be on
   * the way already.
   */
  private boolean cancelSettled(FrameWriter writer) throws IOException {
    boolean any = false;
    boolean spare = picker.spares(view);
    long oldest = Long.MAX_VALUE;
    if (spare) {
      for (Long id : inFlight.keySet()) {
        oldest = Math.min(oldest, id);
      }
    }
    for (Map.Entry<Long, Integer> e : inFlight.entrySet()) {
      int chunk = e.getValue();
      boolean cancel = picker.isDone(chunk) || spare && e.getKey() != oldest && picker.leecherHolds(chunk);
      if (cancel && inFlight.remove(e.getKey(), chunk)) {
        cancelled.incrementAndGet();
        writer.write(new PeerRequest.Cancel().header(e.getKey()));
        claimed.remove(chunk);
        picker.released(chunk);
        any = true;
      }
    }
    return any;
  }

  private void askBitfield(FrameWriter writer) throws IOException {
    long id = nextId++;
    bitfieldAsks.add(id);
    bitfieldRequest = id;
    bitfieldPending = true;
    writer.write(new PeerRequest.AskBitfield(manifest.id()).header(id));
  }

  // ---- the reader ----

  private void readLoop(FrameReader frames) {
    try {
      while (!ended) {
        Header h;
        try {
          h = frames.next();
        } catch (SocketTimeoutException e) {
          stalled = true;
          end("stalled: nothing received for " + ctx.settings().stallTimeout().toSeconds() + " s");
          return;
        }
        if (h == null) {
          end("peer closed the connection");
          return;
        }
        handle(frames, h);
        wake();
      }
    } catch (Banned e) {
      end(String.valueOf(e.getMessage()));
    } catch (SocketTimeoutException e) {
      stalled = true;
      end("stalled: nothing received inside a chunk for " + ctx.settings().stallTimeout().toSeconds() + " s");
    } catch (IOException e) {
      end(ctx.isFinished() ? "finished" : e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
    } catch (InterruptedException e) {
      end("interrupted");
    } catch (RuntimeException e) {
      end("internal error: " + e);
    }
  }

  private void handle(FrameReader frames, Header h) throws IOException, InterruptedException {
    switch (PeerReply.decode(h)) {
      case PeerReply.Chunk c -> receiveChunk(frames, c);
      case PeerReply.Have have -> {
        if (!have.file().equals(manifest.id())) {
          // Its indexes are another file's: ignored (docs/PROTOCOL.md section 8), as junk.
          frames.skipBody();
          unsolicited("a have for a file not asked about");
        } else if (receiveHave(frames, have) == 0) {
          unsolicited("a have of nothing new");
        }
      }
      case PeerReply.Bitfield b -> {
        if (!bitfieldAsks.remove(b.id())) {
          frames.skipBody();
          unsolicited("a bitfield nobody asked for");
          return;
        }
        Bitfield fresh = readBitfield(frames, b);
        picker.bitfield(view, fresh);
        if (b.id() == bitfieldRequest) {
          bitfieldPending = false;
        }
      }
      case PeerReply.Error e -> {
        frames.skipBody();
        if (bitfieldAsks.remove(e.id())) {
          throw new IOException("peer does not serve this file (" + e.exception().getMessage() + ")");
        }
        Integer chunk = inFlight.remove(e.id());
        if (chunk != null) {
          claimed.remove(chunk);
          picker.released(chunk);
          switch (e.code()) {
            case NOT_FOUND -> needBitfield = true; // its view was stale: ask again before asking for more
            // A seed spreading its chunks: others will have this one in a moment. Like busy, an
            // answer that paces us, not silence: it resets the stall clock.
            case ELSEWHERE -> {
              waitingSince = System.nanoTime();
              deferred.put(chunk, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(e.retryMs()));
              if (e.suggest().length > 0) {
                suggested = e.suggest(); // the picker checks each against the file and this peer's bitfield
              }
            }
            // Its upload slots are all taken: ask it again later, others meanwhile.
            case BUSY -> {
              waitingSince = System.nanoTime();
              if (e.retryMs() > 0) {
                long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(e.retryMs());
                deferred.put(chunk, until);
                busyUntil = until;
              }
            }
            default -> { }
          }
          if (e.code().closesConnection()) {
            throw e.exception(); // the peer closes after this error: so does this side (docs/PROTOCOL.md section 6)
          }
        } else if (e.id() < 0 || e.code().closesConnection()) {
          throw e.exception(); // the peer closes after this error: so does this side (docs/PROTOCOL.md section 6)
        } else if (!answersCancelled()) {
          unsolicited("an error for no request");
        }
      }
      case PeerReply.Other o -> {
        frames.skipBody();
        unsolicited("a frame of type " + o.type());
      }
    }
  }

  /** True if a frame answering no request in flight may answer one we cancelled (and uses that up). */
  private boolean answersCancelled() {
    return cancelled.getAndUpdate(n -> Math.max(0, n - 1)) > 0;
  }

  /** Counts a frame nobody asked for; bans the peer once it sent too many. */
  private void unsolicited(String what) throws Banned {
    if (unsolicited.count()) {
      String why = "sent " + unsolicited.total() + " frames nobody asked for (the last: " + what + ")";
      ctx.ban(this, why);
      throw new Banned("banned: " + why);
    }
  }

  /** Reads a {@code have} into the peer's view; returns how many chunks it named that were not known. */
  private int receiveHave(FrameReader frames, PeerReply.Have have) throws IOException {
    int n = have.count();
    if (frames.bodyLength() != 4L * n) {
      throw new FrameException(ErrorCode.BAD_FRAME, "have: a body of " + frames.bodyLength() + " bytes for " + n + " indexes");
    }
    int[] chunks = PeerMessages.haveIndexes(frames.readBody(4 * n), manifest.chunkCount());
    return picker.learned(view, chunks, n);
  }

  private void receiveChunk(FrameReader frames, PeerReply.Chunk reply) throws IOException, InterruptedException {
    Integer chunk = inFlight.remove(reply.id());
    if (chunk == null) {
      // An answer to a request we cancelled: drain it. Any other is junk.
      frames.skipBody();
      if (!answersCancelled()) {
        unsolicited("a chunk nobody asked for");
      }
      return;
    }
    delivered = true;
    waitingSince = System.nanoTime();
    int length = manifest.chunkLength(chunk);
    receivedBytes += length; // the reader is the only writer
    if (reply.chunk() != chunk || frames.bodyLength() != length) {
      frames.skipBody();
      claimed.remove(chunk);
      picker.released(chunk);
      strike(chunk, "sent a chunk of the wrong index or length");
      return;
    }
    ctx.downloadLimiter().acquire(length);
    bufferSlots.acquire();
    ChunkBuffer buffer = new ChunkBuffer(ctx.buffers().take(directBodies), this::bufferReturned).acquire();
    ByteBuffer bytes = buffer.bytes();
    bytes.limit(length);
    Watchdog.Guard g = stallGuard;
    boolean handedOver = false;
    inBody = true;
    try {
      frames.readBody(bytes, guardedDirect);
      waitingSince = System.nanoTime();
      bytes.flip();
      measure(length);
      // Hashing and writing happen on the verifier thread, so this one goes straight back to
      // the socket: the next chunk is read while this one is checked and stored.
      verified.put(new Received(buffer, chunk));
      handedOver = true;
    } catch (IOException e) {
      if (g != null && g.fired()) {
        throw new SocketTimeoutException("stalled inside a chunk");
      }
      throw e;
    } finally {
      inBody = false;
      if (g != null) {
        g.disarm();
      }
      if (!handedOver) {
        buffer.release();
        claimed.remove(chunk);
        picker.released(chunk);
      }
    }
    rethrowVerifierFailure();
  }

  private void measure(int bytes) {
    rateBytes += bytes;
    long now = System.nanoTime();
    long span = now - rateSince;
    if (span >= TimeUnit.MILLISECONDS.toNanos(100)) {
      double instant = rateBytes * 1e9 / span;
      double r = rate;
      rate = r <= 0 ? instant : 0.6 * r + 0.4 * instant;
      rateBytes = 0;
      rateSince = now;
    }
  }

  private Bitfield readBitfield(FrameReader frames, PeerReply.Bitfield reply) throws IOException {
    int chunks = reply.chunks();
    if (chunks != manifest.chunkCount()) {
      throw new FrameException(ErrorCode.BAD_REQUEST, "peer's bitfield has " + chunks + " chunks, the file " + manifest.chunkCount());
    }
    byte[] bytes = frames.readBody(Bitfield.byteLength(chunks));
    try {
      return Bitfield.fromBytes(chunks, bytes);
    } catch (IllegalArgumentException e) {
      throw new FrameException(ErrorCode.BAD_REQUEST, "peer sent a malformed bitfield: " + e.getMessage());
    }
  }

  // ---- the verifier ----

  private void bufferReturned(ChunkBuffer b) {
    ctx.buffers().give(b.bytes());
    bufferSlots.release();
  }

  /** A chunk read from the socket, waiting to be verified and stored. */
  private record Received(ChunkBuffer buffer, int chunk) {}

  private static final Received STOP = new Received(new ChunkBuffer(ByteBuffer.allocate(0), b -> { }), -1);

  private volatile @Nullable IOException verifierFailure;

  private void verifyLoop() {
    drain(verified, this::verify, "verifying");
  }

  private void storeLoop() {
    drain(toStore, this::store, "storing");
  }

  /** Handles what {@code queue} holds until STOP; {@code step} is a method of its own, so the JIT compiles it. */
  private void drain(BlockingQueue<Received> queue, Consumer<Received> step, String doing) {
    while (true) {
      Received r;
      try {
        r = queue.take();
      } catch (InterruptedException e) {
        return;
      }
      if (r == STOP) {
        return;
      }
      try {
        step.accept(r);
      } catch (RuntimeException | Error e) {
        // A bug here must not leave the session waiting for buffers that never come back: end
        // the session, and keep taking (and so releasing) what it already read.
        if (verifierFailure == null) {
          verifierFailure = new IOException("internal error while " + doing + ": " + e, e);
        }
        end("internal error while " + doing + ": " + e);
      }
    }
  }

  private void verify(Received r) {
    int chunk = r.chunk();
    boolean passedOn = false;
    try {
      if (picker.isDone(chunk)) {
        picker.completed(chunk); // an endgame duplicate: releases our request
        return;
      }
      ByteBuffer bytes = r.buffer().bytes();
      sha.update(bytes.duplicate());
      if (!manifest.chunkHashMatches(chunk, sha.digest())) {
        picker.released(chunk);
        try {
          strike(chunk, "sent a chunk that does not match its hash");
        } catch (Banned b) {
          verifierFailure = b;
          end(String.valueOf(b.getMessage()));
        }
        return;
      }
      passedOn = toStore.offer(r); // never full: room for every buffer this session may hold
      if (!passedOn) {
        picker.released(chunk);
        throw new IllegalStateException("the store queue is full");
      }
    } finally {
      if (!passedOn) {
        settled(r);
      }
    }
  }

  private void store(Received r) {
    boolean stored = false;
    try {
      ctx.chunkVerified(r.chunk(), peer, r.buffer());
      stored = true;
    } catch (IOException e) {
      verifierFailure = e;
      end(String.valueOf(e.getMessage()));
    } finally {
      // Not stored (a failed write, or a bug that escaped): another session may fetch it again.
      if (!stored && !picker.isDone(r.chunk())) {
        picker.released(r.chunk());
      }
      settled(r);
    }
  }

  /** A chunk this session is done with: it may be asked again, and its buffer goes back. */
  private void settled(Received r) {
    claimed.remove(r.chunk());
    r.buffer().release();
    wake();
  }

  private void rethrowVerifierFailure() throws IOException {
    IOException f = verifierFailure;
    if (f != null) {
      throw f;
    }
  }

  private void strike(int chunk, String what) throws Banned {
    ctx.event(new DownloadEvent.ChunkRejected(chunk, peer));
    if (ctx.strike(this)) {
      throw new Banned("banned: " + what + " " + ctx.settings().strikesToBan() + " times");
    }
  }

  /** Thrown to end a session whose peer was banned. */
  private static final class Banned extends IOException {
    private static final long serialVersionUID = 1L;

    Banned(String message) {
      super(message);
    }
  }
}
