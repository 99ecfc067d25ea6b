package io.swarmshare.internal.download;

import io.swarmshare.api.Bitfield;
import io.swarmshare.api.DownloadEvent;
import io.swarmshare.api.Manifest;
import io.swarmshare.api.PeerAddress;
import io.swarmshare.api.PeerId;
import io.swarmshare.api.ProtocolException;
import io.swarmshare.api.spi.Connection;
import io.swarmshare.internal.manifest.ManifestBuilder;
import io.swarmshare.internal.peer.PeerMessages;
import io.swarmshare.internal.protocol.ErrorCode;
import io.swarmshare.internal.protocol.Errors;
import io.swarmshare.internal.protocol.FrameException;
import io.swarmshare.internal.protocol.FrameReader;
import io.swarmshare.internal.protocol.FrameWriter;
import io.swarmshare.internal.protocol.Handshake;
import io.swarmshare.internal.protocol.Header;
import io.swarmshare.internal.protocol.Limits;
import io.swarmshare.internal.protocol.Watchdog;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import org.jspecify.annotations.Nullable;

/**
 * One connection to one peer for one download, run on its own virtual thread: keeps a window of
 * {@code get} requests in flight, reads each chunk straight into a reused buffer (a direct one,
 * filled from the socket without a heap copy, where the transport allows), hashes it there, and
 * writes it to the store only if it matches; the same buffer then feeds the whole-file hash. A
 * bad chunk is a strike; a silent peer is dropped after the stall timeout; whatever it had in
 * flight goes back to the picker.
 */
final class PeerSession implements Runnable {
  private final DownloadTask task;
  private final PeerAddress address;
  private final Manifest manifest;
  private final int window;
  private final Map<Long, Integer> inFlight = new HashMap<>();
  private final MessageDigest sha = ManifestBuilder.sha256();
  /** Chunk buffers, reused: one being read from the socket, the others being verified. */
  private final BlockingQueue<ChunkBuffer> free;
  private final int buffers;
  private final BlockingQueue<Received> verified;
  private volatile @Nullable IOException verifierFailure;
  private @Nullable Thread verifier;
  private volatile Connection connection;
  private PeerId peer = new PeerId("unknown");
  private Bitfield have;
  private long nextId = 1;
  private boolean counted;
  private long bitfieldRequest;
  private boolean bitfieldPending;
  private volatile Watchdog.@Nullable Guard stallGuard;
  /** The connection's direct input with each read bounded by the stall timeout, or null. */
  private @Nullable ReadableByteChannel guardedDirect;
  private volatile boolean ended;

  PeerSession(DownloadTask task, PeerAddress address) {
    this.task = task;
    this.address = address;
    this.manifest = task.manifest();
    this.window = task.settings().window(manifest.chunkSize());
    this.buffers = Math.max(2, Math.min(4, (8 << 20) / manifest.chunkSize()));
    this.free = new ArrayBlockingQueue<>(buffers);
    this.verified = new ArrayBlockingQueue<>(buffers + 1);
    this.have = Bitfield.empty(manifest.chunkCount());
  }

  PeerAddress address() {
    return address;
  }

  PeerId peer() {
    return peer;
  }

  /** Ends the session from another thread; its chunks go back to the picker. */
  void stop() {
    Connection c = connection;
    if (c != null) {
      c.close();
    }
  }

