package io.swarmshare.internal.tracker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.swarmshare.RunningTracker;
import io.swarmshare.SwarmShare;
import io.swarmshare.api.Announcement;
import io.swarmshare.api.Bitfield;
import io.swarmshare.api.Manifest;
import io.swarmshare.api.PeerAddress;
import io.swarmshare.api.PeerId;
import io.swarmshare.api.PeerInfo;
import io.swarmshare.api.Tracker;
import io.swarmshare.api.spi.Connection;
import io.swarmshare.api.spi.Listener;
import io.swarmshare.api.spi.Transport;
import io.swarmshare.internal.transport.TcpTransport;
import io.swarmshare.testkit.ForwardingConnection;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A peer on the tracker's own host is announced at a loopback address; a downloader on another
 * host must be handed an address it can reach. The traffic here is all on loopback: the server
 * side of each connection only <em>reports</em> documentation-range addresses (192.0.2.0/24,
 * never contacted), as if the downloader had come from another machine.
 */
class OwnHostPeersTest {
  /** Accepts real loopback connections but reports them as coming from another host. */
  private static final class ElsewhereTransport implements Transport {
    private final TcpTransport tcp = new TcpTransport();
    private final InetSocketAddress from;
    private final InetSocketAddress to;

    ElsewhereTransport(InetSocketAddress from, InetSocketAddress to) {
      this.from = from;
      this.to = to;
    }

    @Override
    public String name() {
      return "tcp-elsewhere";
    }

    @Override
    public Connection connect(InetSocketAddress address, Duration timeout) throws IOException {
      return tcp.connect(address, timeout);
    }

    @Override
    public Listener listen(InetSocketAddress bind) throws IOException {
      Listener real = tcp.listen(bind);
      return new Listener() {
        @Override
        public Connection accept() throws IOException {
          Connection c = real.accept();
          return new ForwardingConnection(c) {
            @Override
            public InetSocketAddress remoteAddress() {
              return from;
            }

            @Override
            public InetSocketAddress localAddress() {
              return to;
            }
          };
        }

        @Override
        public InetSocketAddress localAddress() {
          return real.localAddress();
        }

        @Override
        public void close() {
          real.close();
        }
      };
    }
  }

  @Test
  void peersOnTheTrackersHostAreListedAtTheAddressTheRequesterReached() throws Exception {
    InetSocketAddress remoteHost = new InetSocketAddress("192.0.2.10", 40000);
    InetSocketAddress trackerHost = new InetSocketAddress("192.0.2.1", 8888);
    try (RunningTracker tracker = SwarmShare.tracker().port(0).bind("127.0.0.1")
        .transport(new ElsewhereTransport(remoteHost, trackerHost)).start()) {
      Manifest m = Manifest.of(100, 16384, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", new byte[32]);
      tracker.register(m, "one-chunk");
      // A client in the tracker's process, and one on another host, as the tracker saw them.
      tracker.announce(new Announcement(m.id(), new PeerId("local"), new PeerAddress("127.0.0.1", 7001), Bitfield.full(1)));
      tracker.announce(new Announcement(m.id(), new PeerId("lan"), new PeerAddress("192.0.2.20", 7002), Bitfield.full(1)));

      List<PeerInfo> inProcess = tracker.peers(m.id(), 10);
      try (Tracker remote = SwarmShare.remoteTracker(tracker.address())) {
        List<PeerInfo> fromElsewhere = remote.peers(m.id(), 10);
        assertEquals(new PeerAddress("192.0.2.1", 7001), find(fromElsewhere, "local"));
        assertEquals(new PeerAddress("192.0.2.20", 7002), find(fromElsewhere, "lan"), "other hosts stay as they are");
      }
      assertEquals(new PeerAddress("127.0.0.1", 7001), find(inProcess, "local"), "in-process callers see what was announced");
    }
  }

  private static PeerAddress find(List<PeerInfo> peers, String id) {
    return peers.stream().filter(p -> p.peer().value().equals(id)).findFirst().orElseThrow(
        () -> new AssertionError(id + " not in " + peers)).address();
  }
}
