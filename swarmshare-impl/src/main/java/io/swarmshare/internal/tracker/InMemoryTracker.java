package io.swarmshare.internal.tracker;

import java.util.Objects;
import io.swarmshare.api.Announcement;
import io.swarmshare.api.FileEntry;
import io.swarmshare.api.FileId;
import io.swarmshare.api.Manifest;
import io.swarmshare.api.PeerId;
import io.swarmshare.api.PeerInfo;
import io.swarmshare.api.ProtocolException;
import io.swarmshare.api.SwarmStats;
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
 * <p>Each peer id is bound to the {@link Origin} that first announced it (its address and, with
 * TLS, its certificate) for as long as the peer has a live entry; an announce or leave for that
 * id from another origin is refused, so nobody can move or remove another peer's entries. Calls
 * through the {@link Tracker} interface come from {@link Origin#IN_PROCESS}, which is trusted.
 * Requests from an address are held to the per-address quotas of {@link TrackerLimits}.
 *
 * <p>Failures: {@link IllegalArgumentException} for a malformed request (a bad name, a bitfield
 * of the wrong size), {@link UnknownFileException} for a file it does not know,
 * {@link ProtocolException} with code {@code busy} when a cap is reached or {@code forbidden}
 * when a peer id is bound to another origin, and {@link TrackerUnavailableException} once closed.
 */
public final class InMemoryTracker implements Tracker, OriginTracker {
  private static final Comparator<FileEntry> BY_NAME =
      Comparator.<FileEntry, String>comparing(e -> e.name().toLowerCase(Locale.ROOT))
          .thenComparing(FileEntry::name)
          .thenComparing(e -> e.id().hex());

  private final TrackerLimits limits;
  private final InstantSource clock;
  private final Duration ttl;
  private final ReentrantLock lock = new ReentrantLock();
  private final Map<FileId, Swarm> swarms = new HashMap<>();
  /** The owner of every peer id with at least one entry, and how many files it announces. */
  private final Map<PeerId, Binding> bindings = new HashMap<>();
  /** What the requests of each remote address hold now; absent when nothing. */
  private final Map<String, Usage> usage = new HashMap<>();
  /** What an address that holds nothing holds; never changed. */
  private static final Usage NONE = new Usage();
  private int peerEntries;
  private long storedBytes;
  /** Downloads seen to finish, and bytes peers reported moving, since this tracker started. */
  private long completed;
  private long bytesUploaded;
  private long bytesDownloaded;
  private @Nullable Instant lastSweep;
  private boolean closed;

  /** The origin a peer id is bound to while it has entries, and when it last announced. */
  private static final class Binding {
    final Origin owner;
    int files;
    Instant lastSeen;

    Binding(Origin owner, Instant now) {
      this.owner = owner;
      this.lastSeen = now;
    }
  }

  /** What one address holds: files registered and not yet announced, peer entries, bytes. */
  private static final class Usage {
    int pendingFiles;
    int entries;
    long bytes;

    boolean isEmpty() {
      return pendingFiles == 0 && entries == 0 && bytes == 0;
    }
  }

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
    register(manifest, name, Origin.IN_PROCESS);
  }

  @Override
  public void register(Manifest manifest, String name, Origin origin)
      throws TrackerUnavailableException, ProtocolException {
    TrackerLimits.checkName(name);
    String from = origin.inProcess() ? null : origin.address();
    lock.lock();
    try {
      Instant now = begin();
      Swarm swarm = live(manifest.id(), now);
      if (swarm == null) {
        long cost = Swarm.fileCost(manifest) + Swarm.nameCost(name);
        if (swarms.size() >= limits.maxFiles() && sweep(now) && swarms.size() >= limits.maxFiles()) {
          throw busy("the tracker knows " + swarms.size() + " files, its limit");
        }
        if (from != null) {
          int pending = usage.getOrDefault(from, NONE).pendingFiles;
          if (pending >= limits.maxPendingFilesPerAddress()) {
            throw busy("your address has registered " + pending + " files that nobody has announced yet, its limit;"
                + " announce them, or wait " + limits.unannouncedTtl().toSeconds() + " s for them to expire");
          }
        }
        reserve(cost, from, now);
        swarm = new Swarm(manifest, from, now);
        swarm.addName(name, from);
        swarms.put(manifest.id(), swarm);
        if (from != null) {
          usageOf(from).pendingFiles++;
        }
        return;
      }
      // Registering again adds a name but keeps nothing alive: only announces do.
      if (swarm.names.contains(name)) {
        return;
      }
      if (swarm.names.size() >= limits.maxNamesPerFile()) {
        throw busy("file " + manifest.id().shortForm() + " already has " + swarm.names.size() + " names, its limit");
      }
      if (from != null && swarm.namesFrom(from) >= limits.maxNamesPerAddress()) {
        throw busy("your address has already added " + limits.maxNamesPerAddress() + " names to file "
            + manifest.id().shortForm() + ", its limit");
      }
      reserve(Swarm.nameCost(name), from, now);
      swarm.addName(name, from);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void announce(Announcement a) throws TrackerUnavailableException, ProtocolException, UnknownFileException {
    announce(a, Origin.IN_PROCESS);
  }

  @Override
  public void announce(Announcement a, Origin origin)
      throws TrackerUnavailableException, ProtocolException, UnknownFileException {
    boolean full = a.have().isComplete(); // counted once, outside the lock
    lock.lock();
    try {
      Instant now = begin();
      Swarm swarm = known(a.file(), now);
      int chunks = swarm.manifest.chunkCount();
      if (a.have().size() != chunks) {
        throw new IllegalArgumentException("file " + a.file().shortForm() + " has " + chunks
            + " chunks; the announced bitfield has " + a.have().size());
      }
      checkOwner(a.peer(), origin, now);
      boolean fresh = !swarm.peers.containsKey(a.peer());
      if (fresh) {
        admitPeer(swarm, a, origin, now);
      }
      if (!swarm.announced && swarm.registrant != null) {
        release(swarm.registrant, u -> u.pendingFiles--);
      }
      swarm.put(a.peer(), a.address(), a.have(), now);
      Objects.requireNonNull(bindings.get(a.peer()), "bound above").lastSeen = now;
      account(swarm, a, fresh, full);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Takes in what an announce reports, for display: a download counts as completed when an entry
   * this tracker listed as incomplete announces complete (the {@code complete} field, or without
   * it a full bitfield), and reported byte counts are credited by what they grew since the
   * entry's previous announce.
   */
  private void account(Swarm swarm, Announcement a, boolean fresh, boolean full) {
    Swarm.Reported r = fresh ? null : swarm.reported.get(a.peer());
    if (r == null) {
      r = new Swarm.Reported();
      swarm.reported.put(a.peer(), r);
      fresh = true;
    }
    Announcement.Progress p = a.progress();
    boolean complete = p != null ? p.complete() : full;
    r.seeder = full;
    if (!fresh && !r.complete && complete) {
      swarm.completed++;
      completed++;
    }
    r.complete = complete;
    if (p != null) {
      long up = Swarm.Reported.growth(r.uploaded, p.uploaded());
      long down = Swarm.Reported.growth(r.downloaded, p.downloaded());
      swarm.bytesUploaded += up;
      swarm.bytesDownloaded += down;
      bytesUploaded += up;
      bytesDownloaded += down;
      if (p.uploaded() >= 0) {
        r.uploaded = p.uploaded();
      }
      if (p.downloaded() >= 0) {
        r.downloaded = p.downloaded();
      }
    }
  }

  /**
   * Refuses {@code origin} if {@code peer} is bound to another origin; a binding whose entries
   * have all expired is swept away first, so it lasts exactly as long as the peer is listed.
   */
  private void checkOwner(PeerId peer, Origin origin, Instant now) throws ProtocolException {
    Binding b = bindings.get(peer);
    if (b == null || origin.inProcess() || b.owner.equals(origin)) {
      return;
    }
    if (!b.lastSeen.plus(ttl).isAfter(now)) {
      sweep(now);
      if (!bindings.containsKey(peer)) {
        return;
      }
    }
    throw new ProtocolException(ErrorCode.FORBIDDEN.wire(), "peer id " + peer + " is announced from another "
        + (b.owner.certificate() != null ? "address or certificate" : "address") + "; it stays bound there until "
        + ttl.toSeconds() + " s after its last announce");
  }

  private void admitPeer(Swarm swarm, Announcement a, Origin origin, Instant now) throws ProtocolException {
    if (swarm.peers.size() >= limits.maxPeersPerFile()) {
      expirePeers(swarm, now);
      if (swarm.peers.size() >= limits.maxPeersPerFile()) {
        throw busy("file " + a.file().shortForm() + " has " + swarm.peers.size() + " peers, its limit");
      }
    }
    if (peerEntries >= limits.maxPeers() && sweep(now) && peerEntries >= limits.maxPeers()) {
      throw busy("the tracker lists " + peerEntries + " peers, its limit");
    }
    Binding binding = bindings.get(a.peer());
    int files = binding == null ? 0 : binding.files;
    if (files >= limits.maxFilesPerPeer()) {
      throw busy("peer " + a.peer() + " already announces " + files + " files, its limit");
    }
    Origin owner = binding == null ? origin : binding.owner;
    String from = owner.inProcess() ? null : owner.address();
    int entries = from == null ? 0 : usage.getOrDefault(from, NONE).entries;
    if (entries >= limits.maxEntriesPerAddress()) {
      throw busy("your address already has " + entries + " announced entries, its limit");
    }
    reserve(Swarm.peerCost(a.have()), from, now);
    if (binding == null) {
      binding = new Binding(owner, now);
      bindings.put(a.peer(), binding);
    }
    binding.files++;
    if (from != null) {
      usageOf(from).entries++;
    }
    peerEntries++;
  }

  @Override
  public void leave(FileId file, PeerId peer) throws TrackerUnavailableException {
    try {
      leave(file, peer, Origin.IN_PROCESS);
    } catch (ProtocolException e) {
      throw new IllegalStateException("an in-process leave is never refused", e);
    }
  }

  @Override
  public void leave(FileId file, PeerId peer, Origin origin) throws TrackerUnavailableException, ProtocolException {
    lock.lock();
    try {
      Instant now = begin();
      Swarm swarm = live(file, now);
      if (swarm != null && swarm.peers.containsKey(peer)) {
        checkOwner(peer, origin, now);
        PeerInfo gone = swarm.peers.remove(peer);
        swarm.removed(peer);
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
        if (swarm.expired(now, ttl, limits.unannouncedTtl())) {
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

  /**
   * Files, peer entries and seeders (entries holding every chunk) listed now, expired ones left
   * out, with what peers reported since the tracker started, and every file's figures, busiest
   * first; one pass over the state under the lock, for stats.
   *
   * @throws TrackerUnavailableException once closed
   */
  public Census census() throws TrackerUnavailableException {
    lock.lock();
    try {
      Instant now = begin();
      int peers = 0;
      int seeders = 0;
      List<SwarmStats> files = new ArrayList<>();
      for (Swarm swarm : swarms.values()) {
        if (swarm.expired(now, ttl, limits.unannouncedTtl())) {
          continue;
        }
        int listed = 0;
        int complete = 0;
        for (PeerInfo p : swarm.peers.values()) {
          if (Swarm.alive(p, now, ttl)) {
            listed++;
            if (swarm.isSeeder(p)) {
              complete++;
            }
          }
        }
        peers += listed;
        seeders += complete;
        files.add(new SwarmStats(swarm.manifest.id(), swarm.names, swarm.manifest.size(), listed, complete,
            swarm.completed, swarm.bytesUploaded, swarm.bytesDownloaded));
      }
      files.sort(Census.BUSIEST_FIRST);
      return new Census(files.size(), peers, seeders, completed, bytesUploaded, bytesDownloaded, files);
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
      bindings.clear();
      usage.clear();
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

  /** Bytes of state held now for the requests of {@code address}; for tests. */
  long storedBytesOf(String address) {
    lock.lock();
    try {
      return usage.getOrDefault(address, NONE).bytes;
    } finally {
      lock.unlock();
    }
  }

  private Instant begin() throws TrackerUnavailableException {
    if (closed) {
      throw new TrackerUnavailableException("the tracker is closed");
    }
    Instant now = clock.instant();
    if (lastSweep == null || !lastSweep.plusNanos(ttl.toNanos() / 4).isAfter(now)) {
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
    if (swarm != null && swarm.expired(now, ttl, limits.unannouncedTtl())) {
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
      if (swarm.expired(now, ttl, limits.unannouncedTtl())) {
        it.remove();
        forgetSwarm(swarm);
      } else {
        expirePeers(swarm, now);
      }
    }
    return true;
  }

  /**
   * Drops the peers past their TTL. Every request for a file comes here, and a popular file has
   * thousands of peers: the scan runs only once the earliest last-seen time could have expired.
   */
  private void expirePeers(Swarm swarm, Instant now) {
    Instant seen = swarm.earliestSeen;
    if (seen == Instant.MAX || (seen != Instant.MIN && seen.plus(ttl).isAfter(now))) {
      return; // no peers, or none can have expired yet
    }
    Instant earliest = Instant.MAX;
    for (Iterator<PeerInfo> it = swarm.peers.values().iterator(); it.hasNext(); ) {
      PeerInfo p = it.next();
      if (!Swarm.alive(p, now, ttl)) {
        it.remove();
        swarm.removed(p.peer());
        forgetPeer(p);
      } else if (p.lastSeen().isBefore(earliest)) {
        earliest = p.lastSeen();
      }
    }
    swarm.earliestSeen = earliest;
  }

  private void forgetSwarm(Swarm swarm) {
    for (PeerInfo p : swarm.peers.values()) {
      forgetPeer(p);
    }
    long fileCost = Swarm.fileCost(swarm.manifest);
    storedBytes -= fileCost;
    if (swarm.registrant != null) {
      boolean pending = !swarm.announced;
      release(swarm.registrant, u -> {
        u.bytes -= fileCost;
        if (pending) {
          u.pendingFiles--;
        }
      });
    }
    for (int i = 0; i < swarm.names.size(); i++) {
      long nameCost = Swarm.nameCost(swarm.names.get(i));
      storedBytes -= nameCost;
      String owner = swarm.nameOwners.get(i);
      if (owner != null) {
        release(owner, u -> u.bytes -= nameCost);
      }
    }
  }

  private void forgetPeer(PeerInfo p) {
    peerEntries--;
    long cost = Swarm.peerCost(p.have());
    storedBytes -= cost;
    Binding b = bindings.get(p.peer());
    if (b == null) {
      return;
    }
    if (!b.owner.inProcess()) {
      release(b.owner.address(), u -> {
        u.entries--;
        u.bytes -= cost;
      });
    }
    if (--b.files <= 0) {
      bindings.remove(p.peer());
    }
  }

  /** Takes {@code bytes} from the tracker's budget and from address {@code from}'s, if not null. */
  private void reserve(long bytes, @Nullable String from, Instant now) throws ProtocolException {
    if (storedBytes + bytes > limits.maxStoredBytes() && sweep(now) && storedBytes + bytes > limits.maxStoredBytes()) {
      throw busy("the tracker holds " + storedBytes + " bytes of state; " + bytes + " more would pass its limit of "
          + limits.maxStoredBytes());
    }
    if (from != null) {
      long held = usage.getOrDefault(from, NONE).bytes;
      if (held + bytes > limits.maxBytesPerAddress()) {
        throw busy("the tracker holds " + held + " bytes of state for your address; " + bytes
            + " more would pass its limit of " + limits.maxBytesPerAddress());
      }
      usageOf(from).bytes += bytes;
    }
    storedBytes += bytes;
  }

  private Usage usageOf(String address) {
    return usage.computeIfAbsent(address, k -> new Usage());
  }

  /** Gives back part of what {@code address} holds, forgetting the address once it holds nothing. */
  private void release(String address, java.util.function.Consumer<Usage> giveBack) {
    Usage u = usage.get(address);
    if (u != null) {
      giveBack.accept(u);
      if (u.isEmpty()) {
        usage.remove(address);
      }
    }
  }

  private static ProtocolException busy(String message) {
    return new ProtocolException(ErrorCode.BUSY.wire(), message);
  }
}
