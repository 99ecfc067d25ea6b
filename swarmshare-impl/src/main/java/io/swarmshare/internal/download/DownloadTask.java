package io.swarmshare.internal.download;

import io.swarmshare.api.Bitfield;
import io.swarmshare.api.Download;
import io.swarmshare.api.DownloadCancelledException;
import io.swarmshare.api.DownloadEvent;
import io.swarmshare.api.DownloadProgress;
import io.swarmshare.api.DownloadResult;
import io.swarmshare.api.FileId;
import io.swarmshare.api.IntegrityException;
import io.swarmshare.api.Manifest;
import io.swarmshare.api.NoPeersException;
import io.swarmshare.api.PeerAddress;
import io.swarmshare.api.PeerId;
import io.swarmshare.api.PeerInfo;
import io.swarmshare.api.PieceStore;
import io.swarmshare.api.StorageException;
import io.swarmshare.api.SwarmException;
import io.swarmshare.api.spi.Transport;
import io.swarmshare.internal.peer.RateLimiter;
import io.swarmshare.internal.protocol.Watchdog;
import io.swarmshare.internal.store.FileStore;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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
public final class DownloadTask implements Download, SessionContext {
  private static final System.Logger LOG = System.getLogger(DownloadTask.class.getName());
  /** Connection attempts that fail in a row before an address is set aside. */
  static final int FAILURES_TO_FORGET = 3;
  /** How long an address that kept failing is set aside; the tracker forgets a dead peer sooner. */
  private static final long FORGET_NANOS = TimeUnit.SECONDS.toNanos(90);
  /**
   * How often a download with every peer slot taken lets its least useful peer go for one the
   * tracker offers. Slots fill from whoever the tracker knows when the download starts: in a
   * fleet started together, the first downloads know only one another and would trade inside
   * that early clique for good (in {@code bin/swarm-sim}, the first 50 of 200 leechers finished
   * last, at under half their link).
   */
  static final long ROTATE_NANOS = TimeUnit.MILLISECONDS.toNanos(Long.getLong("swarmshare.rotateMs", 3000));
  /** A peer let go is not dialled again for this long. */
  private static final long ROTATED_OUT_NANOS = TimeUnit.SECONDS.toNanos(60);
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

    void announce(PieceStore store, String name) throws SwarmException;

    /** A chunk of {@code id} was stored and verified: peers watching the file hear of it. */
    void obtained(FileId id, int chunk, int length);

    /** True while some peer is downloading {@code id} from this client. */
    boolean isServing(FileId id);

