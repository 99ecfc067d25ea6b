package io.swarmshare.benchmarks;

import java.security.DigestException;
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
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * SHA-256 of one 1 MiB chunk with the JDK's {@link MessageDigest}, the work a peer does for
 * every chunk it receives and {@code SwarmShare.manifest} does for every chunk it reads.
 *
 * <p>One operation hashes exactly 1 MiB, so the reported {@code ops/s} <em>is</em> MiB/s:
 * {@link #oneThread} is the per-core ceiling of chunk verification and {@link #allThreads}
 * (one thread per available processor) shows how it scales across cores. Each thread hashes
 * its own buffer of random bytes with its own digest, so threads share nothing. The data
 * stays in cache, so this measures the hash, not memory or disk; compare it with
 * {@code openssl speed -evp sha256 -bytes 1048576} rather than with a file on disk.
 *
 * <p>Defaults are short (1 fork, 2 warm-up and 3 measured iterations of 2 s); override them on
 * the command line, for example {@code bin/bench HashBenchmark -i 10}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
public class HashBenchmark {
  /** The default chunk size: what one operation hashes. */
  static final int CHUNK = 1024 * 1024;

  /** Per-thread input and digest, so the all-threads variant measures independent cores. */
  @State(Scope.Thread)
  public static class Chunk {
    byte[] data;
    byte[] out;
    MessageDigest digest;

    /** Fills the chunk with random bytes (SHA-256 speed does not depend on content). */
    @Setup(Level.Trial)
    public void setUp() throws NoSuchAlgorithmException {
      data = new byte[CHUNK];
      new SplittableRandom(Thread.currentThread().threadId()).nextBytes(data);
      out = new byte[32];
      digest = MessageDigest.getInstance("SHA-256");
    }
  }

  /** One thread: MiB/s of SHA-256 on one core. */
  @Benchmark
  @Threads(1)
  public byte[] oneThread(Chunk c) throws DigestException {
    return hash(c);
  }

  /** One thread per available processor: aggregate MiB/s of SHA-256 on every core. */
  @Benchmark
  @Threads(Threads.MAX)
  public byte[] allThreads(Chunk c) throws DigestException {
    return hash(c);
  }

  private static byte[] hash(Chunk c) throws DigestException {
    // Digest into a reused array, as the manifest builder does: no garbage per chunk.
    c.digest.update(c.data, 0, CHUNK);
    c.digest.digest(c.out, 0, 32);
    return c.out;
  }
}
