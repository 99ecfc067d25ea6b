package io.swarmshare.benchmarks;

import io.swarmshare.api.Announcement;
import io.swarmshare.api.Bitfield;
import io.swarmshare.api.FileId;
import io.swarmshare.api.Manifest;
import io.swarmshare.api.PeerAddress;
import io.swarmshare.api.PeerId;
import io.swarmshare.api.PeerInfo;
import io.swarmshare.api.SwarmException;
import io.swarmshare.internal.tracker.InMemoryTracker;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
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
 * The in-process tracker under load: announces from 1000 peers of one 1024-chunk file (a
 * 1 GiB file at the default chunk size), queries for its 100 best peers with their
 * bitfields, and name searches over 1000 files. Run with all threads, since a tracker serves
 * every connection at once behind one lock.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@State(Scope.Benchmark)
public class TrackerBenchmark {
  private static final int CHUNKS = 1024;
  private static final int PEERS = 1000;

  private InMemoryTracker tracker;
  private FileId file;
  private Bitfield[] bitfields;

  /** Registers 1000 files and fills one with 1000 peers holding random halves of it. */
  @Setup(Level.Trial)
  public void setUp() throws SwarmException {
    tracker = new InMemoryTracker();
    Manifest big = manifest(1, CHUNKS);
    file = big.id();
    tracker.register(big, "dataset-main.bin");
    for (int i = 2; i < 1000; i++) {
      tracker.register(manifest(i, 4), "artifact-" + i + ".jar");
    }
    bitfields = new Bitfield[64];
    for (int b = 0; b < bitfields.length; b++) {
      byte[] bits = new byte[CHUNKS / 8];
      ThreadLocalRandom.current().nextBytes(bits);
      bitfields[b] = Bitfield.fromBytes(CHUNKS, bits);
    }
    for (int p = 0; p < PEERS; p++) {
      tracker.announce(announcement(p));
    }
  }

  private static Manifest manifest(int seed, int chunks) {
    byte[] hashes = new byte[chunks * 32];
    java.util.Arrays.fill(hashes, (byte) seed);
    String sha = String.format("%064x", seed);
    return Manifest.of((long) chunks * 1024 * 1024, 1024 * 1024, sha, hashes);
  }

  private Announcement announcement(int p) {
    return new Announcement(file, new PeerId("peer-" + p), new PeerAddress("10.0." + (p >> 8) + "." + (p & 255), 7000),
        bitfields[p & 63]);
  }

  /** One announce: a known peer replaces its bitfield and refreshes its time-to-live. */
  @Benchmark
  @Threads(Threads.MAX)
  public void announce() throws SwarmException {
    tracker.announce(announcement(ThreadLocalRandom.current().nextInt(PEERS)));
  }

  /** One peers query: the 100 peers with the most chunks, with their bitfields. */
  @Benchmark
  @Threads(Threads.MAX)
  public List<PeerInfo> peers() throws SwarmException {
    return tracker.peers(file, 100);
  }

  /** One search: a substring over 1000 names, up to 50 results. */
  @Benchmark
  @Threads(Threads.MAX)
  public Object search() throws SwarmException {
    return tracker.search("artifact-9", 50);
  }
}
