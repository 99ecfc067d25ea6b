package io.swarmshare;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.swarmshare.api.DownloadResult;
import io.swarmshare.api.SharedFile;
import io.swarmshare.api.SwarmClient;
import io.swarmshare.api.spi.Connection;
import io.swarmshare.api.spi.Listener;
import io.swarmshare.api.spi.Transport;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A user's transport that wraps the public TCP one, as docs/API.md suggests: it sees every
 * connection the client makes, including to a tracker named by host name (an unresolved address,
 * which the TCP transport resolves), and the download works through it.
 */
class WrappedTransportTest {
  @TempDir Path dir;

  /** Records where each connection went, then lets plain TCP make it. */
  static final class Counting implements Transport {
    final Transport tcp = SwarmShare.tcp();
    final List<InetSocketAddress> dialled = new CopyOnWriteArrayList<>();

    @Override
    public String name() {
      return "counting " + tcp.name();
    }

    @Override
    public Connection connect(InetSocketAddress address, Duration timeout) throws IOException {
      dialled.add(address);
      return tcp.connect(address, timeout);
    }

    @Override
    public Listener listen(InetSocketAddress bind) throws IOException {
      return tcp.listen(bind);
    }
  }

  @Test
  void aDownloadRunsThroughATransportThatWrapsTcp() throws Exception {
    byte[] data = new byte[3 * 256 * 1024 + 17];
    new Random(3).nextBytes(data);
    Path file = Files.write(dir.resolve("f.bin"), data);
    Counting counting = new Counting();
    try (RunningTracker tracker = SwarmShare.tracker().port(0).bind("127.0.0.1").start();
         SwarmClient seeder = SwarmShare.client().tracker(tracker).bind("127.0.0.1").chunkSize(256 * 1024).start();
         SwarmClient leecher = SwarmShare.client().tracker("localhost:" + tracker.address().port())
             .transport(counting).bind("127.0.0.1").start()) {
      SharedFile shared = seeder.share(file);
      DownloadResult r = leecher.download(shared.id(), Files.createDirectories(dir.resolve("out")))
          .await(Duration.ofSeconds(60));
      assertArrayEquals(data, Files.readAllBytes(r.path()));
      assertTrue(counting.dialled.stream().anyMatch(a -> a.getHostString().equals("localhost")),
          "the tracker was dialled by name through the wrapper: " + counting.dialled);
      assertTrue(counting.dialled.stream().anyMatch(a -> a.getPort() == seeder.address().port()),
          "the seeder was dialled through the wrapper: " + counting.dialled);
      assertEquals("counting tcp", counting.name());
    }
  }
}
