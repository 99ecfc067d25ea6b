package io.swarmshare.benchmarks;

import io.swarmshare.api.FileId;
import io.swarmshare.internal.peer.PeerMessages;
import io.swarmshare.internal.protocol.FrameReader;
import io.swarmshare.internal.protocol.FrameWriter;
import io.swarmshare.internal.protocol.Header;
import io.swarmshare.internal.protocol.Limits;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The frame codec on its own: encoding a {@code get} request (what a downloader sends per
 * chunk) and decoding a {@code chunk} reply's header (what it reads per chunk), in memory.
 * One operation is one frame; a 1 GiB download in 1 MiB chunks needs 1024 of each, so anything
 * over a few hundred thousand frames per second keeps the codec out of the transfer's way.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@State(Scope.Thread)
public class FrameBenchmark {
  private static final FileId FILE = new FileId("5cb972065b3156e044e3ebb0122f40146f26ed03b956def6c9f6b0cd1d10f751");
  private static final int FRAMES = 1024;

  private ByteArrayOutputStream sink;
  private FrameWriter writer;
  private byte[] replies;
  private long id;

  /** Prepares a writer into memory and 1024 encoded {@code chunk} reply headers to decode. */
  @Setup(Level.Trial)
  public void setUp() throws IOException {
    sink = new ByteArrayOutputStream(1 << 20);
    writer = new FrameWriter(sink);
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    FrameWriter w = new FrameWriter(b);
    for (int i = 0; i < FRAMES; i++) {
      w.writeHead(PeerMessages.chunk(i, FILE, i), 0);
    }
    w.flush();
    replies = b.toByteArray();
  }

  /** Encodes one {@code get} request frame. */
  @Benchmark
  public int encodeGet() throws IOException {
    if (sink.size() > (1 << 20) - 256) {
      sink.reset();
    }
    writer.write(PeerMessages.get(id++, FILE, (int) (id & 1023)));
    writer.flush();
    return sink.size();
  }

  /** Decodes 1024 pipelined {@code chunk} reply headers; divide the score by 1024 for one. */
  @Benchmark
  @org.openjdk.jmh.annotations.OperationsPerInvocation(FRAMES)
  public long decodeChunkHeaders() throws IOException {
    FrameReader reader = new FrameReader(new ByteArrayInputStream(replies), Limits.DEFAULTS);
    long sum = 0;
    Header h;
    while ((h = reader.next()) != null) {
      sum += h.id();
    }
    return sum;
  }
}
