package io.swarmshare.internal.download;

import io.swarmshare.api.Bitfield;
import io.swarmshare.api.Download;
import io.swarmshare.api.DownloadCancelledException;
import io.swarmshare.api.DownloadEvent;
import io.swarmshare.api.DownloadProgress;
import io.swarmshare.api.DownloadResult;
import io.swarmshare.api.FileId;
import io.swarmshare.api.Manifest;
import io.swarmshare.api.NoPeersException;
import io.swarmshare.api.PeerAddress;
import io.swarmshare.api.PeerId;
import io.swarmshare.api.PeerInfo;
import io.swarmshare.api.StorageException;
import io.swarmshare.api.SwarmException;
import io.swarmshare.api.spi.Transport;
import io.swarmshare.internal.peer.RateLimiter;
import io.swarmshare.internal.protocol.Watchdog;
import io.swarmshare.internal.store.FileStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * One download: a coordinator thread that asks the tracker for peers, starts a
 * {@link PeerSession} per peer, announces progress in batches, makes progress durable, and
 * finishes the file; sessions fetch and verify chunks. The download completes only when the
 * store has checked the whole file and moved it to its final name.
 */
public final class DownloadTask implements Download {
  private static final System.Logger LOG = System.getLogger(DownloadTask.class.getName());
  /** Progress is made durable at least this often (and every {@link #FLUSH_CHUNKS} chunks). */
  private static final long FLUSH_NANOS = TimeUnit.SECONDS.toNanos(2);
  private static final int FLUSH_CHUNKS = 64;

  /** What a download needs from its client. */
  public interface Host {
    PeerId self();

    PeerAddress address();

    Transport transport();

    RateLimiter downloadLimiter();

    List<PeerInfo> peers(FileId id) throws SwarmException;

    void announce(FileStore store) throws SwarmException;

    /** Called once the file is complete: start or stop seeding it. */
    void finished(DownloadTask task, FileStore store);
  }

  private final Host host;
  private final FileStore store;
  private final Manifest manifest;
  private final DownloadSettings settings;
  private final ChunkPicker picker;
  private final long started = System.nanoTime();
  private final List<Consumer<DownloadEvent>> listeners = new CopyOnWriteArrayList<>();
  private final Map<PeerAddress, PeerSession> sessions = new ConcurrentHashMap<>();
  private final Map<PeerId, AtomicInteger> strikes = new ConcurrentHashMap<>();
  private final Set<PeerId> banned = ConcurrentHashMap.newKeySet();
  private final Set<PeerAddress> bannedAddresses = ConcurrentHashMap.newKeySet();
  private final Map<PeerId, LongAdder> bytesFromPeer = new ConcurrentHashMap<>();
  private final AtomicInteger verifiedChunks = new AtomicInteger();
  private final AtomicLong verifiedBytes = new AtomicLong();
  private final AtomicInteger downloadedChunks = new AtomicInteger();
  private final AtomicInteger sinceFlush = new AtomicInteger();
  private final ReentrantLock changeLock = new ReentrantLock();
  private final Condition changed = changeLock.newCondition();
  private final CountDownLatch done = new CountDownLatch(1);
  private volatile boolean finished;
  private volatile boolean cancelled;
  private volatile @Nullable DownloadResult result;
  private volatile @Nullable SwarmException failure;
  /** A write to the store failed (a full disk, say): the whole download fails with it. */
  private volatile @Nullable StorageException storageFailure;
  private volatile long rate;
  private volatile boolean endgameAnnounced;
  private @Nullable Thread coordinator;
  private final WholeFileHasher hasher;
  private final BufferPool buffers;
  /**
   * Closes sessions whose chunk bodies stall, when they read from a channel without a timeout;
   * started by the first session that needs it (none over TLS). Guarded by {@link #changeLock}.
   */
  private @Nullable Watchdog watchdog;

  public DownloadTask(Host host, FileStore store, DownloadSettings settings) {
    this.host = host;
    this.store = store;
    this.manifest = store.manifest();
    this.settings = settings;
    Bitfield have = store.verified();
    this.picker = new ChunkPicker(manifest.chunkCount(), have);
    this.verifiedChunks.set(have.cardinality());
    long bytes = 0;
    for (int i = have.nextSet(0); i >= 0; i = have.nextSet(i + 1)) {
      bytes += manifest.chunkLength(i);
    }
    this.verifiedBytes.set(bytes);
    this.hasher = new WholeFileHasher(this, store);
    this.buffers = new BufferPool(manifest.chunkSize());
  }

