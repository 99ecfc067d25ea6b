package io.swarmshare.internal.tracker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.swarmshare.api.PeerAddress;
import io.swarmshare.api.PeerId;
import io.swarmshare.api.ProtocolException;
import io.swarmshare.internal.protocol.ErrorCode;
import io.swarmshare.internal.protocol.Errors;
import io.swarmshare.internal.protocol.FrameReader;
import io.swarmshare.internal.protocol.FrameWriter;
import io.swarmshare.internal.protocol.Handshake;
import io.swarmshare.internal.protocol.Header;
import io.swarmshare.internal.protocol.Limits;
import io.swarmshare.internal.transport.TcpTransport;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * docs/PROTOCOL.md section 6: a side that receives an error with a closing code closes the
 * connection, even when the error carries an id and the sender has not closed yet. A fake
 * tracker answers the first request with {@code out_of_order} and then keeps its socket open;
 * the client must send its next request on a new connection.
 */
@Timeout(30)
class TrackerLinkClosingErrorTest {
  @Test
  void aClosingErrorWithAnIdEndsTheLinkAndTheNextRequestUsesANewConnection() throws Exception {
    List<Integer> requestsOn = new CopyOnWriteArrayList<>();
    AtomicInteger connections = new AtomicInteger();
    try (ServerSocket listen = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      Thread.ofVirtual().start(() -> {
        try {
          while (true) {
            Socket s = listen.accept();
            int n = connections.incrementAndGet();
            Thread.ofVirtual().start(() -> serve(s, n, requestsOn));
          }
        } catch (IOException closed) {
          // the test is over
        }
      });
      try (RemoteTracker t = new RemoteTracker(new PeerAddress("127.0.0.1", listen.getLocalPort()), new TcpTransport(),
          new PeerId("client"), RemoteTrackerTest.FAST)) {
        ProtocolException refused = assertThrows(ProtocolException.class, t::ping);
        assertEquals("out_of_order", refused.code());
        t.ping();
      }
      assertEquals(List.of(1, 2), requestsOn, "the second request went out on a second connection");
    }
  }

  /** Connection 1 answers every request with a closing error and stays open; later ones answer pong. */
  private static void serve(Socket s, int n, List<Integer> requestsOn) {
    try (s) {
      FrameReader reader = new FrameReader(new BufferedInputStream(s.getInputStream()), Limits.DEFAULTS);
      FrameWriter writer = new FrameWriter(s.getOutputStream());
      Handshake.exchange(reader, writer, new PeerId("fake-tracker"), "tracker");
      Header h;
      while ((h = reader.next()) != null) {
        reader.skipBody();
        requestsOn.add(n);
        writer.write(n == 1 ? Errors.frame(h.id(), ErrorCode.OUT_OF_ORDER, "this side closes after this error")
            : Header.request("pong", h.id()));
        writer.flush();
      }
    } catch (IOException ended) {
      // the client closed
    }
  }
}
