package io.swarmshare.internal.download;

import io.swarmshare.api.DownloadEvent;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The listeners of one download and the events they hear. Events from before anyone could
 * listen (manifest, resume) and the last event (completed or failed) are replayed to late
 * listeners, so none misses how the download began or ended. A listener that throws is removed.
 * Thread-safe.
 */
final class DownloadEvents {
  private final List<Consumer<DownloadEvent>> listeners = new CopyOnWriteArrayList<>();
  private final List<DownloadEvent> opening = new CopyOnWriteArrayList<>();
  private final ReentrantLock lock = new ReentrantLock();
  private volatile @Nullable DownloadEvent terminal;

  /** Records an event that happened before the download started; replayed to every listener. */
  void opening(DownloadEvent e) {
    opening.add(e);
  }

  void listen(Consumer<DownloadEvent> listener) {
    for (DownloadEvent e : opening) {
      listener.accept(e);
    }
    DownloadEvent end;
    lock.lock();
    try {
      listeners.add(listener);
      end = terminal;
    } finally {
      lock.unlock();
    }
    if (end != null) {
      listener.accept(end);
    }
  }

  /** Sends {@code e} to every listener. */
  void send(DownloadEvent e) {
    if (e instanceof DownloadEvent.Completed || e instanceof DownloadEvent.Failed) {
      // Under the lock, so a listener added at the same moment hears it exactly once.
      lock.lock();
      try {
        terminal = e;
        dispatch(e);
      } finally {
        lock.unlock();
      }
      return;
    }
    dispatch(e);
  }

  private void dispatch(DownloadEvent e) {
    for (Consumer<DownloadEvent> l : listeners) {
      try {
        l.accept(e);
      } catch (RuntimeException ex) {
        listeners.remove(l);
      }
    }
  }
}
