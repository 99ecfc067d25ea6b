package io.swarmshare.internal.peer;

import io.swarmshare.api.FileId;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * How a seed spreads distinct chunks: while several peers download a file from it, a chunk it
 * sent moments ago is not sent again but refused with {@code elsewhere}, so its uplink carries
 * chunks nobody has yet and the peer that just got one passes it on (its {@code have} reaches
 * the others within moments). After {@link #SPREAD_NANOS} the chunk may be sent again, so a
 * recipient that died or is slow costs the others a short wait, never the chunk.
 *
 * <p>BitTorrent's "super-seeding" reaches the same end by hiding pieces from each peer; this
 * way needs no lies about what the seed holds. Thread-safe and lock-free.
 */
final class SeedSpread {
  /** How long a chunk just sent is refused to other peers. */
  static final long SPREAD_NANOS = TimeUnit.MILLISECONDS.toNanos(1500);

  private final ConcurrentHashMap<FileId, AtomicLongArray> lastSent = new ConcurrentHashMap<>();

  /** Marks a chunk being sent right now. */
  private static final long SENDING = Long.MIN_VALUE;

  /**
   * Claims {@code chunk} of {@code file} for sending now; the caller must call {@link #sent}
   * once it is sent (or failed). The spread window runs from the end of the send, so a seed
   * whose uplink is throttled does not let a chunk go twice while the first copy still queues.
   *
   * @return 0 if it may be sent, else the milliseconds after which to ask again
   */
  long claim(FileId file, int chunks, int chunk) {
    AtomicLongArray sent = lastSent.computeIfAbsent(file, f -> new AtomicLongArray(chunks));
    if (chunk >= sent.length()) {
      return 0;
    }
    long now = System.nanoTime();
    long last = sent.get(chunk);
    if (last == SENDING) {
      return TimeUnit.NANOSECONDS.toMillis(SPREAD_NANOS);
    }
    // 0 means never sent; nanoTime can be anything, so "never" is kept apart from "long ago".
    if (last != 0 && now - last < SPREAD_NANOS) {
      return Math.max(1, TimeUnit.NANOSECONDS.toMillis(SPREAD_NANOS - (now - last)));
    }
    return sent.compareAndSet(chunk, last, SENDING) ? 0 : TimeUnit.NANOSECONDS.toMillis(SPREAD_NANOS);
  }

  /** The chunk claimed with {@link #claim} has been sent, or its send failed. */
  void sent(FileId file, int chunk) {
    AtomicLongArray sent = lastSent.get(file);
    if (sent != null && chunk < sent.length()) {
      long now = System.nanoTime();
      sent.set(chunk, now == 0 || now == SENDING ? 1 : now);
    }
  }
}
