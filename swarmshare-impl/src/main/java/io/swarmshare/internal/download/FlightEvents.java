package io.swarmshare.internal.download;

import io.swarmshare.api.DownloadEvent;
import io.swarmshare.api.Manifest;
import io.swarmshare.internal.jfr.Recording;
import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.Timespan;
import org.jspecify.annotations.Nullable;

/**
 * A download's events as JDK Flight Recorder events ({@code io.swarmshare.*}), so a recording
 * ({@code -XX:StartFlightRecording}, or JDK Mission Control attached to a running service) shows
 * downloads, bans and verification beside the JVM's own events. Until the recorder starts, each
 * call costs one check of {@link Recording#active()} and no event class is loaded; after, one
 * check of {@link Event#shouldCommit()}. Verified chunks are gathered into one
 * event per batch (64 chunks, or a second) rather than one per chunk.
 *
 * <p>One instance per download; called on the download's threads, so it is thread-safe.
 */
final class FlightEvents {
  private static final int BATCH_CHUNKS = 64;
  private static final long BATCH_NANOS = 1_000_000_000L;

  private final Manifest manifest;
  private final String name;
  private int batchChunks; // guarded by this
  private long batchStart; // guarded by this

  FlightEvents(Manifest manifest, String name) {
    this.manifest = manifest;
    this.name = name;
  }

  /** Records {@code e} if a recording wants it. */
  void record(DownloadEvent e) {
    if (!Recording.active()) {
      return;
    }
    switch (e) {
      case DownloadEvent.ManifestVerified m -> {
        DownloadStarted s = new DownloadStarted();
        if (s.shouldCommit()) {
          s.file = manifest.id().hex();
          s.name = name;
          s.size = manifest.size();
          s.chunks = manifest.chunkCount();
          s.commit();
        }
      }
      case DownloadEvent.ChunkVerified c -> chunkVerified();
      case DownloadEvent.PeerBanned b -> {
        PeerBanned p = new PeerBanned();
        if (p.shouldCommit()) {
          p.file = manifest.id().hex();
          p.peer = b.peer().value();
          p.address = b.address().toString();
          p.reason = b.reason();
          p.commit();
        }
      }
      case DownloadEvent.Completed c -> {
        flushBatch();
        DownloadCompleted d = new DownloadCompleted();
        if (d.shouldCommit()) {
          d.file = manifest.id().hex();
          d.name = name;
          d.size = manifest.size();
          d.elapsed = c.result().elapsed().toNanos();
          d.peers = c.result().peers();
          d.chunksDownloaded = c.result().chunksDownloaded();
          d.chunksResumed = c.result().chunksResumed();
          d.commit();
        }
      }
      case DownloadEvent.Failed f -> {
        flushBatch();
        DownloadFailed d = new DownloadFailed();
        if (d.shouldCommit()) {
          d.file = manifest.id().hex();
          d.name = name;
          d.reason = String.valueOf(f.error().getMessage());
          d.commit();
        }
      }
      default -> { }
    }
  }

  private void chunkVerified() {
    ChunksVerified probe = null;
    synchronized (this) {
      if (batchChunks == 0) {
        batchStart = System.nanoTime();
      }
      batchChunks++;
      if (batchChunks >= BATCH_CHUNKS || System.nanoTime() - batchStart >= BATCH_NANOS) {
        probe = batch();
      }
    }
    if (probe != null) {
      probe.commit();
    }
  }

  private void flushBatch() {
    ChunksVerified probe;
    synchronized (this) {
      probe = batchChunks > 0 ? batch() : null;
    }
    if (probe != null) {
      probe.commit();
    }
  }

  /** Takes the batch so far as an event, or null if no recording wants one. Holds this. */
  private @Nullable ChunksVerified batch() {
    ChunksVerified v = new ChunksVerified();
    int chunks = batchChunks;
    batchChunks = 0;
    if (!v.shouldCommit()) {
      return null;
    }
    v.file = manifest.id().hex();
    v.chunks = chunks;
    v.bytes = (long) chunks * manifest.chunkSize();
    v.span = System.nanoTime() - batchStart;
    return v;
  }

  @Name("io.swarmshare.DownloadStarted")
  @Label("Download Started")
  @Category("SwarmShare")
  @Description("A download's manifest was fetched and verified; chunks are about to be fetched.")
  static final class DownloadStarted extends Event {
    @Label("File Id") @Nullable String file;
    @Label("Name") @Nullable String name;
    @Label("Size") @DataAmount long size;
    @Label("Chunks") int chunks;
  }

  @Name("io.swarmshare.DownloadCompleted")
  @Label("Download Completed")
  @Category("SwarmShare")
  @Description("A download finished: every chunk and the whole file verified.")
  static final class DownloadCompleted extends Event {
    @Label("File Id") @Nullable String file;
    @Label("Name") @Nullable String name;
    @Label("Size") @DataAmount long size;
    @Label("Elapsed") @Timespan long elapsed;
    @Label("Peers") int peers;
    @Label("Chunks Downloaded") int chunksDownloaded;
    @Label("Chunks Resumed") int chunksResumed;
  }

  @Name("io.swarmshare.DownloadFailed")
  @Label("Download Failed")
  @Category("SwarmShare")
  @Description("A download ended without the file: no peers, a storage error, a cancel.")
  static final class DownloadFailed extends Event {
    @Label("File Id") @Nullable String file;
    @Label("Name") @Nullable String name;
    @Label("Reason") @Nullable String reason;
  }

  @Name("io.swarmshare.PeerBanned")
  @Label("Peer Banned")
  @Category("SwarmShare")
  @Description("A peer was banned from a download, by the address it was dialled at.")
  static final class PeerBanned extends Event {
    @Label("File Id") @Nullable String file;
    @Label("Peer Id") @Nullable String peer;
    @Label("Address") @Nullable String address;
    @Label("Reason") @Nullable String reason;
  }

  @Name("io.swarmshare.ChunksVerified")
  @Label("Chunks Verified")
  @Category("SwarmShare")
  @Description("A batch of chunks whose SHA-256 matched the manifest (up to 64, or a second's worth).")
  static final class ChunksVerified extends Event {
    @Label("File Id") @Nullable String file;
    @Label("Chunks") int chunks;
    @Label("Bytes") @DataAmount long bytes;
    @Label("Span") @Timespan long span;
  }
}
