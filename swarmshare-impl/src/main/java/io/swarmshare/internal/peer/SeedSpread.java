package io.swarmshare.internal.peer;

import io.swarmshare.api.FileId;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.LongSupplier;

/**
 * How a seed spreads distinct chunks: while several peers download a file from it, a chunk it
 * sent moments ago is not sent again but refused with {@code elsewhere}, so its uplink carries
 * chunks nobody has yet and the peer that just got one passes it on (its {@code have} reaches
 * the others within moments).
 *
 * <p>Two windows. Until every chunk of the file has gone out once (the <em>first pass</em>), a
 * chunk already sent is held back for {@link #FIRST_PASS_NANOS}: a swarm cannot finish before
 * the seed's last distinct chunk leaves it, so sending a chunk twice before then delays every
 * peer. The first pass also ends when no chunk has gone out for the first time for that long
 * (nobody wants the rest from this seed). After the first pass, a chunk is held back only for {@link #SPREAD_NANOS}. Either way it
 * may go again once its window ends, so a recipient that died or is slow costs the others a wait,
 * never the chunk.
 *
 * <p>BitTorrent's "super-seeding" (BEP 16) reaches the same end by hiding pieces from each peer;
 * this way needs no lies about what the seed holds. Thread-safe and lock-free.
 */
final class SeedSpread {
  /** How long a chunk just sent is refused to other peers once every chunk went out once. */
  static final long SPREAD_NANOS = TimeUnit.MILLISECONDS.toNanos(1500);
  /** How long a chunk just sent is refused while some chunk has never been sent. */
  static final long FIRST_PASS_NANOS = TimeUnit.SECONDS.toNanos(8);

  /** Marks a chunk being sent right now. */
  private static final long SENDING = Long.MIN_VALUE;

  /** One file's sends: when each chunk last went (0: never), how often, and how many never went. */
  private static final class Sends {
    final AtomicLongArray last;
    final AtomicIntegerArray count;
    final AtomicInteger unsent;
    /** When a chunk last went out for the first time (or the file was first asked for). */
    volatile long lastFirst;

    Sends(int chunks, long now) {
      lastFirst = now;
      last = new AtomicLongArray(chunks);
      count = new AtomicIntegerArray(chunks);
      unsent = new AtomicInteger(chunks);
    }
  }

  private final ConcurrentHashMap<FileId, Sends> files = new ConcurrentHashMap<>();
  private final LongSupplier clock;

  SeedSpread() {
    this(System::nanoTime);
  }

  /** With {@code clock} as {@link System#nanoTime()}, for tests. */
  SeedSpread(LongSupplier clock) {
    this.clock = clock;
  }

  /**
   * Claims {@code chunk} of {@code file} for sending now; the caller must call {@link #sent}
   * once it is sent (or failed). The window runs from the end of the send, so a seed whose uplink
   * is throttled does not let a chunk go twice while the first copy still queues.
   *
   * @return 0 if it may be sent, else the milliseconds after which to ask again
   */
  long claim(FileId file, int chunks, int chunk) {
    long now = clock.getAsLong();
    Sends s = files.computeIfAbsent(file, f -> new Sends(chunks, now));
    if (chunk >= s.last.length()) {
      return 0;
    }
    long last = s.last.get(chunk);
    if (last == SENDING) {
      return TimeUnit.NANOSECONDS.toMillis(SPREAD_NANOS);
    }
    // 0 means never sent; nanoTime can be anything, so "never" is kept apart from "long ago".
    if (last != 0) {
      boolean firstPass = s.unsent.get() > 0 && now - s.lastFirst < FIRST_PASS_NANOS;
      long window = firstPass && s.count.get(chunk) > 0 ? FIRST_PASS_NANOS : SPREAD_NANOS;
      if (now - last < window) {
        // Ask again within the short window at most: the first pass may end before the long one.
        return Math.max(1, TimeUnit.NANOSECONDS.toMillis(Math.min(window - (now - last), SPREAD_NANOS)));
      }
    }
    return s.last.compareAndSet(chunk, last, SENDING) ? 0 : TimeUnit.NANOSECONDS.toMillis(SPREAD_NANOS);
  }

  /**
   * The chunk claimed with {@link #claim} has been sent ({@code delivered}), or was not after all
   * (refused as busy, or the send failed): either way the others are kept off it for a window,
   * but only a delivered chunk counts towards the first pass.
   */
  void sent(FileId file, int chunk, boolean delivered) {
    Sends s = files.get(file);
    if (s != null && chunk < s.last.length()) {
      long now = clock.getAsLong();
      s.last.set(chunk, now == 0 || now == SENDING ? 1 : now);
      if (delivered && s.count.getAndIncrement(chunk) == 0) {
        s.unsent.decrementAndGet();
        s.lastFirst = now;
      }
    }
  }
}