    /** Called once the download ends; {@code complete} if the file is whole: start or stop seeding it. */
    void finished(DownloadTask task, boolean complete);
  }

  private final Host host;
  private final PieceStore store;
  /** The file's name, for messages and the tracker. */
  private final String name;
  /** Where the file lies once complete (for a store of the application's own, where it would). */
  private final Path path;
  private final int resumed;
  private final Manifest manifest;
  private final DownloadSettings settings;
  private final ChunkPicker picker;
  private final long started = System.nanoTime();
  private final DownloadEvents events = new DownloadEvents();
  private final FlightEvents flight;
  private final Map<PeerAddress, PeerSession> sessions = new ConcurrentHashMap<>();
  /** Failed connection attempts in a row per address, and when the address was set aside. */
  private final Map<PeerAddress, long[]> failures = new ConcurrentHashMap<>();
  /** Peers let go to make room for others ({@link #rotate}), with when: not dialled again for a while. */
  private final Map<PeerAddress, Long> rotatedOut = new ConcurrentHashMap<>();
  private final PeerVerdicts verdicts;
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
  private final CompletableFuture<DownloadResult> completion = new CompletableFuture<>();
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

  /**
   * A download into {@code store}, whose verified chunks are trusted as they are (a file store
   * re-checked its resume record when it opened).
   */
  public DownloadTask(Host host, PieceStore store, String name, Path path, DownloadSettings settings) {
    this.host = host;
    this.store = store;
    this.name = name;
    this.path = path;
    this.verdicts = new PeerVerdicts(settings.strikesToBan());
    this.manifest = store.manifest();
    this.flight = new FlightEvents(manifest, name);
    this.settings = settings;
    Bitfield have = store.verified();
    this.picker = new ChunkPicker(manifest.chunkCount(), have);
    this.verifiedChunks.set(have.cardinality());
    this.resumed = store instanceof FileStore fs ? fs.resumedChunks() : have.cardinality();
    long bytes = 0;
    for (int i = have.nextSet(0); i >= 0; i = have.nextSet(i + 1)) {
      bytes += manifest.chunkLength(i);
    }
    this.verifiedBytes.set(bytes);
    this.hasher = new WholeFileHasher(store, this::isAbandoned);
    this.buffers = new BufferPool(manifest.chunkSize());
  }

  /** Starts the coordinator; events already known (manifest, resume) are sent to early listeners. */
  public void start() {
    if (host.isServing(manifest.id())) {
      picker.joinSwarm();
    }
    hasher.start();
    coordinator = Thread.ofVirtual().name("swarmshare-download-" + manifest.id().shortForm()).start(this::coordinate);
  }

  @Override
  public Manifest manifest() {
    return manifest;
  }

  @Override
  public DownloadSettings settings() {
    return settings;
  }

  ChunkPicker picker() {
    return picker;
  }

  @Override
  public BufferPool buffers() {
    return buffers;
  }

  @Override
  public Watchdog watchdog() {
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

  @Override
  public Transport transport() {
    return host.transport();
  }

  @Override
  public PeerId self() {
    return host.self();
  }

  @Override
  public RateLimiter downloadLimiter() {
    return host.downloadLimiter();
  }

  @Override
  public boolean isFinished() {
    return finished || cancelled;
  }

  /** True once the download failed or was cancelled, so helpers should stop. */
  boolean isAbandoned() {
    return cancelled || failure != null || (finished && result == null && done.getCount() == 0);
  }

  @Override
  public boolean isBanned(PeerAddress address, @Nullable PeerId certified) {
    return verdicts.isBanned(address, certified);
  }

  /** Counts a strike; returns true if the peer is now banned. */
  @Override
  public boolean strike(PeerSession session) {
    int banning = verdicts.strike(session.address(), session.certified());
    if (banning > 0) {
      event(new DownloadEvent.PeerBanned(session.peer(), session.address(), banning + " chunks failed verification"));
      return true;
    }
    return verdicts.isOut(session.address(), session.certified());
  }

  @Override
  public void ban(PeerSession session, String reason) {
    if (verdicts.ban(session.address(), session.certified())) {
      event(new DownloadEvent.PeerBanned(session.peer(), session.address(), reason));
    }
  }

  /** Called by a session with a chunk whose bytes matched the manifest. */
  @Override
  public void chunkVerified(int chunk, PeerId from, ChunkBuffer buffer) throws StorageException {
    if (!picker.isDone(chunk)) {
      // Offered before it is stored, so the whole-file hash takes it from memory rather than
      // reading it back; a failed write fails the whole download, hash and all. A chunk the
      // hasher did not take is read back once stored (signal() below wakes it): a file store
      // keeps that one in the page cache.
      boolean hashedFromMemory = hasher.offer(chunk, buffer);
      try {
        ByteBuffer bytes = buffer.bytes().duplicate();
        if (store instanceof FileStore fs) {
          fs.writeChunk(chunk, bytes, !hashedFromMemory);
        } else {
          store.writeChunk(chunk, bytes);
        }
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
    host.obtained(manifest.id(), chunk, length);
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

  @Override
  public void connected(PeerSession session) {
    if (sessions.size() > 1) {
      picker.joinSwarm();
    }
    signal();
  }

  @Override
  public void sessionEnded(PeerSession session, String reason) {
    sessions.remove(session.address(), session);
    sessionThreads.remove(Thread.currentThread());
    if (session.delivered()) {
      failures.remove(session.address());
    } else if (!isFinished()) {
      // A dead, refusing, stalling or misbehaving address (a session that ended without a chunk:
      // one that broke the protocol was redialled at once, 31 times in 4 s): after a
      // few failures in a row it is set aside, so a download whose only peers are gone or useless
      // notices it has none. Answering the handshake is not enough to clear the count;
      // delivering a chunk is.
      long[] f = failures.computeIfAbsent(session.address(), a -> new long[2]);
      if (++f[0] >= FAILURES_TO_FORGET) {
        f[1] = System.nanoTime();
      }
    }
    if (!session.peer().value().equals("unknown")) {
      event(new DownloadEvent.PeerDisconnected(session.peer(), reason));
    }
    LOG.log(System.Logger.Level.DEBUG, "session with {0} ended: {1}", session.address(), reason);
    signal();
  }

  /** Sends an event to every listener; a listener that throws is removed. */
  @Override
  public void event(DownloadEvent e) {
    flight.record(e);
    events.send(e);
  }

  /** Wakes the coordinator, every session and the hasher: a chunk settled or the download changed. */
  void signal() {
    changeLock.lock();
    try {
      changed.signalAll();
    } finally {
      changeLock.unlock();
    }
    for (PeerSession s : sessions.values()) {
      s.wake();
    }
    hasher.changed();
  }

  /**
   * The coordinator's wait for a signal or the timeout. It does not wait at all once the last
   * chunk is in, the download is cancelled or the disk failed:
   * checked under the lock that {@link #signal} takes after each such change, so a change made
   * just before the call cannot leave the coordinator waiting out the timeout.
   */
  private void awaitChange(long nanos) throws InterruptedException {
    changeLock.lock();
    try {
      boolean done = picker.remaining() == 0 || cancelled || storageFailure != null;
      if (!isFinished() && !done) {
        changed.awaitNanos(nanos);
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
      long lastRotation = System.nanoTime();
      long lastAnnounced = -1;
      long rateBytes = verifiedBytes.get();
      long rateAt = System.nanoTime();
      long second = TimeUnit.SECONDS.toNanos(1);
      while (picker.remaining() > 0) {
        if (cancelled) {
          throw new DownloadCancelledException("download of " + name + " was cancelled; run it again to resume");
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
              host.announce(store, name);
              lastAnnounced = count;
            } catch (SwarmException e) {
              LOG.log(System.Logger.Level.DEBUG, "announce failed: {0}", e.getMessage());
            }
          }
          // With every peer slot taken, a fresh peer list could not be used: asking would only
          // load the tracker, and in a fleet the downloads' questions are most of its work. A
          // slot that frees up (a peer that leaves, stalls or lies) is filled at the next tick.
          if (sessions.size() < settings.maxPeers()) {
            connectNewPeers();
          }
        }
        if (now - lastRotation >= ROTATE_NANOS) {
          lastRotation = now;
          if (rotate()) {
            connectNewPeers();
          }
        }
        // Only a peer that answered counts: attempts on a dead address are not a peer seen.
        if (sessions.values().stream().anyMatch(PeerSession::reached)) {
          lastPeerSeen = now;
        } else if (now - lastPeerSeen > settings.noPeersTimeout().toNanos()) {
          throw new NoPeersException("no peer holding the missing chunks of " + name + " could be reached for "
              + settings.noPeersTimeout().toSeconds() + " s; verified chunks are kept, run it again to resume");
        }
        if (sinceFlush.get() >= FLUSH_CHUNKS || now - lastFlush > FLUSH_NANOS) {
          sinceFlush.set(0);
          lastFlush = now;
          store.flush();
        }
        if (now - rateAt >= second) {
          long b = verifiedBytes.get();
          rate = (long) ((b - rateBytes) / ((now - rateAt) / 1e9));
          rateBytes = b;
          rateAt = now;
        }
        // Sleep until the next timed duty, or until a chunk lands (FLUSH_CHUNKS may be due) or
        // the download ends: signal() wakes this wait.
        long next = Math.min(Math.min(lastTracker + settings.trackerInterval().toNanos(), lastFlush + FLUSH_NANOS),
            Math.min(Math.min(rateAt + second, lastRotation + ROTATE_NANOS),
                lastPeerSeen + settings.noPeersTimeout().toNanos() + 1));
        awaitChange(Math.max(1, next - System.nanoTime()));
      }
      finished = true;
      signal();
      stopSessions();
      store.flush();
      String whole = hasher.await();
      complete(whole);
      Map<PeerId, Long> perPeer = new java.util.HashMap<>();
      bytesFromPeer.forEach((p, n) -> perPeer.put(p, n.sum()));
      DownloadResult r = new DownloadResult(manifest.id(), path, manifest.size(),
          Duration.ofNanos(System.nanoTime() - started), downloadedChunks.get(), resumed, perPeer);
      result = r;
      host.finished(this, true);
      event(new DownloadEvent.Completed(r));
    } catch (SwarmException e) {
      fail(e);
    } catch (InterruptedException e) {
      fail(new DownloadCancelledException("download of " + name + " was interrupted; run it again to resume"));
    } catch (RuntimeException e) {
      fail(new StorageException("download of " + name + " failed unexpectedly: " + e, e));
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
        try {
          completion.complete(outcome());
        } catch (SwarmException e) {
          completion.completeExceptionally(e);
        }
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
    host.finished(this, false);
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
    // Seeds first (the sample is random already): they hold what nobody else may have yet.
    List<PeerInfo> candidates = new ArrayList<>(peers);
    java.util.Collections.shuffle(candidates);
    candidates.sort(java.util.Comparator.comparing(p -> !p.have().isComplete()));
    // In a swarm (other leechers, or peers fetching from us) chunks are picked to spread.
    boolean swarm = host.isServing(manifest.id()) || sessions.size() > 1;
    long now = System.nanoTime();
    for (PeerInfo p : candidates) {
      if (p.peer().equals(host.self())) {
        continue;
      }
      swarm |= !p.have().isComplete();
      // The tracker's peer id is only a claim: bans are checked by address here, and by
      // certificate once a session has shaken hands.
      if (sessions.size() >= settings.maxPeers() || verdicts.isBanned(p.address(), null)
          || sessions.containsKey(p.address()) || setAside(p.address(), now) || rotatedOut(p.address(), now)) {
        continue;
      }
      PeerSession s = new PeerSession(this, picker, p.address());
      if (sessions.putIfAbsent(p.address(), s) == null) {
        Thread t = Thread.ofVirtual().name("swarmshare-session-" + p.address()).unstarted(s);
        sessionThreads.add(t);
        t.start();
      }
    }
    if (swarm) {
      joinSwarm();
    }
  }

  /** Another peer started downloading this file from us: its chunks should spread. */
  public void servingStarted() {
    joinSwarm();
  }

  /** Sessions pick anew once the download is in a swarm (random ties, seeds spared). */
  private void joinSwarm() {
    if (picker.joinSwarm()) {
      signal();
    }
  }

  /**
   * With every slot taken in a swarm, lets the leecher that delivered least since the last
   * rotation go, if it delivered under half the average, so that a slot opens for a peer the
   * tracker offers. Seeds, and peers connected for less than a rotation, stay.
   *
   * @return true if a slot was opened
   */
  private boolean rotate() {
    long now = System.nanoTime();
    rotatedOut.values().removeIf(t -> now - t > ROTATED_OUT_NANOS); // a long download meets many peers
    if (sessions.size() < settings.maxPeers() || !picker.inSwarm() || picker.remaining() <= settings.maxPeers()) {
      for (PeerSession s : sessions.values()) {
        s.deliveredSinceRotation(); // start every window afresh
      }
      return false;
    }
    List<PeerSession> eligible = new ArrayList<>();
    List<Long> bytes = new ArrayList<>();
    for (PeerSession s : sessions.values()) {
      long b = s.deliveredSinceRotation();
      if (s.reached() && !s.isSeed() && now - s.connectedAt() >= ROTATE_NANOS) {
        eligible.add(s);
        bytes.add(b);
      }
    }
    int w = leastUseful(bytes);
    if (w < 0) {
      return false;
    }
    PeerSession worst = eligible.get(w);
    long worstBytes = bytes.get(w);
    int counted = eligible.size();
    rotatedOut.put(worst.address(), now);
    worst.retire("rotated out: delivered " + (worstBytes >> 10) + " KiB in the last "
        + TimeUnit.NANOSECONDS.toSeconds(ROTATE_NANOS) + " s, the least of " + counted + " leechers; trying another peer");
    sessions.remove(worst.address(), worst);
    return true;
  }

  /**
   * Which of several peers to let go, from the bytes each delivered over the same time: the one
   * that delivered least, if that is under half the average; -1 for none (fewer than two peers,
   * or none that far behind).
   */
  static int leastUseful(List<Long> delivered) {
    if (delivered.size() < 2) {
      return -1;
    }
    long total = 0;
    int worst = 0;
    for (int i = 0; i < delivered.size(); i++) {
      total += delivered.get(i);
      if (delivered.get(i) < delivered.get(worst)) {
        worst = i;
      }
    }
    return delivered.get(worst) * 2L * delivered.size() < total ? worst : -1;
  }

  /** True while a peer let go by {@link #rotate} is kept out (rotate forgets it afterwards). */
  private boolean rotatedOut(PeerAddress address, long now) {
    Long at = rotatedOut.get(address);
    return at != null && now - at <= ROTATED_OUT_NANOS;
  }

  /** True while an address that failed again and again is set aside. */
  private boolean setAside(PeerAddress address, long now) {
    long[] f = failures.get(address);
    if (f == null || f[0] < FAILURES_TO_FORGET) {
      return false;
    }
    if (now - f[1] > FORGET_NANOS) {
      failures.remove(address); // worth one more try: it may have come back
      return false;
    }
    return true;
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
        resumed, sessions.size(), finished ? 0 : rate);
  }

  @Override
  public void onEvent(Consumer<DownloadEvent> listener) {
    events.listen(listener);
  }

  /** Records an event that happened before {@link #start()}; replayed to every listener. */
  public void openingEvent(DownloadEvent e) {
    flight.record(e);
    events.opening(e);
  }

  @Override
  public DownloadResult await() throws SwarmException, InterruptedException {
    done.await();
    return outcome();
  }

  @Override
  public DownloadResult await(Duration timeout) throws SwarmException, InterruptedException, TimeoutException {
    if (!done.await(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
      throw new TimeoutException("download of " + name + " not finished within " + timeout.toMillis() + " ms");
    }
    return outcome();
  }

  @Override
  public CompletableFuture<DownloadResult> completion() {
    return completion.copy(); // callers cannot complete ours
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
  public PieceStore store() {
    return store;
  }

  /** The file's name. */
  public String name() {
    return name;
  }

  /** Where the file lies once complete. */
  public Path path() {
    return path;
  }

  /**
   * Checks the whole-file hash computed during the download and completes the store. A file
   * store takes the hash and moves the file to its final name; any other store is told only
   * once the hash matched.
   */
  private void complete(@Nullable String whole) throws SwarmException {
    if (store instanceof FileStore fs) {
      fs.complete(whole);
      return;
    }
    if (whole == null || !whole.equals(manifest.sha256())) {
      throw new IntegrityException("every chunk of " + name + " matched, but the whole file does not match the"
          + " manifest's SHA-256; the manifest is inconsistent (made by a faulty or malicious sharer)");
    }
    store.complete();
  }
}
