package io.swarmshare.internal.download;

import io.swarmshare.api.Bitfield;
import java.util.SplittableRandom;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntPredicate;

/**
 * Chooses which chunk a peer should send next, the way BitTorrent engines do (libtorrent's
 * piece picker; Legout et al., "Rarest First and Choke Algorithms Are Enough", IMC 2006):
 *
 * <ul>
 *   <li><b>Rarest first</b>: among the chunks nobody is fetching, the one the fewest connected
 *       peers hold, so rare chunks spread before their holders leave.
 *   <li><b>Random among the rarest</b> in a swarm: ties go to a random chunk, so leechers that
 *       start together fetch different chunks and have something to trade at once. A download
 *       with a single source and nobody downloading from it takes ties in index order instead,
 *       so the whole-file hash can run beside it with no second pass at the end.
 *   <li><b>Seeds are spared</b> in a swarm: a seed is asked only for chunks that no connected
 *       leecher holds, so it sends each chunk about once and the leechers spread the copies.
 *   <li><b>Strict endgame</b>: only once every missing chunk is requested, a chunk in flight
 *       elsewhere may be asked of a second (or third) peer, never twice of the same one.
 * </ul>
 *
 * <p>Availability counts come from the connected peers' {@link PeerView}s, which change only
 * under this picker's lock. Thread-safe; the lock is never held across I/O.
 */
final class ChunkPicker {
  /** In endgame a chunk is asked of at most this many peers at once. */
  static final int MAX_DUPLICATES = 3;
  /** Seeds are spared while at most this many are connected. */
  static final int SPARED_SEEDS = Integer.getInteger("swarmshare.sparedSeeds", 2);

  private final int count;
  /** Connected peers holding each chunk. */
  private final int[] availability;
  /** Connected peers that are not seeds holding each chunk. */
  private final int[] fromLeechers;
  private final int[] inFlight;
  private final boolean[] done;
  private final SplittableRandom random;
  private int remaining;
  /** Every chunk below this index is done; scans start here. */
  private int firstMissing;
  private int unrequested;
  private boolean swarm;
  /** Connected peers that are seeds. */
  private int seeds;
  private final ReentrantLock lock = new ReentrantLock();

  /** A picker for {@code count} chunks, with {@code have} already done. */
  ChunkPicker(int count, Bitfield have) {
    this(count, have, new SplittableRandom());
  }

  ChunkPicker(int count, Bitfield have, SplittableRandom random) {
    this.count = count;
    this.availability = new int[count];
    this.fromLeechers = new int[count];
    this.inFlight = new int[count];
    this.done = new boolean[count];
    this.random = random;
    for (int i = 0; i < count; i++) {
      done[i] = have.get(i);
    }
    this.remaining = count - have.cardinality();
    while (firstMissing < count && done[firstMissing]) {
      firstMissing++;
    }
    this.unrequested = remaining;
  }

  /** A view of a newly connected peer, counted once its first bitfield arrives. */
  PeerView newView() {
    return new PeerView(count);
  }

  /**
   * Marks this download part of a swarm (several sources, or peers fetching from us): from
   * then on ties are broken at random and seeds are spared. A download never leaves its swarm.
   *
   * @return true if it was not in a swarm before
   */
  boolean joinSwarm() {
    lock.lock();
    try {
      boolean joined = !swarm;
      swarm = true;
      return joined;
    } finally {
      lock.unlock();
    }
  }

  /** True if the peer seen through {@code view} is a seed this download spares: it is in a swarm. */
  boolean spares(PeerView view) {
    lock.lock();
    try {
      return spare(view);
    } finally {
      lock.unlock();
    }
  }

  /**
   * True if a seed's upload is to be spared: in a swarm with few seeds (the ones that shared the
   * file). Once several are connected (leechers that finished), they have upload to give, and a
   * download that spared them would wait on busy leechers for its last chunks while they idle.
   */
  private boolean spare(PeerView view) {
    return swarm && view.isSeed() && seeds <= SPARED_SEEDS;
  }

