package io.swarmshare.internal.peer;

import io.swarmshare.api.FileId;
import io.swarmshare.api.PieceStore;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.IntConsumer;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;

/**
 * The files a client serves, shared and downloading alike, by id. Thread-safe: downloads add
 * their store when they start, so a leecher serves what it has while it downloads.
 */
public final class ServedFiles {
  private final ConcurrentHashMap<FileId, PieceStore> stores = new ConcurrentHashMap<>();
  /** Bytes sent and received of each served file since it began to be served, reported to the tracker. */
  private final ConcurrentHashMap<FileId, Moved> moved = new ConcurrentHashMap<>();
  /** Who wants to hear of each chunk a file gains: the connections that asked its bitfield. */
  private final ConcurrentHashMap<FileId, Set<IntConsumer>> watchers = new ConcurrentHashMap<>();
  private final Consumer<FileId> onWatched;
  /** Told of every file no longer served, so what others keep per file goes with it. */
  private final List<Consumer<FileId>> onRemoved = new CopyOnWriteArrayList<>();

  /** Served files with no interest in who watches them. */
  public ServedFiles() {
    this(id -> { });
  }

  /** Served files that call {@code onWatched} (which must not block) when a peer starts watching one. */
  public ServedFiles(Consumer<FileId> onWatched) {
    this.onWatched = onWatched;
  }

  /**
   * Calls {@code watcher} with each chunk of {@code id} stored from now on, until the returned
   * handle is closed. The watcher runs on the thread that stored the chunk, so it must not block.
   */
  public AutoCloseable watch(FileId id, IntConsumer watcher) {
    watchers.computeIfAbsent(id, k -> ConcurrentHashMap.newKeySet()).add(watcher);
    onWatched.accept(id);
    return () -> watchers.computeIfPresent(id, (k, set) -> {
      set.remove(watcher);
      return set.isEmpty() ? null : set;
    });
  }

  /** A download stored and verified {@code chunk} of {@code id}: tells its watchers. */
  public void obtained(FileId id, int chunk) {
    Set<IntConsumer> set = watchers.get(id);
    if (set != null) {
      for (IntConsumer w : set) {
        w.accept(chunk);
      }
    }
  }

  /** How many connections watch {@code id}: the peers downloading it from us that speak {@code have}. */
  public int watchers(FileId id) {
    Set<IntConsumer> set = watchers.get(id);
    return set == null ? 0 : set.size();
  }

  /** Bytes of one file sent to peers and received from them. */
  public static final class Moved {
    private final LongAdder uploaded = new LongAdder();
    private final LongAdder downloaded = new LongAdder();

    /** Bytes of the file's chunks sent to other peers. */
    public long uploaded() {
      return uploaded.sum();
    }

    /** Bytes of the file's chunks received from other peers and verified. */
    public long downloaded() {
      return downloaded.sum();
    }
  }

  /** {@code bytes} of {@code id} were sent to a peer. */
  public void uploaded(FileId id, long bytes) {
    Moved m = moved.get(id);
    if (m != null) {
      m.uploaded.add(bytes);
    }
  }

  /** {@code bytes} of {@code id} were received from a peer and verified. */
  public void downloaded(FileId id, long bytes) {
    Moved m = moved.get(id);
    if (m != null) {
      m.downloaded.add(bytes);
    }
  }

  /** What was moved of {@code id} since it began to be served (zero if it is not served). */
  public Moved moved(FileId id) {
    Moved m = moved.get(id);
    return m != null ? m : new Moved();
  }

  /**
   * Serves {@code store}'s chunks under its manifest's id, replacing any earlier store. The
   * counts of bytes moved carry on: a finished download goes on seeding under the same counts.
   */
  public void put(PieceStore store) {
    moved.computeIfAbsent(store.manifest().id(), k -> new Moved());
    stores.put(store.manifest().id(), store);
  }

  /** Calls {@code listener} (which must not block) with each file that stops being served. */
  public void onRemoved(Consumer<FileId> listener) {
    onRemoved.add(listener);
  }

  /** Stops serving {@code id}; returns the store that was served, or null. */
  public @Nullable PieceStore remove(FileId id) {
    PieceStore removed = stores.remove(id);
    if (removed != null) {
      removed(id);
    }
    return removed;
  }

  /** Stops serving {@code id} only if {@code store} is the one served. */
  public boolean remove(FileId id, PieceStore store) {
    boolean removed = stores.remove(id, store);
    if (removed) {
      removed(id);
    }
    return removed;
  }

  private void removed(FileId id) {
    moved.remove(id);
    for (Consumer<FileId> listener : onRemoved) {
      listener.accept(id);
    }
  }

  public @Nullable PieceStore get(FileId id) {
    return stores.get(id);
  }

  public List<PieceStore> all() {
    return List.copyOf(stores.values());
  }
}
