package io.swarmshare.internal.download;

import io.swarmshare.api.PeerAddress;
import io.swarmshare.api.PeerId;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Strikes and bans for one download: a peer that sends chunks that fail verification is struck,
 * and after {@code strikesToBan} of them banned, by id and by the address it was reached at, for
 * the rest of the download. Thread-safe.
 */
final class PeerVerdicts {
  private final int strikesToBan;
  private final Map<PeerId, AtomicInteger> strikes = new ConcurrentHashMap<>();
  private final Set<PeerId> banned = ConcurrentHashMap.newKeySet();
  private final Set<PeerAddress> bannedAddresses = ConcurrentHashMap.newKeySet();

  PeerVerdicts(int strikesToBan) {
    this.strikesToBan = strikesToBan;
  }

  boolean isBanned(PeerId peer, PeerAddress address) {
    return banned.contains(peer) || bannedAddresses.contains(address);
  }

  /**
   * Counts a strike.
   *
   * @return the strike count if this strike banned the peer, 0 if it was not banned by it
   *     (still within its allowance, or banned already)
   */
  int strike(PeerId peer, PeerAddress address) {
    int n = strikes.computeIfAbsent(peer, p -> new AtomicInteger()).incrementAndGet();
    if (n >= strikesToBan && banned.add(peer)) {
      bannedAddresses.add(address);
      return n;
    }
    return 0;
  }

  /** True once {@code peer} has used up its strikes. */
  boolean isOut(PeerId peer) {
    AtomicInteger n = strikes.get(peer);
    return n != null && n.get() >= strikesToBan;
  }
}
