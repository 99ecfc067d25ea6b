package io.swarmshare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.swarmshare.api.Download;
import io.swarmshare.api.DownloadResult;
import io.swarmshare.api.SharedFile;
import io.swarmshare.api.SwarmClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A download's end as a timeout that throws and as a future, on a real transfer. */
class DownloadCompletionTest {
  @TempDir Path dir;

  @Test
  void aTimeoutThrowsAndTheFutureCompletesWithTheResult() throws Exception {
    byte[] data = new byte[2 * 1024 * 1024];
    new Random(9).nextBytes(data);
    Path file = Files.write(dir.resolve("f.bin"), data);
    try (RunningTracker tracker = SwarmShare.tracker().port(0).bind("127.0.0.1").start();
         SwarmClient seeder = SwarmShare.client().tracker(tracker).bind("127.0.0.1").chunkSize(256 * 1024)
             .maxUploadRate(2 << 20).start();
         SwarmClient leecher = SwarmShare.client().tracker(tracker).bind("127.0.0.1").start()) {
      SharedFile shared = seeder.share(file);
      Download d = leecher.download(shared.id(), Files.createDirectories(dir.resolve("out")));
      // About a second at 2 MiB/s: 1 ms is certainly too short.
      assertThrows(TimeoutException.class, () -> d.await(Duration.ofMillis(1)));

      CompletableFuture<DownloadResult> future = d.completion();
      future.cancel(true); // a caller's copy: the download goes on
      DownloadResult r = d.completion().get(60, TimeUnit.SECONDS);
      assertEquals(data.length, r.size());
      assertEquals(r, d.await(Duration.ofSeconds(1)), "await and the future agree");
      assertTrue(future.isCancelled());

      Download cancelled = leecher.download(shared.id(), Files.createDirectories(dir.resolve("again")));
      cancelled.cancel();
      ExecutionException e = assertThrows(ExecutionException.class,
          () -> cancelled.completion().get(30, TimeUnit.SECONDS));
      assertTrue(e.getCause() instanceof io.swarmshare.api.SwarmException, e.toString());
    }
  }
}
