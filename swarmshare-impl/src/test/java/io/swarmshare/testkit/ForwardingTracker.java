package io.swarmshare.testkit;

import io.swarmshare.api.Announcement;
import io.swarmshare.api.FileEntry;
import io.swarmshare.api.FileId;
import io.swarmshare.api.Manifest;
import io.swarmshare.api.PeerId;
import io.swarmshare.api.PeerInfo;
import io.swarmshare.api.SwarmException;
import io.swarmshare.api.Tracker;
import java.util.List;
import java.util.Optional;

/**
 * A {@link Tracker} that passes every call to another: a test overrides the one call it wants
 * to change (a lying manifest, say), or none, to hide the other's concrete type.
 */
public class ForwardingTracker implements Tracker {
  private final Tracker delegate;

  public ForwardingTracker(Tracker delegate) {
    this.delegate = delegate;
  }

  @Override
  public void register(Manifest manifest, String name) throws SwarmException {
    delegate.register(manifest, name);
  }

  @Override
  public void announce(Announcement announcement) throws SwarmException {
    delegate.announce(announcement);
  }

  @Override
  public void leave(FileId file, PeerId peer) throws SwarmException {
    delegate.leave(file, peer);
  }

  @Override
  public List<PeerInfo> peers(FileId file, int limit) throws SwarmException {
    return delegate.peers(file, limit);
  }

  @Override
  public Optional<Manifest> manifest(FileId file) throws SwarmException {
    return delegate.manifest(file);
  }

  @Override
  public List<FileEntry> search(String text, int limit) throws SwarmException {
    return delegate.search(text, limit);
  }

  @Override
  public void close() {
    delegate.close();
  }
}
