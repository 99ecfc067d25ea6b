package io.swarmshare.internal.download;

import io.swarmshare.api.Bitfield;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntPredicate;

/**
 * Chooses which chunk a peer should send next: rarest first among chunks nobody is fetching,
 * then, once every missing chunk is being fetched (endgame), a chunk already in flight
 * elsewhere, so the last chunks do not wait on the slowest peer.
 *
 * <p>Availability counts come from the bitfields of connected peers. Ties go to the lowest
 * index: chunks then arrive nearly in order, so the whole-file SHA-256 can run beside the
 * download instead of as a second pass at the end. Thread-safe; the lock is never held across
 * I/O.
 */
public final class ChunkPicker {
  /** In endgame a chunk is asked of at most this many peers at once. */
  static final int MAX_DUPLICATES = 3;

  private final int count;
  private final int[] availability;
  private final int[] inFlight;
  private final boolean[] done;
  private int remaining;
  /** Every chunk below this index is done; scans start here. */
  private int firstMissing;
  private int unrequested;
  private final ReentrantLock lock = new ReentrantLock();

  /** A picker for {@code count} chunks, with {@code have} already done. */
  public ChunkPicker(int count, Bitfield have) {
    this.count = count;
    this.availability = new int[count];
    this.inFlight = new int[count];
    this.done = new boolean[count];
    for (int i = 0; i < count; i++) {
      done[i] = have.get(i);
    }
    this.remaining = count - have.cardinality();
    while (firstMissing < count && done[firstMissing]) {
      firstMissing++;
    }
    this.unrequested = remaining;
  }

  /** Counts a peer's chunks in availability. */
  public void peerAdded(Bitfield have) {
    adjust(have, 1);
  }

  /** Removes a peer's chunks from availability. */
  public void peerRemoved(Bitfield have) {
    adjust(have, -1);
  }

  private void adjust(Bitfield have, int delta) {
    lock.lock();
    try {
      for (int i = have.nextSet(0); i >= 0; i = have.nextSet(i + 1)) {
        availability[i] += delta;
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * Picks a chunk for a peer that holds {@code have} and marks it requested.
   *
   * @param askedHere true for chunks this peer already has in flight
   * @return the chunk index, or -1 if this peer has nothing useful right now
   */
  public int pick(Bitfield have, IntPredicate askedHere) {
    lock.lock();
    try {
      if (remaining == 0) {
        return -1;
      }
      int best = -1;
      int bestAvailability = Integer.MAX_VALUE;
      if (unrequested > 0) {
        for (int i = firstMissing; i < count; i++) {
          if (!done[i] && inFlight[i] == 0 && have.get(i) && availability[i] < bestAvailability) {
            best = i;
            bestAvailability = availability[i];
            if (bestAvailability <= 1) {
              break;
            }
          }
        }
      }
      if (best < 0 && (unrequested == 0 || nearTheEnd())) {
        // Endgame: the least duplicated chunk in flight elsewhere that this peer holds.
        int fewest = MAX_DUPLICATES;
        for (int i = firstMissing; i < count; i++) {
          if (!done[i] && inFlight[i] > 0 && inFlight[i] < fewest && have.get(i) && !askedHere.test(i)) {
            best = i;
            fewest = inFlight[i];
          }
        }
      }
      if (best >= 0) {
        if (inFlight[best]++ == 0) {
          unrequested--;
        }
      }
      return best;
    } finally {
      lock.unlock();
    }
  }

  /** True when so few chunks remain that asking several peers for one wastes little. */
  private boolean nearTheEnd() {
    return remaining <= Math.max(4, count / 50);
  }

  /** A request for {@code index} ended without the chunk (cancelled, failed, peer gone). */
  public void released(int index) {
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
  public boolean completed(int index) {
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
  public boolean isDone(int index) {
    lock.lock();
    try {
      return done[index];
    } finally {
      lock.unlock();
    }
  }

  /** Chunks not yet done. */
  public int remaining() {
    lock.lock();
    try {
      return remaining;
    } finally {
      lock.unlock();
    }
  }

  /** True once every missing chunk has been requested at least once. */
  public boolean inEndgame() {
    lock.lock();
    try {
      return remaining > 0 && unrequested == 0;
    } finally {
      lock.unlock();
    }
  }
}
