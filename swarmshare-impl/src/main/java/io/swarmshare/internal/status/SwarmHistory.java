package io.swarmshare.internal.status;

import io.swarmshare.api.FileId;
import io.swarmshare.api.SwarmStats;
import io.swarmshare.api.TrackerStats;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Recent throughput, for the status page's charts: every {@link #STEP_SECONDS} seconds the
 * status server hands in a snapshot, and the bytes peers reported receiving since the previous
 * one (tracker-wide and per file) become one point. Keeps the last {@link #POINTS} points for
 * the tracker and for at most {@link #MAX_FILES} files (the busiest), so its memory is bounded
 * whatever the tracker holds. Thread-safe.
 */
final class SwarmHistory {
  /** Seconds between two points. */
  static final int STEP_SECONDS = 2;
  /** Points kept: three minutes. */
  static final int POINTS = 90;
  /** Files whose history is kept; the status page shows no more. */
  static final int MAX_FILES = 200;

  private final ReentrantLock lock = new ReentrantLock();
  private final Series total = new Series();
  private Map<FileId, Series> files = new HashMap<>();
  private long lastNanos = -1;

  /** One ring of points and the count it was last sampled at. */
  private static final class Series {
    final long[] points = new long[POINTS];
    int next;
    int size;
    long last = -1;

    /** Takes in a count (never negative); the first is only a baseline, a count that fell adds nothing. */
    void add(long count, double seconds) {
      if (last >= 0) {
        points[next] = Math.round(Math.max(0, count - last) / seconds);
        next = (next + 1) % POINTS;
        size = Math.min(size + 1, POINTS);
      }
      last = count;
    }

    long[] oldestFirst() {
      long[] out = new long[size];
      for (int i = 0; i < size; i++) {
        out[i] = points[(next - size + i + POINTS) % POINTS];
      }
      return out;
    }
  }

  /** Takes in a snapshot taken at {@code nanos} ({@link System#nanoTime()}); its swarms are busiest first. */
  void sample(TrackerStats stats, long nanos) {
    lock.lock();
    try {
      double seconds = lastNanos < 0 ? STEP_SECONDS : Math.max(0.001, (nanos - lastNanos) / 1e9);
      lastNanos = nanos;
      if (stats.bytesDownloaded() >= 0) {
        total.add(stats.bytesDownloaded(), seconds);
      }
      Map<FileId, Series> next = new HashMap<>();
      for (SwarmStats s : stats.swarms()) {
        if (next.size() >= MAX_FILES) {
          break;
        }
        if (s.bytesDownloaded() < 0) {
          continue;
        }
        Series series = files.getOrDefault(s.id(), new Series());
        series.add(s.bytesDownloaded(), seconds);
        next.put(s.id(), series);
      }
      files = next;
    } finally {
      lock.unlock();
    }
  }

  /** The tracker's throughput in bytes per second, one point per step, oldest first. */
  long[] total() {
    lock.lock();
    try {
      return total.oldestFirst();
    } finally {
      lock.unlock();
    }
  }

  /** A file's throughput in bytes per second, oldest first; empty if none was sampled. */
  long[] of(FileId id) {
    lock.lock();
    try {
      Series s = files.get(id);
      return s == null ? new long[0] : s.oldestFirst();
    } finally {
      lock.unlock();
    }
  }
}
