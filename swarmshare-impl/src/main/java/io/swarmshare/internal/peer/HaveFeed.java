package io.swarmshare.internal.peer;

import io.swarmshare.api.FileId;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The chunks one connection is to hear of: for every file whose bitfield the client asked,
 * the chunks this peer stores from then on, gathered here as downloads store them and sent by
 * the connection's writer in batched {@code have} frames. Thread-safe: stores add from their
 * own threads, the connection's reader watches, its writer drains.
 */
final class HaveFeed implements AutoCloseable {
  /** Files one connection may watch; a client asks about a handful at most. */
  static final int MAX_FILES = 64;

  private final ServedFiles files;
  private final Runnable wake;
  private final Map<FileId, AutoCloseable> watches = new ConcurrentHashMap<>();
  private final ReentrantLock lock = new ReentrantLock();
  /** Chunks gathered per file since the last drain; guarded by {@link #lock}. */
  private final Map<FileId, Gathered> pending = new LinkedHashMap<>();
  private boolean scheduled;

  /** A growing list of chunk indexes. */
  private static final class Gathered {
    int[] chunks = new int[16];
    int count;

    void add(int chunk) {
      if (count == chunks.length) {
        chunks = Arrays.copyOf(chunks, count * 2);
      }
      chunks[count++] = chunk;
    }
  }

  /** A feed that calls {@code wake} (which must not block) when chunks wait to be sent. */
  HaveFeed(ServedFiles files, Runnable wake) {
    this.files = files;
    this.wake = wake;
  }

  /** Starts gathering the chunks {@code id} gains; called before its bitfield is answered. */
  void watch(FileId id) {
    if (watches.size() >= MAX_FILES || watches.containsKey(id)) {
      return;
    }
    watches.computeIfAbsent(id, k -> files.watch(k, chunk -> add(k, chunk)));
  }

  private void add(FileId id, int chunk) {
    boolean first;
    lock.lock();
    try {
      pending.computeIfAbsent(id, k -> new Gathered()).add(chunk);
      first = !scheduled;
      scheduled = true;
    } finally {
      lock.unlock();
    }
    if (first) {
      wake.run();
    }
  }

  /** True if chunks wait to be sent. */
  boolean hasPending() {
    lock.lock();
    try {
      return scheduled;
    } finally {
      lock.unlock();
    }
  }

  /** Takes the chunks gathered so far, per file. */
  Map<FileId, int[]> drain() {
    lock.lock();
    try {
      Map<FileId, int[]> out = new LinkedHashMap<>();
      pending.forEach((id, g) -> out.put(id, Arrays.copyOf(g.chunks, g.count)));
      pending.clear();
      scheduled = false;
      return out;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void close() {
    for (AutoCloseable w : watches.values()) {
      try {
        w.close();
      } catch (Exception ignored) {
        // removing a watcher from a map cannot fail
      }
    }
    watches.clear();
  }
}
