package io.swarmshare.internal.tracker;

import io.swarmshare.api.PeerInfo;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * The peers a tracker hands one downloader: a random sample of the live peers, with a few
 * seeders always in it while any exist. Leechers that hold nothing yet are listed too: with
 * {@code have} announcements a connection to one pays off as soon as it obtains a chunk, and
 * knowing them tells a downloader it is in a swarm. Every downloader gets a different
 * sample, so the swarm becomes a random mesh instead of a star around the peers that hold the
 * most (as uber/kraken's tracker samples its peer lists); the seeders keep the rarest chunks
 * reachable whoever else is listed.
 */
final class PeerSample {
  /** Seeders put in every sample ahead of the random rest, while the swarm has that many. */
  static final int SEEDERS_ALWAYS = 3;

  private PeerSample() {}

  static List<PeerInfo> of(Collection<PeerInfo> peers, int limit, RandomGenerator random) {
    List<PeerInfo> seeders = new ArrayList<>();
    List<PeerInfo> others = new ArrayList<>(peers.size());
    for (PeerInfo p : peers) {
      if (p.have().isComplete()) {
        seeders.add(p);
      } else {
        others.add(p);
      }
    }
    List<PeerInfo> out = new ArrayList<>(Math.min(limit, seeders.size() + others.size()));
    int firstSeeders = Math.min(limit, Math.min(SEEDERS_ALWAYS, seeders.size()));
    drawInto(out, seeders, firstSeeders, random);
    // The rest is drawn from everyone left, seeders beyond the first few included.
    others.addAll(seeders.subList(firstSeeders, seeders.size()));
    drawInto(out, others, Math.min(others.size(), limit - out.size()), random);
    return List.copyOf(out);
  }

  /**
   * Moves {@code count} elements drawn uniformly at random to the front of {@code from} and adds
   * them to {@code out}: the first {@code count} steps of a Fisher-Yates shuffle, so a sample of 64
   * from a swarm of thousands costs 64 swaps, not a shuffle of thousands.
   */
  private static void drawInto(List<PeerInfo> out, List<PeerInfo> from, int count, RandomGenerator random) {
    int n = from.size();
    for (int i = 0; i < count; i++) {
      Collections.swap(from, i, i + random.nextInt(n - i));
      out.add(from.get(i));
    }
  }
}
