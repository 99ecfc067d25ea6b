package io.swarmshare.internal.peer;

import io.swarmshare.api.FileId;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * How a seed spreads distinct chunks while several peers download a file from it. In its first
 * round it sends each chunk once before any chunk a second time, so its uplink carries what
 * nobody has yet and the peers that got a chunk pass it on (their {@code have}s reach the others
 * within moments): a request for a chunk already sent is refused with {@code elsewhere} and a
 * few chunks not sent yet ({@code suggest}), which the requester asks for instead, so the
 * uplink never idles. After the first round, and for a chunk being sent, only the last
 * {@link #SPREAD_NANOS} hold a chunk back.
 *
 * <p>The first round never holds a chunk back for long either: once {@link #HOLD_NANOS} has
 * passed since a chunk was sent it may go again, so a recipient that died or is slow costs the
 * others a short wait, never the chunk.
 *
 * <p>BitTorrent's "super-seeding" reaches the same end by hiding pieces from each peer; this
 * way needs no lies about what the seed holds. Measured with {@code bin/swarm-sim} (200
 * leechers, 64 chunks): refusing only what it had sent in the last 1.5 s, the seed sent the last
 * chunk's first copy after 31 s, having sent twice the file meanwhile, and the swarm finished
 * about 6 s later; in rounds, the first round ends after 16 to 19 s. Thread-safe.
 */
final class SeedSpread {
  /** How long a chunk just sent is refused to other peers, whatever the round. */
  static final long SPREAD_NANOS = TimeUnit.MILLISECONDS.toNanos(1500);
  /** How long a chunk sent in the first round is refused while chunks not yet sent are left. */
  static final long HOLD_NANOS = TimeUnit.MILLISECONDS.toNanos(Long.getLong("swarmshare.seedHoldMs", 8000));
  /**
   * Chunks this seed offers instead of a refused one, at most: few, so that requesters refused at
   * the same moment spread over different chunks. (A receiver accepts up to
   * {@link PeerReply#MAX_SUGGESTIONS}.)
   */
  static final int SUGGESTIONS_OFFERED = 8;

  /** A refused request: when to ask again for that chunk, and chunks to ask for instead. */
  record Refusal(long retryMs, int[] suggest) {}

  private final ConcurrentHashMap<FileId, Rounds> files = new ConcurrentHashMap<>();
  private final long holdNanos;
  private final long spreadNanos;

  SeedSpread() {
    this(HOLD_NANOS, SPREAD_NANOS);
  }

  /** A spread with other windows, for tests. */
  SeedSpread(long holdNanos, long spreadNanos) {
    this.holdNanos = holdNanos;
    this.spreadNanos = spreadNanos;
  }

  /**
   * Claims {@code chunk} of {@code file} for sending now; the caller must call {@link #sent}
   * once it is sent (or failed). The spread window runs from the end of the send, so a seed
   * whose uplink is throttled does not let a chunk go twice while the first copy still queues.
   *
   * @return null if it may be sent, else why not
   */
  @Nullable Refusal claim(FileId file, int chunks, int chunk) {
    Rounds r = files.computeIfAbsent(file, f -> new Rounds(chunks, holdNanos, spreadNanos));
    return chunk < r.sends.length ? r.claim(chunk) : null;
  }

  /** Drops {@code file}'s rounds: it is no longer served, and a file served again starts afresh. */
  void forget(FileId file) {
    files.remove(file);
  }

  /** The chunk claimed with {@link #claim} has been sent, or its send failed. */
  void sent(FileId file, int chunk) {
    Rounds r = files.get(file);
    if (r != null && chunk < r.sends.length) {
      r.ended(chunk);
    }
  }

  /** The chunk claimed with {@link #claim} was not sent after all (the uplink was busy): as if never claimed. */
  void unclaim(FileId file, int chunk) {
    Rounds r = files.get(file);
    if (r != null && chunk < r.sends.length) {
      r.unclaim(chunk);
    }
  }

  /** One file's rounds. */
  private static final class Rounds {
    private final ReentrantLock lock = new ReentrantLock();
    /** Times each chunk was claimed for sending. */
    private final int[] sends;
    /** When each chunk's last send ended; meaningless while {@link #sends} is 0 or it is sending. */
    private final long[] lastSent;
    private final boolean[] sending;
    private final long holdNanos;
    private final long spreadNanos;
    private final SplittableRandom random = new SplittableRandom();
    /** The round: the fewest sends of any chunk. */
    private int floor;
    /** Chunks with {@code floor} sends: the ones the round still has to send. */
    private int atFloor;

    Rounds(int chunks, long holdNanos, long spreadNanos) {
      this.holdNanos = holdNanos;
      this.spreadNanos = spreadNanos;
      sends = new int[chunks];
      lastSent = new long[chunks];
      sending = new boolean[chunks];
      atFloor = chunks;
    }

    @Nullable Refusal claim(int chunk) {
      lock.lock();
      try {
        long now = System.nanoTime();
        long since = now - lastSent[chunk];
        long retry;
        if (sending[chunk]) {
          retry = spreadNanos;
        } else if (floor == 0 && sends[chunk] > 0 && since < holdNanos) {
          retry = holdNanos - since;
        } else if (sends[chunk] > 0 && since < spreadNanos) {
          retry = spreadNanos - since;
        } else {
          sending[chunk] = true;
          if (sends[chunk]++ == floor && --atFloor == 0) {
            nextRound();
          }
          return null;
        }
        int[] suggest = suggestions(chunk, now);
        return new Refusal(Math.max(1, TimeUnit.NANOSECONDS.toMillis(retry)), suggest);
      } finally {
        lock.unlock();
      }
    }

    void ended(int chunk) {
      lock.lock();
      try {
        if (!sending[chunk]) {
          return; // not claimed here: the file was dropped and served afresh meanwhile
        }
        sending[chunk] = false;
        long now = System.nanoTime();
        lastSent[chunk] = now;
      } finally {
        lock.unlock();
      }
    }

    void unclaim(int chunk) {
      lock.lock();
      try {
        if (!sending[chunk]) {
          return; // not claimed here: the file was dropped and served afresh meanwhile
        }
        sending[chunk] = false;
        int left = --sends[chunk];
        if (left == floor) {
          atFloor++;
        } else if (left < floor) {
          // Its claim had closed the round: reopen it.
          floor = left;
          atFloor = countAtFloor();
        }
      } finally {
        lock.unlock();
      }
    }

    private void nextRound() {
      while (atFloor == 0) {
        floor++;
        atFloor = countAtFloor();
      }
    }

    private int countAtFloor() {
      int n = 0;
      for (int s : sends) {
        n += s == floor ? 1 : 0;
      }
      return n;
    }

    /** Up to {@link #SUGGESTIONS_OFFERED} chunks of this round that may be sent now, from a random start. */
    private int[] suggestions(int refused, long now) {
      int n = sends.length;
      int[] out = new int[Math.min(SUGGESTIONS_OFFERED, atFloor)];
      int found = 0;
      int start = random.nextInt(n);
      for (int k = 0; k < n && found < out.length; k++) {
        int i = start + k < n ? start + k : start + k - n;
        if (i != refused && sends[i] == floor && !sending[i] && (sends[i] == 0 || now - lastSent[i] >= spreadNanos)) {
          out[found++] = i;
        }
      }
      return found == out.length ? out : java.util.Arrays.copyOf(out, found);
    }
  }
}
