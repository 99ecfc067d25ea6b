package io.swarmshare.internal.peer;

import io.swarmshare.api.FileId;
import io.swarmshare.internal.protocol.FrameReader;
import io.swarmshare.internal.protocol.FrameWriter;
import io.swarmshare.internal.protocol.Header;
import io.swarmshare.internal.protocol.Limits;
import io.swarmshare.internal.protocol.Warmup;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;

/**
 * Gets the JIT to compile the per-chunk protocol path early: every chunk costs a {@code get}
 * and a {@code chunk} frame on each side, and a fresh JVM would run their JSON encoding and
 * parsing in the interpreter, then in profiling code, for most of its first gigabyte, while the
 * same cores hash and copy. A few thousand frames through memory on a background thread at
 * start-up, beside class loading, take the compilation off the transfer.
 *
 * <p>Only for a file whose own frames would get the same code compiled anyway: a transfer of
 * fewer chunks runs it in cheaper code to the end, and the warm-up would make the JIT compile
 * it for nothing. Eight leechers of a 64-chunk file starting together on two cores finished
 * about 1 s later with it, each JVM compiling the frame path at once (docs/PERFORMANCE.md).
 */
public final class FrameWarmup {
  private static final int FRAMES = 3000;
  /**
   * The fewest chunks worth it: each costs a {@code get} and a {@code chunk} frame on each side,
   * so 512 chunks send about a third of the warm-up's frames, enough for the JIT to compile the
   * path by itself. Measured: worth nothing at 64 chunks in a fleet, neutral or a little better
   * for a lone download of 1024.
   */
  static final int MIN_CHUNKS = 512;

  private FrameWarmup() {}

  /** True if moving a file of {@code chunks} chunks repays the warm-up ({@link #MIN_CHUNKS}). */
  public static boolean repays(int chunks) {
    return chunks >= MIN_CHUNKS;
  }

  /** Starts the warm-up once per JVM; returns at once. */
  public static void start() {
    Warmup.once("swarmshare-frame-warmup", FrameWarmup::run);
  }

  private static void run() {
    FileId file = new FileId("0".repeat(64));
    ByteArrayOutputStream out = new ByteArrayOutputStream(64 * 1024);
    try {
      for (int round = 0; round < FRAMES / 500; round++) {
        out.reset();
        FrameWriter w = new FrameWriter(out);
        for (int i = 0; i < 250; i++) {
          w.write(PeerMessages.get(i, file, i));
          w.writeHead(PeerMessages.chunk(i, file, i), 0);
        }
        w.flush();
        FrameReader r = new FrameReader(new ByteArrayInputStream(out.toByteArray()), 16 * 1024, Limits.DEFAULTS);
        for (Header h; (h = r.next()) != null; ) {
          h.integer("chunk", 0, Integer.MAX_VALUE);
          h.string("file", 64);
          r.skipBody();
        }
      }
    } catch (IOException | RuntimeException e) {
      // Only a warm-up: the real frames will compile it all the same, later.
    }
  }
}
