package io.swarmshare.internal.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Bodies read partly from the reader's own read-ahead and partly straight from the socket channel
 * into a direct buffer, as a download session reads chunks over plain TCP.
 */
class FrameReaderChannelTest {
  private static final Limits LIMITS = new Limits(64 * 1024, 1 << 20, 16, 1024, 1024);

  @Test
  void bodiesSplitBetweenReadAheadAndChannelArriveWholeAndFramesStayInStep() throws Exception {
    Random random = new Random(7);
    byte[][] bodies = new byte[6][];
    for (int i = 0; i < bodies.length; i++) {
      bodies[i] = new byte[i == 0 ? 10 : 1000 + random.nextInt(300_000)];
      random.nextBytes(bodies[i]);
    }
    try (ServerSocketChannel server = ServerSocketChannel.open()
        .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        SocketChannel client = SocketChannel.open(server.getLocalAddress());
        SocketChannel served = server.accept()) {
      Thread writer = Thread.ofVirtual().start(() -> {
        try {
          FrameWriter w = new FrameWriter(served.socket().getOutputStream());
          for (int i = 0; i < bodies.length; i++) {
            w.write(Header.request("chunk", i), bodies[i], 0, bodies[i].length);
          }
          w.flush();
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
      // A small read-ahead, so a body's start sits in it and the rest comes from the channel.
      FrameReader r = new FrameReader(client.socket().getInputStream(), 4096, LIMITS);
      ByteBuffer target = ByteBuffer.allocateDirect(1 << 20);
      for (int i = 0; i < bodies.length; i++) {
        Header h = r.next();
        assertEquals(i, h.id());
        target.clear();
        r.readBody(target, i % 2 == 0 ? client : null); // with and without the channel, alternately
        target.flip();
        byte[] got = new byte[target.remaining()];
        target.get(got);
        assertArrayEquals(bodies[i], got, "body " + i);
      }
      writer.join();
      served.shutdownOutput();
      assertNull(r.next(), "clean end after the last frame");
    }
  }

  @Test
  void aHeapTargetIsFilledInPlace() throws Exception {
    byte[] body = new byte[70_000];
    new Random(3).nextBytes(body);
    FrameReader r = new FrameReader(new ByteArrayInputStream(FrameCodecTest.encode(Header.request("chunk", 1), body)),
        1024, LIMITS);
    r.next();
    ByteBuffer target = ByteBuffer.allocate(100_000).position(5);
    r.readBody(target, null);
    assertEquals(5 + body.length, target.position());
    byte[] got = new byte[body.length];
    target.flip().position(5);
    target.get(got);
    assertArrayEquals(body, got);
  }

  @Test
  void aConnectionClosedInsideABodyReadFromTheChannelIsAnEofError() throws Exception {
    try (ServerSocketChannel server = ServerSocketChannel.open()
        .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        SocketChannel client = SocketChannel.open(server.getLocalAddress());
        SocketChannel served = server.accept()) {
      FrameWriter w = new FrameWriter(served.socket().getOutputStream());
      w.writeHead(Header.request("chunk", 1), 200_000);
      w.stream().write(new byte[50_000]);
      w.flush();
      served.close();
      FrameReader r = new FrameReader(client.socket().getInputStream(), 4096, LIMITS);
      r.next();
      ByteBuffer target = ByteBuffer.allocateDirect(200_000);
      assertThrows(EOFException.class, () -> r.readBody(target, client));
    }
  }

  @Test
  void aBodyThatDoesNotFitOrAReaderWithoutItsOwnBufferIsRefusedBeforeReading() throws Exception {
    byte[] frame = FrameCodecTest.encode(Header.request("chunk", 1), new byte[100]);
    FrameReader r = new FrameReader(new ByteArrayInputStream(frame), 1024, LIMITS);
    r.next();
    assertThrows(IllegalArgumentException.class, () -> r.readBody(ByteBuffer.allocateDirect(99), null));
    FrameReader unbuffered = new FrameReader(new ByteArrayInputStream(frame), LIMITS);
    unbuffered.next();
    try (SocketChannel unconnected = SocketChannel.open()) {
      assertThrows(IllegalStateException.class, () -> unbuffered.readBody(ByteBuffer.allocateDirect(100), unconnected));
    }
  }
}
