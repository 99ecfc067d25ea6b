package io.swarmshare.benchmarks;

import io.swarmshare.SwarmShare;
import io.swarmshare.api.Manifest;
import io.swarmshare.api.StorageException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * Building the {@link Manifest} of a 1 GiB file of random bytes with
 * {@link SwarmShare#manifest(Path, int, java.util.function.LongConsumer)}: read once, chunk
 * hashes on the builder's pool, whole-file SHA-256 on the calling thread. This is the cost of
 * {@code swarmshare share} and {@code swarmshare manifest} before anything touches the network.
 *
 * <p>The file is cached: it is read once in setup, so the page cache holds it and the figure
 * is hashing, not the disk; {@code openssl dgst -sha256} of the same cached file is the
 * yardstick (see {@code docs/PERFORMANCE.md}). {@link #sha256OfFile} is the Java side of that
 * yardstick: one thread reading and hashing the file sequentially, the same I/O and digest
 * the builder uses without its parallel chunk hashes.
 *
 * <p>The file is {@link #file}, or when that is empty {@code swarmshare-bench/random-SIZE.bin}
 * under {@code java.io.tmpdir}, written from a fixed seed on first use and reused by later
 * runs while its size matches. Reported in seconds per build (single shot: each iteration is
 * one full build; 2 warm-up and 5 measured by default).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 2)
@Measurement(iterations = 5)
public class ManifestBenchmark {
  /** Path of the file to hash; empty means a generated file in the temp directory. */
  @Param("")
  public String file;

  /** Size of the generated file in MiB; ignored when {@link #file} is given. */
  @Param("1024")
  public int sizeMiB;

  /** Chunk size in bytes; the default is {@link Manifest#DEFAULT_CHUNK_SIZE}. */
  @Param("1048576")
  public int chunkSize;

  private Path path;

  /** Finds or writes the file, then reads it once so it is in the page cache. */
  @Setup(Level.Trial)
  public void setUp() throws IOException {
    if (file.isEmpty()) {
      Path dir = Path.of(System.getProperty("java.io.tmpdir"), "swarmshare-bench");
      path = dir.resolve("random-" + sizeMiB + "m.bin");
      long size = sizeMiB * 1024L * 1024L;
      if (!Files.isRegularFile(path) || Files.size(path) != size) {
        writeRandom(dir, path, size);
      }
    } else {
      path = Path.of(file);
    }
    readOnce(path);
  }

  /** Builds the manifest; returns it so the work cannot be optimised away. */
  @Benchmark
  public Manifest build() throws StorageException {
    return SwarmShare.manifest(path, chunkSize, bytes -> {});
  }

  /**
   * The single-thread baseline: the whole-file SHA-256 alone, read in 1 MiB units on one
   * thread, the JVM's equivalent of {@code openssl dgst -sha256}.
   */
  @Benchmark
  public byte[] sha256OfFile() throws IOException, NoSuchAlgorithmException {
    MessageDigest digest = MessageDigest.getInstance("SHA-256");
    byte[] buffer = new byte[1024 * 1024];
    try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
      ByteBuffer wrapped = ByteBuffer.wrap(buffer);
      int n;
      while ((n = channel.read(wrapped.clear())) >= 0) {
        digest.update(buffer, 0, n);
      }
    }
    return digest.digest();
  }

  private static void writeRandom(Path dir, Path target, long size) throws IOException {
    Files.createDirectories(dir);
    // Written beside the target and renamed, so an interrupted setup never leaves a short file
    // that a later run would mistake for the real one.
    Path tmp = Files.createTempFile(dir, "random-", ".part");
    SplittableRandom random = new SplittableRandom(0x5EED);
    byte[] block = new byte[1024 * 1024];
    try (OutputStream out = Files.newOutputStream(tmp)) {
      for (long left = size; left > 0; left -= block.length) {
        random.nextBytes(block);
        out.write(block, 0, (int) Math.min(block.length, left));
      }
    }
    Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  private static void readOnce(Path p) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocateDirect(1024 * 1024);
    try (FileChannel channel = FileChannel.open(p, StandardOpenOption.READ)) {
      while (channel.read(buffer.clear()) >= 0) {
        // only to fill the page cache
      }
    }
  }
}