  /** Starts the coordinator; events already known (manifest, resume) are sent to early listeners. */
  public void start() {
    hasher.start();
    coordinator = Thread.ofVirtual().name("swarmshare-download-" + manifest.id().shortForm()).start(this::coordinate);
  }

  Manifest manifest() {
    return manifest;
  }

  DownloadSettings settings() {
    return settings;
  }

  ChunkPicker picker() {
    return picker;
  }

  BufferPool buffers() {
    return buffers;
  }

  Watchdog watchdog() {
    changeLock.lock();
    try {
      Watchdog w = watchdog;
      if (w == null) {
        long tick = Math.max(10, Math.min(250, settings.stallTimeout().toMillis() / 4));
        w = new Watchdog("swarmshare-stall-watchdog-" + manifest.id().shortForm(), Duration.ofMillis(tick));
        watchdog = w;
        if (done.getCount() == 0) {
          w.close(); // the download already ended: guards never fire, the thread stops
        }
      }
      return w;
    } finally {
      changeLock.unlock();
    }
  }

  Transport transport() {
    return host.transport();
  }

  PeerId self() {
    return host.self();
  }

  RateLimiter downloadLimiter() {
    return host.downloadLimiter();
  }

  boolean isFinished() {
    return finished || cancelled;
  }

  /** True once the download failed or was cancelled, so helpers should stop. */
  boolean isAbandoned() {
    return cancelled || failure != null || (finished && result == null && done.getCount() == 0);
  }

  boolean isBanned(PeerId peer) {
    return banned.contains(peer);
  }

  /** Counts a strike; returns true if the peer is now banned. */
  boolean strike(PeerId peer, PeerAddress address) {
    int n = strikes.computeIfAbsent(peer, p -> new AtomicInteger()).incrementAndGet();
    if (n >= settings.strikesToBan() && banned.add(peer)) {
      bannedAddresses.add(address);
      event(new DownloadEvent.PeerBanned(peer, n + " chunks failed verification"));
      return true;
    }
    return n >= settings.strikesToBan();
  }

  /** Called by a session with a chunk whose bytes matched the manifest. */
  void chunkVerified(int chunk, PeerId from, ChunkBuffer buffer) throws StorageException {
    if (!picker.isDone(chunk)) {
      // Offered before it is stored, so the whole-file hash takes it from memory rather than
      // reading it back; a failed write fails the whole download, hash and all.
      hasher.offer(chunk, buffer);
      try {
        store.writeChunk(chunk, buffer.bytes().duplicate()); // signal() below wakes the hasher
      } catch (StorageException e) {
        // Another peer would only hit the same disk: stop, keeping what is verified.
        if (storageFailure == null) {
          storageFailure = e;
        }
        signal();
        throw e;
      }
    }
    if (!picker.completed(chunk)) {
      return;
    }
    int length = manifest.chunkLength(chunk);
    verifiedChunks.incrementAndGet();
    verifiedBytes.addAndGet(length);
    downloadedChunks.incrementAndGet();
    bytesFromPeer.computeIfAbsent(from, p -> new LongAdder()).add(length);
    sinceFlush.incrementAndGet();
    event(new DownloadEvent.ChunkVerified(chunk, from));
    if (!endgameAnnounced && picker.inEndgame()) {
      endgameAnnounced = true;
      event(new DownloadEvent.EndgameStarted(picker.remaining()));
    }
    signal();
  }

  void sessionEnded(PeerSession session, String reason) {
    sessions.remove(session.address(), session);
    sessionThreads.remove(Thread.currentThread());
    if (!session.peer().value().equals("unknown")) {
      event(new DownloadEvent.PeerDisconnected(session.peer(), reason));
    }
    LOG.log(System.Logger.Level.DEBUG, "session with {0} ended: {1}", session.address(), reason);
    signal();
  }

