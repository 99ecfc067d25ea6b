package io.swarmshare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.swarmshare.api.SharedFile;
import io.swarmshare.api.SwarmClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A download under a JDK Flight Recorder recording leaves io.swarmshare events in it. */
class FlightRecorderTest {
  @TempDir Path dir;

  @Test
  void aDownloadIsRecordedAsSwarmShareEvents() throws Exception {
    byte[] data = new byte[2 * 1024 * 1024];
    new Random(3).nextBytes(data);
    Path file = Files.write(dir.resolve("data.bin"), data);
    Path jfr = dir.resolve("run.jfr");
    try (Recording recording = new Recording()) {
      recording.enable("io.swarmshare.DownloadStarted");
      recording.enable("io.swarmshare.DownloadCompleted");
      recording.enable("io.swarmshare.ChunksVerified");
      recording.enable("io.swarmshare.TrackerRequest");
      recording.start();
      try (RunningTracker tracker = SwarmShare.tracker().port(0).bind("127.0.0.1").start();
           SwarmClient seeder = SwarmShare.client().tracker(tracker).bind("127.0.0.1").chunkSize(256 * 1024).start();
           SwarmClient leecher = SwarmShare.client().tracker("127.0.0.1:" + tracker.address().port())
               .bind("127.0.0.1").start()) {
        SharedFile shared = seeder.share(file);
        leecher.download(shared.id(), Files.createDirectories(dir.resolve("out"))).await();
      }
      recording.stop();
      recording.dump(jfr);
    }
    Map<String, Integer> counts = new HashMap<>();
    long chunks = 0;
    for (RecordedEvent e : RecordingFile.readAllEvents(jfr)) {
      counts.merge(e.getEventType().getName(), 1, Integer::sum);
      if (e.getEventType().getName().equals("io.swarmshare.ChunksVerified")) {
        chunks += e.getInt("chunks");
      }
    }
    assertEquals(1, counts.getOrDefault("io.swarmshare.DownloadStarted", 0), counts.toString());
    assertEquals(1, counts.getOrDefault("io.swarmshare.DownloadCompleted", 0), counts.toString());
    assertEquals(8, chunks, "every chunk counted once, in batches: " + counts);
    assertTrue(counts.getOrDefault("io.swarmshare.TrackerRequest", 0) >= 2, "the leecher's manifest and peers requests");
  }
}