  @Override
  public void run() {
    String reason = "finished";
    try {
      connection = task.transport().connect(
          new java.net.InetSocketAddress(address.host(), address.port()), task.settings().connectTimeout());
      Connection c = connection;
      if (task.isFinished()) {
        return;
      }
      c.readTimeout(task.settings().stallTimeout());
      // The socket to read chunk bodies from into direct buffers, or null to read the stream.
      ReadableByteChannel channel = c.directInput();
      // Buffered so a frame's prefix and header cost one read, not three; bodies bypass the buffer.
      // Small, because whatever part of a chunk lands in it is copied once more.
      FrameReader reader = new FrameReader(c.input(), 8 * 1024, new Limits(Limits.DEFAULT_MAX_HEADER_BYTES,
          Math.max(manifest.chunkSize(), Bitfield.byteLength(manifest.chunkCount())), Limits.DEFAULT_MAX_DEPTH,
          Limits.DEFAULT_MAX_STRING_LENGTH, Limits.DEFAULT_MAX_ARRAY_ITEMS));
      FrameWriter writer = new FrameWriter(c.output());
      Handshake.Hello hello = Handshake.exchange(reader, writer, task.self(), PeerMessages.ROLE);
      peer = hello.peer();
      if (peer.equals(task.self()) || task.isBanned(peer)) {
        reason = "not a peer to download from";
        return;
      }
      task.event(new DownloadEvent.PeerConnected(peer, address));
      // Buffers only once a peer has answered: a dead address costs no memory.
      for (int i = 0; i < buffers && manifest.chunkCount() > 0; i++) {
        free.add(new ChunkBuffer(task.buffers().take(channel != null), this::bufferReturned));
      }
      if (channel != null) {
        // A channel read has no timeout of its own: each read arms the watchdog, which closes
        // the connection if that read gets nothing for the stall timeout (as SO_TIMEOUT would).
        Watchdog.Guard g = task.watchdog().guard(this::stop);
        stallGuard = g;
        Duration stall = task.settings().stallTimeout();
        guardedDirect = new ReadableByteChannel() {
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
      verifier = Thread.ofVirtual().name("swarmshare-verify-" + address).start(this::verifyLoop);
      loop(reader, writer);
    } catch (SocketTimeoutException e) {
      reason = "stalled: nothing received for " + task.settings().stallTimeout().toSeconds() + " s";
    } catch (Banned e) {
      reason = e.getMessage();
    } catch (IOException e) {
      if (task.isFinished()) {
        reason = "finished"; // the download closed the connection under a blocked read
      } else {
        reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      reason = "interrupted";
    } catch (RuntimeException e) {
      reason = "internal error: " + e;
    } finally {
      Thread v = verifier;
      if (v != null) {
        // Let the verifier finish what was read before this session's chunks are released.
        try {
          verified.put(STOP);
          v.join();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      if (verifierFailure != null) {
        reason = verifierFailure.getMessage();
      }
      Watchdog.Guard g = stallGuard;
      if (g != null) {
        g.close();
      }
      // Buffers still held by the whole-file hasher come back through bufferReturned.
      ended = true;
      returnFreeBuffers();
      for (int chunk : inFlight.values()) {
        task.picker().released(chunk);
      }
      inFlight.clear();
      if (counted) {
        task.picker().peerRemoved(have);
      }
      Connection c = connection;
      if (c != null) {
        c.close();
      }
      task.sessionEnded(this, reason);
    }
  }

  private void loop(FrameReader reader, FrameWriter writer) throws IOException, InterruptedException {
    askBitfield(writer);
    // One frame per step, in a method of its own: the JIT compiles a method once it has been
    // called often enough, while a loop that runs for a whole download would stay interpreted.
    while (!task.isFinished() && step(reader, writer)) {
      // next frame
    }
  }

  private void askBitfield(FrameWriter writer) throws IOException {
    bitfieldRequest = nextId++;
    writer.write(PeerMessages.bitfieldRequest(bitfieldRequest, manifest.id()));
    writer.flush();
    bitfieldPending = true;
  }

  /** Tops up the window, then reads and handles one frame; false when the session should end. */
  private boolean step(FrameReader reader, FrameWriter writer) throws IOException, InterruptedException {
    // Fill the window with the rarest chunks this peer holds, once half of it has drained: a
    // batch of requests costs the peer one wake-up and one read instead of one per chunk, and
    // half a window in flight still keeps the connection busy.
    boolean sent = false;
    boolean refill = inFlight.size() <= window / 2;
    while (refill && inFlight.size() < window && !bitfieldPending) {
      int chunk = task.picker().pick(have, inFlight::containsValue);
      if (chunk < 0) {
        break;
      }
      long id = nextId++;
      inFlight.put(id, chunk);
      writer.write(PeerMessages.get(id, manifest.id(), chunk));
      sent = true;
    }
    cancelCompleted(writer);
    if (sent) {
      writer.flush();
    }
    if (inFlight.isEmpty() && !bitfieldPending) {
      // Nothing to ask this peer now: wait for progress elsewhere, then ask what it holds.
      task.awaitChange(Duration.ofMillis(500));
      if (task.isFinished()) {
        return false;
      }
      askBitfield(writer);
    }
    Header h = reader.next();
    if (h == null) {
      throw new IOException("peer closed the connection");
    }
    long id = h.id();
    switch (h.type()) {
      case PeerMessages.CHUNK -> receiveChunk(reader, h, id);
      case PeerMessages.BITFIELD -> {
        Bitfield fresh = readBitfield(reader, h);
        if (id == bitfieldRequest) {
          bitfieldPending = false;
        }
        if (counted) {
          task.picker().peerRemoved(have);
        }
        have = fresh;
        task.picker().peerAdded(have);
        counted = true;
      }
      case "error" -> {
        reader.skipBody();
        ProtocolException e = Errors.fromFrame(h);
        if (id == bitfieldRequest) {
          throw new IOException("peer does not serve this file (" + e.getMessage() + ")");
        }
        Integer chunk = inFlight.remove(id);
        if (chunk != null) {
          task.picker().released(chunk);
          if (e.code().equals(ErrorCode.NOT_FOUND.wire())) {
            // Its bitfield was stale: ask again before asking for more.
            askBitfield(writer);
          }
        } else if (id < 0) {
          throw e;
        }
      }
      default -> reader.skipBody();
    }
    return true;
  }

  private void receiveChunk(FrameReader reader, Header h, long id) throws IOException, InterruptedException {
    Integer chunk = inFlight.remove(id);
    if (chunk == null) {
      // An answer to a request we cancelled in endgame: drain it.
      reader.skipBody();
      return;
    }
    int length = manifest.chunkLength(chunk);
    if (h.integer("chunk", 0, Integer.MAX_VALUE) != chunk || reader.bodyLength() != length) {
      reader.skipBody();
      task.picker().released(chunk);
      strike(chunk, "sent a chunk of the wrong index or length");
      return;
    }
    task.downloadLimiter().acquire(length);
    ChunkBuffer buffer = free.take().acquire();
    ByteBuffer bytes = buffer.bytes();
    bytes.limit(length);
    Watchdog.Guard g = stallGuard;
    boolean handedOver = false;
    try {
      reader.readBody(bytes, guardedDirect);
      bytes.flip();
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
      if (g != null) {
        g.disarm();
      }
      if (!handedOver) {
        buffer.release();
      }
    }
    rethrowVerifierFailure();
  }

  private void bufferReturned(ChunkBuffer b) {
    free.add(b);
    if (ended) {
      // The session ended while the whole-file hasher held this one; checked after the add,
      // so a buffer added just as the session emptied the queue is not stranded there.
      returnFreeBuffers();
    }
  }

  private void returnFreeBuffers() {
    for (ChunkBuffer b; (b = free.poll()) != null; ) {
      task.buffers().give(b.bytes());
    }
  }

  /** A chunk read from the socket, waiting to be verified and stored. */
  private record Received(ChunkBuffer buffer, int chunk) {}

  private static final Received STOP = new Received(new ChunkBuffer(ByteBuffer.allocate(0), b -> { }), -1);

  private void verifyLoop() {
    while (true) {
      Received r;
      try {
        r = verified.take();
      } catch (InterruptedException e) {
        return;
      }
      if (r == STOP) {
        return;
      }
      try {
        verify(r); // a method of its own, so the JIT compiles it (see loop)
      } catch (RuntimeException | Error e) {
        // A bug here must not leave the session waiting for buffers that never come back: end
        // the session, and keep taking (and so releasing) what it already read.
        if (verifierFailure == null) {
          verifierFailure = new IOException("internal error while verifying: " + e, e);
        }
        stop();
      }
    }
  }

  private void verify(Received r) {
    try {
      if (task.picker().isDone(r.chunk())) {
        task.picker().completed(r.chunk()); // an endgame duplicate: releases our request
        return;
      }
      ByteBuffer bytes = r.buffer().bytes();
      sha.update(bytes.duplicate());
      if (!manifest.chunkHashMatches(r.chunk(), sha.digest())) {
        task.picker().released(r.chunk());
        try {
          strike(r.chunk(), "sent a chunk that does not match its hash");
        } catch (Banned b) {
          verifierFailure = b;
          stop();
        }
        return;
      }
      try {
        task.chunkVerified(r.chunk(), peer, r.buffer());
      } catch (IOException e) {
        task.picker().released(r.chunk());
        verifierFailure = e;
        stop();
      }
    } finally {
      r.buffer().release();
    }
  }

  private void rethrowVerifierFailure() throws IOException {
    IOException f = verifierFailure;
    if (f != null) {
      throw f;
    }
  }

  private void strike(int chunk, String what) throws Banned {
    task.event(new DownloadEvent.ChunkRejected(chunk, peer));
    if (task.strike(peer, address)) {
      throw new Banned("banned: " + what + " " + task.settings().strikesToBan() + " times");
    }
  }

  private void cancelCompleted(FrameWriter writer) throws IOException {
    boolean any = false;
    for (Iterator<Map.Entry<Long, Integer>> it = inFlight.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<Long, Integer> e = it.next();
      if (task.picker().isDone(e.getValue())) {
        writer.write(PeerMessages.cancel(e.getKey()));
        task.picker().released(e.getValue());
        it.remove();
        any = true;
      }
    }
    if (any) {
      writer.flush();
    }
  }

  private Bitfield readBitfield(FrameReader reader, Header h) throws IOException {
    int chunks = h.integer("chunks", 0, Integer.MAX_VALUE);
    if (chunks != manifest.chunkCount()) {
      throw new FrameException(ErrorCode.BAD_REQUEST, "peer's bitfield has " + chunks + " chunks, the file " + manifest.chunkCount());
    }
    byte[] bytes = reader.readBody(Bitfield.byteLength(chunks));
    try {
      return Bitfield.fromBytes(chunks, bytes);
    } catch (IllegalArgumentException e) {
      throw new FrameException(ErrorCode.BAD_REQUEST, "peer sent a malformed bitfield: " + e.getMessage());
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