  /** Sends an event to every listener; a listener that throws is removed. */
  void event(DownloadEvent e) {
    if (e instanceof DownloadEvent.Completed || e instanceof DownloadEvent.Failed) {
      // The last event is remembered, so a listener added after the end still hears it once.
      listenerLock.lock();
      try {
        terminal = e;
        dispatch(e);
      } finally {
        listenerLock.unlock();
      }
      return;
    }
    dispatch(e);
  }

  private void dispatch(DownloadEvent e) {
    for (Consumer<DownloadEvent> l : listeners) {
      try {
        l.accept(e);
      } catch (RuntimeException ex) {
        listeners.remove(l);
      }
    }
  }

  void signal() {
    changeLock.lock();
    try {
      changed.signalAll();
    } finally {
      changeLock.unlock();
    }
    hasher.changed();
  }

  void awaitChange(Duration timeout) throws InterruptedException {
    awaitChange(timeout, false);
  }

  /**
   * Waits for a signal or the timeout. With {@code untilDone}, the coordinator's wait, it does
   * not wait at all once the last chunk is in, the download is cancelled or the disk failed:
   * checked under the lock that {@link #signal} takes after each such change, so a change made
   * just before the call cannot leave the coordinator waiting out the timeout.
   */
  private void awaitChange(Duration timeout, boolean untilDone) throws InterruptedException {
    changeLock.lock();
    try {
      boolean done = untilDone && (picker.remaining() == 0 || cancelled || storageFailure != null);
      if (!isFinished() && !done) {
        changed.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
      }
    } finally {
      changeLock.unlock();
    }
  }

  private void coordinate() {
    try {
      long lastFlush = System.nanoTime();
      long lastPeerSeen = System.nanoTime();
      long lastTracker = 0;
      long lastAnnounced = -1;
      long rateBytes = verifiedBytes.get();
      long rateAt = System.nanoTime();
      while (picker.remaining() > 0) {
        if (cancelled) {
          throw new DownloadCancelledException("download of " + store.name() + " was cancelled; run it again to resume");
        }
        StorageException diskFailure = storageFailure;
        if (diskFailure != null) {
          throw diskFailure;
        }
        long now = System.nanoTime();
        if (now - lastTracker >= settings.trackerInterval().toNanos()) {
          lastTracker = now;
          long count = verifiedChunks.get();
          if (count != lastAnnounced) {
            try {
              host.announce(store);
              lastAnnounced = count;
            } catch (SwarmException e) {
              LOG.log(System.Logger.Level.DEBUG, "announce failed: {0}", e.getMessage());
            }
          }
          connectNewPeers();
        }
        if (!sessions.isEmpty()) {
          lastPeerSeen = now;
        } else if (now - lastPeerSeen > settings.noPeersTimeout().toNanos()) {
          throw new NoPeersException("no peer holding the missing chunks of " + store.name() + " could be reached for "
              + settings.noPeersTimeout().toSeconds() + " s; verified chunks are kept, run it again to resume");
        }
        if (sinceFlush.get() >= FLUSH_CHUNKS || now - lastFlush > FLUSH_NANOS) {
          sinceFlush.set(0);
          lastFlush = now;
          store.flush();
        }
        if (now - rateAt >= TimeUnit.SECONDS.toNanos(1)) {
          long b = verifiedBytes.get();
          rate = (long) ((b - rateBytes) / ((now - rateAt) / 1e9));
          rateBytes = b;
          rateAt = now;
        }
        awaitChange(Duration.ofMillis(200), true);
      }
      finished = true;
      signal();
      stopSessions();
      store.flush();
      String whole = hasher.await();
      store.complete(whole);
      Map<PeerId, Long> perPeer = new java.util.HashMap<>();
      bytesFromPeer.forEach((p, n) -> perPeer.put(p, n.sum()));
      DownloadResult r = new DownloadResult(manifest.id(), store.finalPath(), manifest.size(),
          Duration.ofNanos(System.nanoTime() - started), downloadedChunks.get(), store.resumedChunks(), perPeer);
      result = r;
      host.finished(this, store);
      event(new DownloadEvent.Completed(r));
    } catch (SwarmException e) {
      fail(e);
    } catch (InterruptedException e) {
      fail(new DownloadCancelledException("download of " + store.name() + " was interrupted; run it again to resume"));
    } catch (RuntimeException e) {
      fail(new StorageException("download of " + store.name() + " failed unexpectedly: " + e, e));
    } finally {
      finished = true;
      signal();
      buffers.close();
      changeLock.lock();
      try {
        Watchdog w = watchdog;
        if (w != null) {
          w.close();
        }
        done.countDown();
      } finally {
        changeLock.unlock();
      }
    }
  }

