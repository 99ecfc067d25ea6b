package io.swarmshare.internal.tracker;

import io.swarmshare.api.Announcement;
import io.swarmshare.api.FileEntry;
import io.swarmshare.api.FileId;
import io.swarmshare.api.Manifest;
import io.swarmshare.api.PeerId;
import io.swarmshare.api.PeerInfo;
import io.swarmshare.api.ProtocolException;
import io.swarmshare.api.Tracker;
import io.swarmshare.api.TrackerUnavailableException;
import io.swarmshare.api.UnknownFileException;
import io.swarmshare.internal.protocol.ErrorCode;
import io.swarmshare.internal.protocol.Limits;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * A tracker in this process: the state every other shape of tracker ends up calling.
 *
 * <p>Thread-safe. Every operation is short and touches memory only, so one lock guards all state:
 * that keeps the caps of {@link TrackerLimits} exact without lock ordering. Time comes from an
 * {@link InstantSource}, so tests move it by hand. Peers silent past their time-to-live are
 * never returned; they are removed lazily when their file is next touched, and by a full sweep
 * at most every quarter TTL or whenever a cap is reached, so no background thread is needed.
 *
 * <p>Failures: {@link IllegalArgumentException} for a malformed request (a bad name, a bitfield
 * of the wrong size), {@link UnknownFileException} for a file it does not know,
 * {@link ProtocolException} with code {@code busy} when a cap is reached, and
 * {@link TrackerUnavailableException} once closed.
 */
public final class InMemoryTracker implements Tracker {
  private static final Comparator<FileEntry> BY_NAME =
      Comparator.<FileEntry, String>comparing(e -> e.name().toLowerCase(Locale.ROOT))
          .thenComparing(FileEntry::name)
          .thenComparing(e -> e.id().hex());

  private final TrackerLimits limits;
  private final InstantSource clock;
  private final Duration ttl;
  private final ReentrantLock lock = new ReentrantLock();
  private final Map<FileId, Swarm> swarms = new HashMap<>();
  private final Map<PeerId, Integer> filesPerPeer = new HashMap<>();
  private int peerEntries;
  private long storedBytes;
  private @Nullable Instant lastSweep;
  private boolean closed;

  /** A tracker with {@link TrackerLimits#DEFAULTS} on the system clock. */
  public InMemoryTracker() {
    this(TrackerLimits.DEFAULTS, InstantSource.system());
  }

  /** A tracker with the given caps and clock. */
  public InMemoryTracker(TrackerLimits limits, InstantSource clock) {
    this.limits = limits;
    this.clock = clock;
    this.ttl = limits.peerTtl();
  }

  /** The caps this tracker enforces. */
  public TrackerLimits limits() {
    return limits;
  }

