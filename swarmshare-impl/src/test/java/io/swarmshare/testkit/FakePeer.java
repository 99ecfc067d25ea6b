package io.swarmshare.testkit;

import io.swarmshare.api.Bitfield;
import io.swarmshare.api.FileId;
import io.swarmshare.api.PeerAddress;
import io.swarmshare.api.PeerId;
import io.swarmshare.internal.peer.PeerMessages;
import io.swarmshare.internal.protocol.FrameReader;
import io.swarmshare.internal.protocol.FrameWriter;
import io.swarmshare.internal.protocol.Handshake;
import io.swarmshare.internal.protocol.Header;
import io.swarmshare.internal.protocol.Limits;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * A peer that misbehaves on purpose, on a loopback port: it shakes hands, claims every chunk of
 * one file, and answers each {@code get} as the test says (never, half, slowly...). It may also
 * chatter: send frames nobody asked for, at a fixed pace, once it answered a {@code bitfield}.
 * Closing it closes its port and every connection and waits for its threads.
 */
public final class FakePeer implements AutoCloseable {
  /** What the peer does with one {@code get}. */
  @FunctionalInterface
  public interface OnGet {
    void answer(Header get, int chunk, FrameWriter writer) throws IOException, InterruptedException;
  }

  /** One unsolicited frame, the {@code n}th (from 0), written but not flushed. */
  @FunctionalInterface
  public interface Chatter {
    void send(int n, FrameWriter writer) throws IOException;
  }

  private final PeerId id;
  private final String host;
  private final ServerSocket server;
  private final List<Socket> open = new CopyOnWriteArrayList<>();
  private final Thread acceptor;

  public FakePeer(PeerId id, FileId file, int chunks, OnGet onGet) throws IOException {
    this(id, "127.0.0.1", file, chunks, onGet, null, Duration.ZERO);
  }

  /**
   * A fake peer listening on {@code host} (an attacker's is 127.0.0.2) that says {@code id} in its
   * hello and, if {@code chatter} is given, sends one of its frames every {@code pace}.
   */
  public FakePeer(PeerId id, String host, FileId file, int chunks, OnGet onGet, @Nullable Chatter chatter,
      Duration pace) throws IOException {
    this.id = id;
    this.host = host;
    server = new ServerSocket(0, 50, InetAddress.getByName(host));
    acceptor = Thread.ofVirtual().start(() -> {
      while (!server.isClosed()) {
        try {
          Socket s = server.accept();
          open.add(s);
          Thread.ofVirtual().start(() -> serve(s, id, file, chunks, onGet, chatter, pace));
        } catch (IOException e) {
          return;
        }
      }
    });
  }

  private static void serve(Socket s, PeerId id, FileId file, int chunks, OnGet onGet, @Nullable Chatter chatter,
      Duration pace) {
    ReentrantLock writing = new ReentrantLock();
    Thread chattering = null;
    try {
      FrameReader r = new FrameReader(s.getInputStream(), Limits.DEFAULTS);
      FrameWriter w = new FrameWriter(s.getOutputStream());
      Handshake.exchange(r, w, id, PeerMessages.ROLE);
      Header h;
      while ((h = r.next()) != null) {
        writing.lock();
        try {
          if (h.type().equals(PeerMessages.BITFIELD)) {
            byte[] bits = Bitfield.full(chunks).toByteArray();
            w.write(PeerMessages.bitfieldResponse(h.id(), file, Bitfield.full(chunks)), bits, 0, bits.length);
            w.flush();
            if (chatter != null && chattering == null) {
              chattering = Thread.ofVirtual().start(() -> chatter(s, w, writing, chatter, pace));
            }
          } else if (h.type().equals(PeerMessages.GET)) {
            onGet.answer(h, h.integer("chunk", 0, chunks - 1), w);
          }
        } finally {
          writing.unlock();
        }
      }
    } catch (IOException | InterruptedException e) {
      // the downloader hangs up on us, or the test closes us: expected
    } finally {
      if (chattering != null) {
        chattering.interrupt();
      }
    }
  }

  private static void chatter(Socket s, FrameWriter w, ReentrantLock writing, Chatter chatter, Duration pace) {
    try {
      for (int n = 0; !s.isClosed(); n++) {
        Thread.sleep(pace); // the peer's pace under test, not a synchronisation
        writing.lock();
        try {
          chatter.send(n, w);
          w.flush();
        } finally {
          writing.unlock();
        }
      }
    } catch (IOException | InterruptedException e) {
      // the downloader hung up on us
    }
  }

  /** The id it gives in its handshake. */
  public PeerId id() {
    return id;
  }

  /** Where downloaders reach this peer. */
  public PeerAddress address() {
    return new PeerAddress(host, server.getLocalPort());
  }

  @Override
  public void close() throws IOException, InterruptedException {
    server.close();
    for (Socket s : open) {
      s.close();
    }
    acceptor.join(Duration.ofSeconds(5));
  }
}