  private void fail(SwarmException e) {
    failure = e;
    signal();
    finished = true;
    stopSessions();
    awaitSessions(Duration.ofSeconds(10));
    store.close();
    host.finished(this, store);
    event(new DownloadEvent.Failed(e));
  }

  private void connectNewPeers() {
    List<PeerInfo> peers;
    try {
      peers = host.peers(manifest.id());
    } catch (SwarmException e) {
      // A tracker that restarts or hiccups costs new peers for a while, not the download.
      LOG.log(System.Logger.Level.DEBUG, "tracker query failed: {0}", e.getMessage());
      return;
    }
    List<PeerInfo> candidates = new ArrayList<>(peers);
    java.util.Collections.shuffle(candidates);
    Set<PeerAddress> seen = new HashSet<>(sessions.keySet());
    for (PeerInfo p : candidates) {
      if (sessions.size() >= settings.maxPeers()) {
        break;
      }
      if (p.peer().equals(host.self()) || banned.contains(p.peer()) || bannedAddresses.contains(p.address())
          || seen.contains(p.address()) || p.have().cardinality() == 0) {
        continue;
      }
      PeerSession s = new PeerSession(this, p.address());
      if (sessions.putIfAbsent(p.address(), s) == null) {
        seen.add(p.address());
        Thread t = Thread.ofVirtual().name("swarmshare-session-" + p.address()).unstarted(s);
        sessionThreads.add(t);
        t.start();
      }
    }
  }

  private void stopSessions() {
    for (PeerSession s : sessions.values()) {
      s.stop();
    }
  }

  private final Set<Thread> sessionThreads = ConcurrentHashMap.newKeySet();

  /**
   * Waits for stopped sessions to finish, so no chunk they already read is written after the
   * store records its progress and closes.
   */
  private void awaitSessions(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    for (Thread t : sessionThreads) {
      try {
        t.join(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  @Override
  public FileId id() {
    return manifest.id();
  }

  @Override
  public DownloadProgress progress() {
    return new DownloadProgress(manifest.size(), verifiedBytes.get(), manifest.chunkCount(), verifiedChunks.get(),
        store.resumedChunks(), sessions.size(), finished ? 0 : rate);
  }

  @Override
  public void onEvent(Consumer<DownloadEvent> listener) {
    // Events from before anyone could listen (manifest, resume) are replayed first, so no caller
    // misses them; the last event is replayed too if the download already ended.
    for (DownloadEvent e : opening) {
      listener.accept(e);
    }
    DownloadEvent end;
    listenerLock.lock();
    try {
      listeners.add(listener);
      end = terminal;
    } finally {
      listenerLock.unlock();
    }
    if (end != null) {
      listener.accept(end);
    }
  }

  private final java.util.concurrent.locks.ReentrantLock listenerLock = new java.util.concurrent.locks.ReentrantLock();
  private volatile @Nullable DownloadEvent terminal;

  private final List<DownloadEvent> opening = new CopyOnWriteArrayList<>();

  /** Records an event that happened before {@link #start()}; replayed to every listener. */
  public void openingEvent(DownloadEvent e) {
    opening.add(e);
  }

  @Override
  public DownloadResult await() throws SwarmException, InterruptedException {
    done.await();
    return outcome();
  }

  @Override
  public @Nullable DownloadResult await(Duration timeout) throws SwarmException, InterruptedException {
    if (!done.await(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
      return null;
    }
    return outcome();
  }

  private DownloadResult outcome() throws SwarmException {
    SwarmException f = failure;
    if (f != null) {
      throw f;
    }
    DownloadResult r = result;
    if (r == null) {
      throw new DownloadCancelledException("download was cancelled");
    }
    return r;
  }

  @Override
  public boolean isDone() {
    return done.getCount() == 0;
  }

  @Override
  public void cancel() {
    if (!isDone()) {
      cancelled = true;
      signal();
    }
  }

  @Override
  public void close() {
    cancel();
  }

  /** The store being written; for the client. */
  public FileStore store() {
    return store;
  }
}
