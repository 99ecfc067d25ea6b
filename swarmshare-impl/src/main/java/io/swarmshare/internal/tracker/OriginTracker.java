package io.swarmshare.internal.tracker;

import io.swarmshare.api.Announcement;
import io.swarmshare.api.FileId;
import io.swarmshare.api.Manifest;
import io.swarmshare.api.PeerId;
import io.swarmshare.api.SwarmException;
import io.swarmshare.api.Tracker;

/**
 * The calls of a {@link Tracker} that change its state, each told its {@link Origin}, so that
 * the tracker can refuse a peer id's announce or leave from anyone but its owner and hold each
 * address to its quotas. {@link InMemoryTracker} implements it; {@link #of} adapts any other
 * tracker by ignoring the origin.
 */
public interface OriginTracker {
  /** {@link Tracker#register} from {@code origin}. */
  void register(Manifest manifest, String name, Origin origin) throws SwarmException;

  /** {@link Tracker#announce} from {@code origin}. */
  void announce(Announcement announcement, Origin origin) throws SwarmException;

  /** {@link Tracker#leave} from {@code origin}. */
  void leave(FileId file, PeerId peer, Origin origin) throws SwarmException;

  /** {@code tracker} itself if it tells origins apart, else a view that passes calls on without them. */
  static OriginTracker of(Tracker tracker) {
    if (tracker instanceof OriginTracker t) {
      return t;
    }
    return new OriginTracker() {
      @Override
      public void register(Manifest manifest, String name, Origin origin) throws SwarmException {
        tracker.register(manifest, name);
      }

      @Override
      public void announce(Announcement announcement, Origin origin) throws SwarmException {
        tracker.announce(announcement);
      }

      @Override
      public void leave(FileId file, PeerId peer, Origin origin) throws SwarmException {
        tracker.leave(file, peer);
      }
    };
  }
}
