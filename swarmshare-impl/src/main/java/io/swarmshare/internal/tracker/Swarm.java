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

/**
 * What an {@link InMemoryTracker} knows about one file: its manifest, the names it is shared
 * under, and its peers with their bitfields. Not thread-safe: the tracker's lock guards it.
 */
final class Swarm {
  /** Bookkeeping a stored peer costs beyond its bitfield: ids, address, map entry. */
  static final long PEER_OVERHEAD = 160;
  /** Bookkeeping a stored file costs beyond its manifest. */
  static final long FILE_OVERHEAD = 256;

  final Manifest manifest;
  final List<String> names = new ArrayList<>();
  final List<String> lowerNames = new ArrayList<>();
  final Map<PeerId, PeerInfo> peers = new HashMap<>();
  /** The last register or announce, which keeps a file known while nobody holds it. */
  Instant lastActivity;

  Swarm(Manifest manifest, Instant now) {
    this.manifest = manifest;
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

  void addName(String name) {
    names.add(name);
    lowerNames.add(name.toLowerCase(Locale.ROOT));
  }

  PeerInfo put(PeerId peer, PeerAddress address, Bitfield have, Instant now) {
    lastActivity = now;
    PeerInfo info = new PeerInfo(peer, address, have, now);
    peers.put(peer, info);
    return info;
  }

  static boolean alive(PeerInfo peer, Instant now, Duration ttl) {
    return peer.lastSeen().plus(ttl).isAfter(now);
  }

  /** True if no live peer holds the file and nobody registered or announced it for a TTL. */
  boolean expired(Instant now, Duration ttl) {
    if (lastActivity.plus(ttl).isAfter(now)) {
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
