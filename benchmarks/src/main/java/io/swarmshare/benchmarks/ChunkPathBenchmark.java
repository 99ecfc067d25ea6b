package io.swarmshare.benchmarks;

import io.swarmshare.SwarmShare;
import io.swarmshare.api.Manifest;
import io.swarmshare.internal.manifest.ManifestBuilder;
import io.swarmshare.internal.peer.PeerMessages;
import io.swarmshare.internal.protocol.FrameReader;
import io.swarmshare.internal.protocol.FrameWriter;
import io.swarmshare.internal.protocol.Header;
import io.swarmshare.internal.protocol.Limits;
import io.swarmshare.internal.store.FileStore;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Comparator;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The two halves of moving one 1 MiB chunk between peers, each over a real loopback socket:
 * {@link #serve} is the seeder's path (frame head, then the chunk from the file store to the
 * socket with {@code transferTo}, while a thread drains the other end), and {@link #receive} is
 * the downloader's (read a {@code chunk} frame's body from the socket into a reused buffer, hash
 * it, check it against the manifest, write it to a file store, while a thread keeps sending).
 * One operation moves 1 MiB, so {@code ops/s} is MiB/s. The files live in {@code dir}
 * (default {@code /dev/shm}, tmpfs, so the disk is not what is measured).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@State(Scope.Thread)
public class ChunkPathBenchmark {
  private static final int CHUNK = 1024 * 1024;
  private static final int CHUNKS = 64;

  /** Where the benchmark's 64 MiB files go. */
  @Param("/dev/shm")
  public String dir;

  private Path work;
  private Manifest manifest;
  private FileStore source;
  private FileStore target;
  private ServerSocketChannel server;
  private SocketChannel sendEnd;
  private SocketChannel receiveEnd;
  private Thread peer;
  private volatile boolean running;
  private FrameWriter serveWriter;
  private FrameReader receiveReader;
  private final byte[] buffer = new byte[CHUNK];
  private final ByteBuffer direct = ByteBuffer.allocateDirect(CHUNK);
  private final MessageDigest sha = ManifestBuilder.sha256();
  private int next;

  /** Writes a 64 MiB file, builds its manifest, and opens a stored and a downloading copy. */
  @Setup(Level.Trial)
  public void files() throws Exception {
    work = Files.createTempDirectory(Path.of(dir), "swarmshare-jmh-");
    Path file = work.resolve("source.bin");
    byte[] data = new byte[CHUNKS * CHUNK];
    new SplittableRandom(7).nextBytes(data);
    Files.write(file, data);
    manifest = SwarmShare.manifest(file);
    source = FileStore.seeding(file, manifest);
    target = FileStore.download(Files.createDirectories(work.resolve("out")), "copy.bin", manifest, true);
  }

  /** Connects a socket pair on loopback. */
  @Setup(Level.Iteration)
  public void sockets() throws IOException {
    server = ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
    sendEnd = SocketChannel.open(server.getLocalAddress());
    receiveEnd = server.accept();
    running = true;
  }

  /** Closes the sockets, which ends the helper thread. */
  @TearDown(Level.Iteration)
  public void closeSockets() throws Exception {
    running = false;
    sendEnd.close();
    receiveEnd.close();
    server.close();
    if (peer != null) {
      peer.join();
      peer = null;
    }
    serveWriter = null;
    receiveReader = null;
  }

  /** Removes the files. */
  @TearDown(Level.Trial)
  public void clean() throws IOException {
    source.close();
    target.close();
    try (Stream<Path> s = Files.walk(work)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  /** The seeder: one {@code chunk} frame, its body sent from the file with transferTo. */
  @Benchmark
  public int serve() throws IOException {
    if (serveWriter == null) {
      serveWriter = new FrameWriter(sendEnd.socket().getOutputStream());
      peer = Thread.ofPlatform().daemon().start(this::drain);
    }
    int chunk = next++ & (CHUNKS - 1);
    serveWriter.writeHead(PeerMessages.chunk(chunk, manifest.id(), chunk), CHUNK);
    serveWriter.flush();
    source.transferChunk(chunk, sendEnd);
    return chunk;
  }

  /** The downloader through a heap buffer (as over TLS): one {@code chunk} frame read, hashed, checked and stored. */
  @Benchmark
  public int receive() throws IOException {
    if (receiveReader == null) {
      receiveReader = new FrameReader(new BufferedInputStream(receiveEnd.socket().getInputStream(), 64 * 1024),
          Limits.DEFAULTS);
      peer = Thread.ofPlatform().daemon().start(this::send);
    }
    Header h = receiveReader.next();
    int chunk = h.integer("chunk", 0, CHUNKS - 1);
    receiveReader.readBody(buffer, 0);
    sha.update(buffer, 0, CHUNK);
    if (!manifest.chunkHashMatches(chunk, sha.digest())) {
      throw new IllegalStateException("chunk " + chunk + " does not verify");
    }
    target.writeChunk(chunk, ByteBuffer.wrap(buffer, 0, CHUNK));
    return chunk;
  }

  /**
   * The downloader as a session reads over plain TCP: the body straight from the socket channel
   * into a direct buffer, hashed from there and written from there.
   */
  @Benchmark
  public int receiveDirect() throws IOException {
    if (receiveReader == null) {
      receiveReader = new FrameReader(receiveEnd.socket().getInputStream(), 8 * 1024, Limits.DEFAULTS);
      peer = Thread.ofPlatform().daemon().start(this::send);
    }
    Header h = receiveReader.next();
    int chunk = h.integer("chunk", 0, CHUNKS - 1);
    direct.clear();
    receiveReader.readBody(direct, receiveEnd);
    direct.flip();
    sha.update(direct.duplicate());
    if (!manifest.chunkHashMatches(chunk, sha.digest())) {
      throw new IllegalStateException("chunk " + chunk + " does not verify");
    }
    target.writeChunk(chunk, direct);
    return chunk;
  }

  private void drain() {
    ByteBuffer sink = ByteBuffer.allocateDirect(CHUNK);
    try {
      while (running) {
        sink.clear();
        if (receiveEnd.read(sink) < 0) {
          return;
        }
      }
    } catch (IOException ignored) {
      // closed at the end of the iteration
    }
  }

  private void send() {
    try {
      OutputStream out = sendEnd.socket().getOutputStream();
      FrameWriter w = new FrameWriter(out);
      for (int i = 0; running; i++) {
        int chunk = i & (CHUNKS - 1);
        w.writeHead(PeerMessages.chunk(i, manifest.id(), chunk), CHUNK);
        w.flush();
        source.transferChunk(chunk, sendEnd);
      }
    } catch (IOException ignored) {
      // closed at the end of the iteration
    }
  }
}
