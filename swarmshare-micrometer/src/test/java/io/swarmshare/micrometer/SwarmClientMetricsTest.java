package io.swarmshare.micrometer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.swarmshare.RunningTracker;
import io.swarmshare.SwarmShare;
import io.swarmshare.api.DownloadResult;
import io.swarmshare.api.SharedFile;
import io.swarmshare.api.SwarmClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real download on loopback, its client's counters read back through a Micrometer registry. */
class SwarmClientMetricsTest {
  @TempDir Path dir;

  @Test
  void bytesDownloadedAndDownloadsReadBackFromTheRegistry() throws Exception {
    byte[] data = new byte[3 * 1024 * 1024 + 17];
    new Random(17).nextBytes(data);
    Path file = Files.write(dir.resolve("model.bin"), data);
    try (RunningTracker tracker = SwarmShare.tracker().port(0).bind("127.0.0.1").start();
         SwarmClient seeder = SwarmShare.client().tracker(tracker).bind("127.0.0.1").chunkSize(256 * 1024).start();
         SwarmClient leecher = SwarmShare.client().tracker(tracker).bind("127.0.0.1").start()) {
      SharedFile shared = seeder.share(file);
      SimpleMeterRegistry registry = new SimpleMeterRegistry();
      new SwarmClientMetrics(leecher).bindTo(registry);
      new SwarmClientMetrics(seeder).bindTo(registry);
      assertEquals(0.0, registry.get("swarmshare.client.downloaded").tag("peer", leecher.id().value())
          .functionCounter().count());

      DownloadResult r = leecher.download(shared.id(), Files.createDirectories(dir.resolve("out"))).await();
      assertEquals(data.length, r.size());

      String me = leecher.id().value();
      assertEquals(data.length, registry.get("swarmshare.client.downloaded").tag("peer", me).functionCounter().count());
      assertEquals(1.0, registry.get("swarmshare.client.downloads.completed").tag("peer", me).functionCounter().count());
      assertEquals(0.0, registry.get("swarmshare.client.downloads.active").tag("peer", me).gauge().value());
      assertEquals(1.0, registry.get("swarmshare.client.shared.files").tag("peer", me).gauge().value(),
          "a finished download is served");
      assertEquals(data.length, registry.get("swarmshare.client.uploaded").tag("peer", seeder.id().value())
          .functionCounter().count(), "the seeder sent every byte");
      assertEquals("bytes", registry.get("swarmshare.client.downloaded").meter().getId().getBaseUnit());
    }
  }
}
