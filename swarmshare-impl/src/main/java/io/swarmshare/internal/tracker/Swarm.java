package io.swarmshare.internal.tracker;

import io.swarmshare.api.Bitfield;
import io.swarmshare.api.Manifest;
import io.swarmshare.api.PeerAddress;
import io.swarmshare.api.PeerId;
import io.swarmshare.api.PeerInfo;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What an {@link InMemoryTracker} knows about one file: its manifest, the names it is shared
 * under, and its peers with their bitfields. Not thread-safe: the tracker's lock guards it.
 */
final class Swarm {
  /** Bookkeeping a stored peer costs beyond its bitfield: ids, address, map entries, reported progress. */
  static final long PEER_OVERHEAD = 208;
  /** Bookkeeping a stored file costs beyond its manifest. */
  static final long FILE_OVERHEAD = 256;

  final Manifest manifest;
  final List<String> names = new ArrayList<>();
  final List<String> lowerNames = new ArrayList<>();
  /** The address each name was added from, null for one added in process; parallel to {@link #names}. */
  final List<@Nullable String> nameOwners = new ArrayList<>();
  final Map<PeerId, PeerInfo> peers = new HashMap<>();
  /** What each listed peer last reported of its transfers; same keys as {@link #peers}. */
  final Map<PeerId, Reported> reported = new HashMap<>();
  /** Downloads seen to finish since the file became known (see {@link Reported}). */
  long completed;
  /** Bytes its peers reported moving since the file became known. */
  long bytesUploaded;
  long bytesDownloaded;
  /** The address that registered the file, null if it was registered in process. */
  final @Nullable String registrant;
  /** The registration, then the last announce: what keeps a file known while nobody holds it. */
  Instant lastActivity;
  /** False until the first announce: until then the file lives only the unannounced time-to-live. */
  boolean announced;
  /**
   * No listed peer was last seen before this: nobody can have expired before it plus the TTL, so
   * the tracker scans the peers for expiry only once it has passed. Each scan sets it to the
   * earliest last-seen time left, and a new announce only lowers it.
   */
  Instant earliestSeen = Instant.MIN;

  Swarm(Manifest manifest, @Nullable String registrant, Instant now) {
    this.manifest = manifest;
    this.registrant = registrant;
    this.lastActivity = now;
  }

  static long fileCost(Manifest manifest) {
    return manifest.canonicalLength() + FILE_OVERHEAD;
  }

  static long nameCost(String name) {
    return 2L * name.length() + 64;
  }

  static long peerCost(Bitfield have) {
    return Bitfield.byteLength(have.size()) + PEER_OVERHEAD;
  }

  void addName(String name, @Nullable String owner) {
    names.add(name);
    lowerNames.add(name.toLowerCase(Locale.ROOT));
    nameOwners.add(owner);
  }

  /** How many of this file's names were added from {@code address}. */
  int namesFrom(String address) {
    int n = 0;
    for (String owner : nameOwners) {
      if (address.equals(owner)) {
        n++;
      }
    }
    return n;
  }

  PeerInfo put(PeerId peer, PeerAddress address, Bitfield have, Instant now) {
    lastActivity = now;
    announced = true;
    PeerInfo info = new PeerInfo(peer, address, have, now);
    peers.put(peer, info);
    if (now.isBefore(earliestSeen)) {
      earliestSeen = now;
    }
    return info;
  }

  /**
   * What one peer last reported of a file, for display only. Its first report is a baseline: the
   * tracker credits only what its counts grow by afterwards, so a peer the tracker forgot and hears
   * from again (or a tracker that restarted) does not count the same bytes twice; a count that
   * goes down is a client that restarted, and the new count is credited whole.
   */
  static final class Reported {
    long uploaded = -1;
    long downloaded = -1;
    boolean complete;
    /** Whether the last announced bitfield was full, kept so a census need not count bits. */
    boolean seeder;

    /** How much {@code now} adds to {@code before}: nothing for a first report, all of it after a restart. */
    static long growth(long before, long now) {
      if (now < 0 || before < 0) {
        return 0;
      }
      return now >= before ? now - before : now;
    }
  }

  /** True if {@code peer}'s last announce held every chunk. */
  boolean isSeeder(PeerInfo peer) {
    Reported r = reported.get(peer.peer());
    return r != null ? r.seeder : peer.have().isComplete();
  }

  /** A peer stopped being listed: its reports go with it. */
  void removed(PeerId peer) {
    reported.remove(peer);
  }

  static boolean alive(PeerInfo peer, Instant now, Duration ttl) {
    return peer.lastSeen().plus(ttl).isAfter(now);
  }

  /**
   * True if no live peer holds the file and nobody announced it for a TTL; or, if nobody ever
   * announced it, once the unannounced TTL has passed since it was registered.
   */
  boolean expired(Instant now, Duration ttl, Duration unannouncedTtl) {
    if (lastActivity.plus(announced ? ttl : unannouncedTtl).isAfter(now)) {
      return false;
    }
    for (PeerInfo p : peers.values()) {
      if (alive(p, now, ttl)) {
        return false;
      }
    }
    return true;
  }

  /** How many live peers hold at least one chunk. */
  int seeders(Instant now, Duration ttl) {
    int n = 0;
    for (PeerInfo p : peers.values()) {
      if (alive(p, now, ttl) && p.have().cardinality() > 0) {
        n++;
      }
    }
    return n;
  }

  long storedBytes() {
    long bytes = fileCost(manifest);
    for (String name : names) {
      bytes += nameCost(name);
    }
    for (PeerInfo p : peers.values()) {
      bytes += peerCost(p.have());
    }
    return bytes;
  }
}
