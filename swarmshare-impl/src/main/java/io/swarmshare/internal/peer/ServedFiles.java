package io.swarmshare.internal.peer;

import io.swarmshare.api.FileId;
import io.swarmshare.api.PieceStore;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.IntConsumer;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * The files a client serves, shared and downloading alike, by id. Thread-safe: downloads add
 * their store when they start, so a leecher serves what it has while it downloads.
 */
public final class ServedFiles {
  private final ConcurrentHashMap<FileId, PieceStore> stores = new ConcurrentHashMap<>();
  /** Who wants to hear of each chunk a file gains: the connections that asked its bitfield. */
  private final ConcurrentHashMap<FileId, Set<IntConsumer>> watchers = new ConcurrentHashMap<>();
  private final Consumer<FileId> onWatched;

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

  /** Serves {@code store}'s chunks under its manifest's id, replacing any earlier store. */
  public void put(PieceStore store) {
    stores.put(store.manifest().id(), store);
  }

  /** Stops serving {@code id}; returns the store that was served, or null. */
  public @Nullable PieceStore remove(FileId id) {
    return stores.remove(id);
  }

  /** Stops serving {@code id} only if {@code store} is the one served. */
  public boolean remove(FileId id, PieceStore store) {
    return stores.remove(id, store);
  }

  public @Nullable PieceStore get(FileId id) {
    return stores.get(id);
  }

  public List<PieceStore> all() {
    return List.copyOf(stores.values());
  }
}
