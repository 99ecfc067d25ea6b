package io.swarmshare.api;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * A running download: its progress, its events, and a way to wait for or cancel it.
 * Thread-safe. Closing it cancels it if it has not finished.
 */
public interface Download extends AutoCloseable {
  /** {@return the id of the file being downloaded} */
  FileId id();

  /** {@return a snapshot of the progress so far; cheap enough to poll for a progress bar} */
  DownloadProgress progress();

  /**
   * Calls {@code listener} for every event from now on, on the download's own threads: it must
   * be quick and must not block. Events from before the download could be listened to
   * ({@code ManifestVerified}, {@code ResumeChecked}) are replayed to it first, and so is the
   * final {@code Completed} or {@code Failed} if the download already ended. A listener that
   * throws is removed.
   *
   * @param listener called with each event; quick, non-blocking
   */
  void onEvent(Consumer<DownloadEvent> listener);

  /**
   * Waits for the download to finish.
   *
   * @return the result once the file is complete and verified
   * @throws SwarmException why it failed; {@link DownloadCancelledException} if cancelled
   * @throws InterruptedException if this thread is interrupted while waiting (the download goes on)
   */
  DownloadResult await() throws SwarmException, InterruptedException;

  /**
   * Waits at most {@code timeout} for the download to finish.
   *
   * @param timeout the longest wait
   * @return the result once the file is complete and verified
   * @throws SwarmException why it failed; {@link DownloadCancelledException} if cancelled
   * @throws TimeoutException if it has not finished within {@code timeout} (it goes on)
   * @throws InterruptedException if this thread is interrupted while waiting (the download goes on)
   */
  DownloadResult await(Duration timeout) throws SwarmException, InterruptedException, TimeoutException;

  /**
   * The download's end as a future, for code that composes instead of blocking: completed with
   * the result, or exceptionally with the {@link SwarmException} {@link #await()} would throw.
   * Completing or cancelling the future does not touch the download; {@link #cancel()} does.
   *
   * @return a future completed when the download ends
   */
  CompletableFuture<DownloadResult> completion();

  /** {@return true once the download has completed, failed or been cancelled} */
  boolean isDone();

  /** Stops the download, keeping verified chunks for a later resume; idempotent. */
  void cancel();

  /** Same as {@link #cancel()} if the download has not finished. */
  @Override
  void close();
}