  @Override
  public void register(Manifest manifest, String name) throws TrackerUnavailableException, ProtocolException {
    TrackerLimits.checkName(name);
    lock.lock();
    try {
      Instant now = begin();
      Swarm swarm = live(manifest.id(), now);
      if (swarm == null) {
        long cost = Swarm.fileCost(manifest) + Swarm.nameCost(name);
        if (swarms.size() >= limits.maxFiles() && sweep(now) && swarms.size() >= limits.maxFiles()) {
          throw busy("the tracker knows " + swarms.size() + " files, its limit");
        }
        reserve(cost, now);
        swarm = new Swarm(manifest, now);
        swarm.addName(name);
        swarms.put(manifest.id(), swarm);
        return;
      }
      swarm.lastActivity = now;
      if (swarm.names.contains(name)) {
        return;
      }
      if (swarm.names.size() >= limits.maxNamesPerFile()) {
        throw busy("file " + manifest.id().shortForm() + " already has " + swarm.names.size() + " names, its limit");
      }
      reserve(Swarm.nameCost(name), now);
      swarm.addName(name);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void announce(Announcement a) throws TrackerUnavailableException, ProtocolException, UnknownFileException {
    lock.lock();
    try {
      Instant now = begin();
      Swarm swarm = known(a.file(), now);
      int chunks = swarm.manifest.chunkCount();
      if (a.have().size() != chunks) {
        throw new IllegalArgumentException("file " + a.file().shortForm() + " has " + chunks
            + " chunks; the announced bitfield has " + a.have().size());
      }
      if (!swarm.peers.containsKey(a.peer())) {
        admitPeer(swarm, a, now);
      }
      swarm.put(a.peer(), a.address(), a.have(), now);
    } finally {
      lock.unlock();
    }
  }

  private void admitPeer(Swarm swarm, Announcement a, Instant now) throws ProtocolException {
    if (swarm.peers.size() >= limits.maxPeersPerFile()) {
      expirePeers(swarm, now);
      if (swarm.peers.size() >= limits.maxPeersPerFile()) {
        throw busy("file " + a.file().shortForm() + " has " + swarm.peers.size() + " peers, its limit");
      }
    }
    if (peerEntries >= limits.maxPeers() && sweep(now) && peerEntries >= limits.maxPeers()) {
      throw busy("the tracker lists " + peerEntries + " peers, its limit");
    }
    int files = filesPerPeer.getOrDefault(a.peer(), 0);
    if (files >= limits.maxFilesPerPeer()) {
      throw busy("peer " + a.peer() + " already announces " + files + " files, its limit");
    }
    reserve(Swarm.peerCost(a.have()), now);
    filesPerPeer.put(a.peer(), files + 1);
    peerEntries++;
  }

  @Override
  public void leave(FileId file, PeerId peer) throws TrackerUnavailableException {
    lock.lock();
    try {
      Instant now = begin();
      Swarm swarm = live(file, now);
      if (swarm != null) {
        PeerInfo gone = swarm.peers.remove(peer);
        if (gone != null) {
          forgetPeer(gone);
        }
      }
    } finally {
      lock.unlock();
    }
  }

  @Override
  public List<PeerInfo> peers(FileId file, int limit) throws TrackerUnavailableException, UnknownFileException {
    TrackerLimits.checkLimit(limit);
    lock.lock();
    try {
      Instant now = begin();
      Swarm swarm = known(file, now);
      expirePeers(swarm, now);
      return PeerSample.of(swarm.peers.values(), Math.min(limit, Limits.MAX_PEERS_PER_REPLY), ThreadLocalRandom.current());
    } finally {
      lock.unlock();
    }
  }

  @Override
  public Optional<Manifest> manifest(FileId file) throws TrackerUnavailableException {
    lock.lock();
    try {
      Swarm swarm = live(file, begin());
      return swarm == null ? Optional.empty() : Optional.of(swarm.manifest);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public List<FileEntry> search(String text, int limit) throws TrackerUnavailableException {
    TrackerLimits.checkSearchText(text);
    TrackerLimits.checkLimit(limit);
    String needle = text.toLowerCase(Locale.ROOT);
    lock.lock();
    try {
      Instant now = begin();
      List<FileEntry> found = new ArrayList<>();
      for (Swarm swarm : swarms.values()) {
        if (swarm.expired(now, ttl)) {
          continue;
        }
        int seeders = -1;
        // An id, or a prefix of one of at least 8 hex digits, finds the file under every name.
        boolean byId = needle.length() >= 8 && swarm.manifest.id().hex().startsWith(needle);
        for (int i = 0; i < swarm.names.size(); i++) {
          if (byId || swarm.lowerNames.get(i).contains(needle)) {
            if (seeders < 0) {
              seeders = swarm.seeders(now, ttl);
            }
            found.add(new FileEntry(swarm.manifest.id(), swarm.names.get(i), swarm.manifest.size(), seeders));
          }
        }
      }
      found.sort(BY_NAME);
      return List.copyOf(found.subList(0, Math.min(found.size(), Math.min(limit, limits.maxSearchResults()))));
    } finally {
      lock.unlock();
    }
  }

  /** Forgets every file and peer; later calls throw {@link TrackerUnavailableException}. */
  @Override
  public void close() {
    lock.lock();
    try {
      closed = true;
      swarms.clear();
      filesPerPeer.clear();
      peerEntries = 0;
      storedBytes = 0;
    } finally {
      lock.unlock();
    }
  }

  /** Bytes of state held now, as counted against {@link TrackerLimits#maxStoredBytes()}; for tests. */
  long storedBytes() {
    lock.lock();
    try {
      return storedBytes;
    } finally {
      lock.unlock();
    }
  }

  private Instant begin() throws TrackerUnavailableException {
    if (closed) {
      throw new TrackerUnavailableException("the tracker is closed");
    }
    Instant now = clock.instant();
    if (lastSweep == null || !lastSweep.plus(ttl.dividedBy(4)).isAfter(now)) {
      sweep(now);
    }
    return now;
  }

  private Swarm known(FileId file, Instant now) throws UnknownFileException {
    Swarm swarm = live(file, now);
    if (swarm == null) {
      throw new UnknownFileException("the tracker does not know file " + file);
    }
    return swarm;
  }

  private @Nullable Swarm live(FileId file, Instant now) {
    Swarm swarm = swarms.get(file);
    if (swarm != null && swarm.expired(now, ttl)) {
      swarms.remove(file);
      forgetSwarm(swarm);
      return null;
    }
    return swarm;
  }

  /** Removes every expired peer and file; returns true so callers can recheck a cap in one line. */
  private boolean sweep(Instant now) {
    lastSweep = now;
    for (Iterator<Swarm> it = swarms.values().iterator(); it.hasNext(); ) {
      Swarm swarm = it.next();
      if (swarm.expired(now, ttl)) {
        it.remove();
        forgetSwarm(swarm);
      } else {
        expirePeers(swarm, now);
      }
    }
    return true;
  }

  private void expirePeers(Swarm swarm, Instant now) {
    for (Iterator<PeerInfo> it = swarm.peers.values().iterator(); it.hasNext(); ) {
      PeerInfo p = it.next();
      if (!Swarm.alive(p, now, ttl)) {
        it.remove();
        forgetPeer(p);
      }
    }
  }

  private void forgetSwarm(Swarm swarm) {
    for (PeerInfo p : swarm.peers.values()) {
      forgetPeer(p);
    }
    storedBytes -= Swarm.fileCost(swarm.manifest);
    for (String name : swarm.names) {
      storedBytes -= Swarm.nameCost(name);
    }
  }

  private void forgetPeer(PeerInfo p) {
    peerEntries--;
    storedBytes -= Swarm.peerCost(p.have());
    filesPerPeer.computeIfPresent(p.peer(), (k, n) -> n <= 1 ? null : n - 1);
  }

  private void reserve(long bytes, Instant now) throws ProtocolException {
    if (storedBytes + bytes > limits.maxStoredBytes() && sweep(now) && storedBytes + bytes > limits.maxStoredBytes()) {
      throw busy("the tracker holds " + storedBytes + " bytes of state; " + bytes + " more would pass its limit of "
          + limits.maxStoredBytes());
    }
    storedBytes += bytes;
  }

  private static ProtocolException busy(String message) {
    return new ProtocolException(ErrorCode.BUSY.wire(), message);
  }
}
