package io.swarmshare;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.swarmshare.api.Announcement;
import io.swarmshare.api.Bitfield;
import io.swarmshare.api.Download;
import io.swarmshare.api.DownloadResult;
import io.swarmshare.api.FileId;
import io.swarmshare.api.PeerAddress;
import io.swarmshare.api.PeerId;
import io.swarmshare.api.SharedFile;
import io.swarmshare.api.SwarmClient;
import io.swarmshare.internal.peer.PeerMessages;
import io.swarmshare.internal.protocol.ErrorCode;
import io.swarmshare.internal.protocol.Errors;
import io.swarmshare.internal.protocol.FrameReader;
import io.swarmshare.internal.protocol.FrameWriter;
import io.swarmshare.internal.protocol.Handshake;
import io.swarmshare.internal.protocol.Header;
import io.swarmshare.internal.protocol.Limits;
import io.swarmshare.testkit.Await;
import io.swarmshare.testkit.LoopbackSwarm;
import io.swarmshare.testkit.TestFiles;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/PROTOCOL.md section 6 from the downloader's side: an error with a closing code ends the
 * connection even when it carries a request's id and the peer leaves its socket open. A fake
 * peer claims every chunk, answers the first {@code get} of a connection with {@code too_large}
 * and then goes silent: the downloader must hang up at once (not after its stall timeout or at
 * the end of the download), and the file still arrives from the honest seeder.
 */
@Timeout(60)
class PeerClosingErrorTest {
  @TempDir Path dir;

  @Test
  void aClosingErrorWithAnIdEndsThePeersConnectionAtOnce() throws Exception {
    try (LoopbackSwarm swarm = new LoopbackSwarm();
        ServerSocket fake = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      Path file = TestFiles.random(dir.resolve("seed"), "f.bin", 1024 * 1024, 15);
      // Slow enough that the download lasts well past the deadline below.
      SwarmClient honest = swarm.track(swarm.clientBuilder("honest").maxUploadRate(128 * 1024).start());
      SharedFile shared = honest.share(file);
      int chunks = shared.manifest().chunkCount();
      AtomicInteger erred = new AtomicInteger();
      AtomicInteger hungUp = new AtomicInteger();
      Thread.ofVirtual().start(() -> {
        try {
          while (true) {
            Socket s = fake.accept();
            Thread.ofVirtual().start(() -> serve(s, shared.id(), chunks, erred, hungUp));
          }
        } catch (IOException closed) {
          // the test is over
        }
      });
      PeerId fakeId = new PeerId("fake");
      swarm.tracker().announce(new Announcement(shared.id(), fakeId, new PeerAddress("127.0.0.1", fake.getLocalPort()),
          Bitfield.full(chunks)));
      // A stall timeout far past the deadline below, so only the closing error can end the session in time.
      SwarmClient leecher = swarm.track(swarm.clientBuilder("leecher").stallTimeout(Duration.ofSeconds(30)).start());
      Download d = leecher.download(shared.id(), dir.resolve("out"));
      Await.until(() -> erred.get() > 0, Duration.ofSeconds(20), () -> "the fake peer was never asked for a chunk");
      Await.until(() -> hungUp.get() > 0, Duration.ofSeconds(3),
          () -> "the downloader kept a connection whose peer sent a closing error");
      DownloadResult r = d.await(Duration.ofSeconds(40));
      assertEquals(TestFiles.sha256(file), TestFiles.sha256(r.path()));
    }
  }

  /** One connection of the fake peer; counts closing errors sent and hang-ups seen after one. */
  private static void serve(Socket s, FileId file, int chunks, AtomicInteger erred, AtomicInteger hungUp) {
    boolean sent = false;
    try (s) {
      FrameReader reader = new FrameReader(s.getInputStream(), Limits.DEFAULTS);
      FrameWriter writer = new FrameWriter(s.getOutputStream());
      Handshake.exchange(reader, writer, new PeerId("fake"), PeerMessages.ROLE);
      Header h;
      while ((h = reader.next()) != null) {
        reader.skipBody();
        if (h.type().equals(PeerMessages.BITFIELD)) {
          byte[] bits = Bitfield.full(chunks).toByteArray();
          writer.write(PeerMessages.bitfieldResponse(h.id(), file, Bitfield.full(chunks)), bits, 0, bits.length);
        } else if (h.type().equals(PeerMessages.GET) && !sent) {
          writer.write(Errors.frame(h.id(), ErrorCode.TOO_LARGE, "this side closes after this error"));
          sent = true;
          erred.incrementAndGet();
        }
        writer.flush();
      }
    } catch (IOException e) {
      // a reset is a hang-up too
    }
    if (sent) {
      hungUp.incrementAndGet();
    }
  }
}
