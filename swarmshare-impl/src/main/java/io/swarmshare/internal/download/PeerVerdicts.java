package io.swarmshare.internal.download;

import io.swarmshare.api.PeerAddress;
import io.swarmshare.api.PeerId;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * Strikes and bans for one download: a peer that sends chunks that fail verification is struck,
 * and after {@code strikesToBan} of them banned for the rest of the download; one that abuses the
 * protocol is banned at once. Both attach to what this side verified about the peer, never to
 * the id it claimed in its hello, which anyone can claim: the address it was dialled at, and
 * over TLS the id its certificate proves ({@code certified}). A peer that lies about its id can
 * so only ever get itself banned. Thread-safe.
 */
final class PeerVerdicts {
  private final int strikesToBan;
  /** Strikes by certified id where there is one (it follows the peer to other addresses), else by address. */
  private final Map<Object, AtomicInteger> strikes = new ConcurrentHashMap<>();
  private final Set<PeerAddress> bannedAddresses = ConcurrentHashMap.newKeySet();
  private final Set<PeerId> bannedCertificates = ConcurrentHashMap.newKeySet();

  PeerVerdicts(int strikesToBan) {
    this.strikesToBan = strikesToBan;
  }

  /** True if the peer at {@code address}, whose certificate proves {@code certified} (null without TLS), is banned. */
  boolean isBanned(PeerAddress address, @Nullable PeerId certified) {
    return bannedAddresses.contains(address) || certified != null && bannedCertificates.contains(certified);
  }

  /**
   * Counts a strike.
   *
   * @return the strike count if this strike banned the peer, 0 if it was not banned by it
   *     (still within its allowance, or banned already)
   */
  int strike(PeerAddress address, @Nullable PeerId certified) {
    int n = strikes.computeIfAbsent(key(address, certified), k -> new AtomicInteger()).incrementAndGet();
    if (n >= strikesToBan && ban(address, certified)) {
      return n;
    }
    return 0;
  }

  /** Bans the peer for the rest of the download; false if it was banned already. */
  boolean ban(PeerAddress address, @Nullable PeerId certified) {
    boolean fresh = bannedAddresses.add(address);
    if (certified != null) {
      fresh |= bannedCertificates.add(certified);
    }
    return fresh;
  }

  /** True once the peer has used up its strikes. */
  boolean isOut(PeerAddress address, @Nullable PeerId certified) {
    AtomicInteger n = strikes.get(key(address, certified));
    return n != null && n.get() >= strikesToBan;
  }

  private static Object key(PeerAddress address, @Nullable PeerId certified) {
    return certified != null ? certified : address;
  }
}