  /** Replaces what {@code view} holds with {@code have} (a peer's full bitfield). */
  void bitfield(PeerView view, Bitfield have) {
    lock.lock();
    try {
      uncount(view);
      view.clear();
      for (int i = have.nextSet(0); i >= 0; i = have.nextSet(i + 1)) {
        view.add(i);
      }
      count(view);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Adds chunks a peer announced it obtained.
   *
   * @return how many of them were new to this view
   */
  int learned(PeerView view, int[] chunks, int n) {
    lock.lock();
    try {
      if (!view.counted) {
        // No bitfield yet: remember the chunks, counted with the bitfield that replaces them.
        int added = 0;
        for (int k = 0; k < n; k++) {
          added += view.add(chunks[k]) ? 1 : 0;
        }
        return added;
      }
      boolean wasSeed = view.isSeed();
      int added = 0;
      for (int k = 0; k < n; k++) {
        int i = chunks[k];
        if (view.add(i)) {
          added++;
          availability[i]++;
          fromLeechers[i]++;
        }
      }
      if (!wasSeed && view.isSeed()) {
        // It finished: from now on it is a seed, which leechers spare.
        seeds++;
        for (int i = view.nextSet(0); i >= 0; i = view.nextSet(i + 1)) {
          fromLeechers[i]--;
        }
      }
      return added;
    } finally {
      lock.unlock();
    }
  }

  /** Removes a peer that went away from availability. */
  void forget(PeerView view) {
    lock.lock();
    try {
      uncount(view);
    } finally {
      lock.unlock();
    }
  }

  private void count(PeerView view) {
    boolean leecher = !view.isSeed();
    seeds += leecher ? 0 : 1;
    for (int i = view.nextSet(0); i >= 0; i = view.nextSet(i + 1)) {
      availability[i]++;
      if (leecher) {
        fromLeechers[i]++;
      }
    }
    view.counted = true;
  }

  private void uncount(PeerView view) {
    if (!view.counted) {
      return;
    }
    boolean leecher = !view.isSeed();
    seeds -= leecher ? 0 : 1;
    for (int i = view.nextSet(0); i >= 0; i = view.nextSet(i + 1)) {
      availability[i]--;
      if (leecher) {
        fromLeechers[i]--;
      }
    }
    view.counted = false;
  }

  /**
   * Picks a chunk for the peer seen through {@code view} and marks it requested.
   *
   * @param skipHere true for chunks not to ask of this peer now: already asked (in flight or
   *     being checked), or refused by it a moment ago
   * @return the chunk index, or -1 if this peer has nothing useful right now
   */
  int pick(PeerView view, IntPredicate skipHere) {
    lock.lock();
    try {
      if (remaining == 0 || !view.counted) {
        return -1;
      }
      boolean spare = spare(view);
      int best = -1;
      if (unrequested > 0) {
        int bestAvailability = Integer.MAX_VALUE;
        int ties = 0;
        for (int i = view.nextSet(firstMissing); i >= 0; i = view.nextSet(i + 1)) {
          if (!askable(i, spare, skipHere)) {
            continue;
          }
          int a = availability[i];
          if (a < bestAvailability) {
            best = i;
            bestAvailability = a;
            ties = 1;
            if (!swarm && a <= 1) {
              break; // in index order nothing rarer can follow
            }
          } else if (a == bestAvailability && swarm && random.nextInt(++ties) == 0) {
            best = i; // reservoir sampling: each tie equally likely
          }
        }
      } else {
        // Endgame: the least duplicated chunk in flight elsewhere that this peer holds.
        int fewest = MAX_DUPLICATES;
        int ties = 0;
        for (int i = view.nextSet(firstMissing); i >= 0; i = view.nextSet(i + 1)) {
          if (done[i] || inFlight[i] == 0 || inFlight[i] > fewest || skipHere.test(i)) {
            continue;
          }
          if (inFlight[i] < fewest) {
            best = i;
            fewest = inFlight[i];
            ties = 1;
          } else if (best >= 0 && random.nextInt(++ties) == 0) {
            best = i;
          }
        }
        if (best >= 0 && inFlight[best] >= MAX_DUPLICATES) {
          best = -1;
        }
      }
      if (best >= 0 && inFlight[best]++ == 0) {
        unrequested--;
      }
      return best;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Picks, among {@code candidates} (chunks a seed suggested it would rather send), the rarest
   * one the peer seen through {@code view} holds and nobody is fetching, and marks it requested;
   * as {@link #pick}, a seed is not asked for what a connected leecher holds.
   *
   * @return the chunk index, or -1 if no candidate is useful now
   */
  int pickAmong(PeerView view, int[] candidates, IntPredicate skipHere) {
    lock.lock();
    try {
      if (remaining == 0 || !view.counted || unrequested == 0) {
        return -1;
      }
      boolean spare = spare(view);
      int best = -1;
      int bestAvailability = Integer.MAX_VALUE;
      for (int i : candidates) {
        if (i >= count || !view.has(i) || !askable(i, spare, skipHere)) {
          continue;
        }
        if (availability[i] < bestAvailability) {
          best = i;
          bestAvailability = availability[i];
        }
      }
      if (best >= 0) {
        inFlight[best]++;
        unrequested--;
      }
      return best;
    } finally {
      lock.unlock();
    }
  }

  /**
   * True if chunk {@code i}, which the peer holds, may be asked of it before endgame: not done,
   * nobody fetching it, not one a spared seed should leave to a leecher, not skipped here.
   * Under the lock.
   */
  private boolean askable(int i, boolean spare, IntPredicate skipHere) {
    return !done[i] && inFlight[i] == 0 && !(spare && fromLeechers[i] > 0) && !skipHere.test(i);
  }

  /** A request for {@code index} ended without the chunk (cancelled, failed, peer gone). */
  void released(int index) {
    lock.lock();
    try {
      if (inFlight[index] > 0 && --inFlight[index] == 0 && !done[index]) {
        unrequested++;
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * Marks {@code index} done after its bytes verified; releases this request.
   *
   * @return true if this is the first completion of the chunk (false for an endgame duplicate)
   */
  boolean completed(int index) {
    lock.lock();
    try {
      if (inFlight[index] > 0) {
        inFlight[index]--;
      }
      if (done[index]) {
        return false;
      }
      done[index] = true;
      remaining--;
      while (firstMissing < count && done[firstMissing]) {
        firstMissing++;
      }
      return true;
    } finally {
      lock.unlock();
    }
  }

  /** True if the chunk is done. */
  boolean isDone(int index) {
    lock.lock();
    try {
      return done[index];
    } finally {
      lock.unlock();
    }
  }

  /** True if a connected leecher holds the chunk, so a seed asked for it could be spared. */
  boolean leecherHolds(int index) {
    lock.lock();
    try {
      return fromLeechers[index] > 0;
    } finally {
      lock.unlock();
    }
  }

  /** True once the download joined a swarm. */
  boolean inSwarm() {
    lock.lock();
    try {
      return swarm;
    } finally {
      lock.unlock();
    }
  }

  /** True if the peer seen through {@code view} holds every chunk. */
  boolean isSeedView(PeerView view) {
    lock.lock();
    try {
      return view.isSeed();
    } finally {
      lock.unlock();
    }
  }

  /** Chunks not yet done. */
  int remaining() {
    lock.lock();
    try {
      return remaining;
    } finally {
      lock.unlock();
    }
  }

  /** True once every missing chunk has been requested at least once. */
  boolean inEndgame() {
    lock.lock();
    try {
      return remaining > 0 && unrequested == 0;
    } finally {
      lock.unlock();
    }
  }
}
