package io.swarmshare.examples;

import io.swarmshare.SwarmShare;
import io.swarmshare.api.Download;
import io.swarmshare.api.DownloadEvent;
import io.swarmshare.api.DownloadOption;
import io.swarmshare.api.FileId;
import io.swarmshare.api.PeerId;
import io.swarmshare.api.SwarmClient;
import io.swarmshare.api.Tracker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Watches a download's events. Listeners run on the download's own threads and must not block,
 * so this one only queues each event; the main thread prints them. {@link DownloadEvent} is a
 * sealed interface of records, so the {@code switch} below is checked for completeness.
 *
 * <p>Run: {@code bin/example WatchDownload} (a swarm of its own: a tracker and three seeders of an
 * 8 MiB file) or {@code bin/example WatchDownload TRACKER ID} (a real file, into ./downloads).
 */
public final class WatchDownload {
  private WatchDownload() {}

  public static void main(String[] args) throws Exception {
    if (args.length == 2) {
      try (SwarmClient client = SwarmShare.client().tracker(args[0]).start()) {
        watch(client, FileId.parse(args[1]), Path.of("downloads"));
      }
      return;
    }
    Path work = Files.createTempDirectory("swarmshare-watch-");
    byte[] data = new byte[8 << 20];
    new Random(1).nextBytes(data);
    Path file = Files.write(work.resolve("dataset.bin"), data);
    try (var tracker = SwarmShare.tracker().port(0).bind("127.0.0.1").start()) {
      List<SwarmClient> seeders = new ArrayList<>();
      try {
        FileId id = null;
        for (int i = 1; i <= 3; i++) {
          SwarmClient s = seeder(tracker, "seeder-" + i);
          seeders.add(s);
          id = s.share(file).id();
        }
        try (SwarmClient client = SwarmShare.client().tracker(tracker).bind("127.0.0.1").start()) {
          watch(client, id, work.resolve("downloads"));
        }
      } finally {
        seeders.forEach(SwarmClient::close);
      }
    }
  }

  private static SwarmClient seeder(Tracker tracker, String name) throws Exception {
    return SwarmShare.client().tracker(tracker).bind("127.0.0.1").peerId(new PeerId(name)).chunkSize(256 << 10).start();
  }

  static void watch(SwarmClient client, FileId id, Path dir) throws Exception {
    BlockingQueue<DownloadEvent> events = new LinkedBlockingQueue<>();
    Download download = client.download(id, dir, DownloadOption.OVERWRITE);
    download.onEvent(events::add); // quick and non-blocking, as a listener must be
    // The download starts at once: events before onEvent() (other than the manifest and resume
    // checks, which are replayed) can be missed, so the end is also learned from isDone().
    while (true) {
      DownloadEvent e = events.poll(100, TimeUnit.MILLISECONDS);
      if (e == null) {
        if (download.isDone() && events.isEmpty()) {
          break;
        }
        continue;
      }
      System.out.println(describe(e));
      if (e instanceof DownloadEvent.Completed || e instanceof DownloadEvent.Failed) {
        break;
      }
    }
    download.await(); // throws the failure, if it failed
  }

  static String describe(DownloadEvent event) {
    return switch (event) {
      case DownloadEvent.ManifestVerified m ->
          "manifest verified: " + m.manifest().size() + " bytes in " + m.manifest().chunkCount() + " chunks";
      case DownloadEvent.ResumeChecked r ->
          "resuming: kept " + r.kept() + " chunks, discarded " + r.discarded() + (r.note().isEmpty() ? "" : " (" + r.note() + ")");
      case DownloadEvent.PeerConnected p -> "connected to    " + p.peer().value() + " at " + p.address();
      case DownloadEvent.PeerDisconnected p -> "disconnected    " + p.peer().value() + ": " + p.reason();
      case DownloadEvent.ChunkVerified c -> "chunk " + c.index() + " verified, from " + c.from().value();
      case DownloadEvent.ChunkRejected c -> "chunk " + c.index() + " REJECTED (hash mismatch), from " + c.from().value();
      case DownloadEvent.PeerBanned b -> "banned          " + b.peer().value() + " at " + b.address() + ": " + b.reason();
      case DownloadEvent.EndgameStarted g -> "endgame: the last " + g.remainingChunks() + " chunks are asked of several peers";
      case DownloadEvent.Completed c -> "completed: " + c.result().path() + " in " + c.result().elapsed().toMillis()
          + " ms, verified; bytes from " + c.result().bytesFromPeer().entrySet().stream()
              .map(b -> b.getKey().value() + " " + b.getValue()).collect(Collectors.joining(", "));
      case DownloadEvent.Failed f -> "failed: " + f.error().getMessage();
    };
  }
}
