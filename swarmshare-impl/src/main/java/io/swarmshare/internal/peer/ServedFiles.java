package io.swarmshare.internal.peer;

import io.swarmshare.api.FileId;
import io.swarmshare.api.PieceStore;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * The files a client serves, shared and downloading alike, by id. Thread-safe: downloads add
 * their store when they start, so a leecher serves what it has while it downloads.
 */
public final class ServedFiles {
  private final ConcurrentHashMap<FileId, PieceStore> stores = new ConcurrentHashMap<>();

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
