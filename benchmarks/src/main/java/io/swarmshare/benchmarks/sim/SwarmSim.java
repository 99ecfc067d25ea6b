package io.swarmshare.benchmarks.sim;

import io.swarmshare.ClientBuilder;
import io.swarmshare.RunningTracker;
import io.swarmshare.SwarmShare;
import io.swarmshare.api.Download;
import io.swarmshare.api.DownloadResult;
import io.swarmshare.api.FileId;
import io.swarmshare.api.PeerId;
import io.swarmshare.api.SwarmClient;
import io.swarmshare.api.SwarmException;
import io.swarmshare.benchmarks.StatusLine;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * A swarm in one JVM: one seeder and N leechers of a generated file, over loopback TCP with an
 * in-process tracker, every node behind the same upload and download limits, using the public
 * API (and, by default, a {@link SharedCopyStore} for each leecher's chunks). It measures how
 * well the swarm turns those links into downloads: each leecher's average rate against its link, the copies of the file the seeder had to upload, the time to
 * the last verified copy, and the CPU the process spent, so a run limited by this machine's
 * cores shows as such. Run it with {@code bin/swarm-sim}; {@code --help} lists the options.
 */
public final class SwarmSim {
  /** How often a leecher asks the tracker for peers and announces what it holds. */
  static final Duration TRACKER_INTERVAL = Duration.ofMillis(500);
  private static final long PROGRESS_MILLIS = 200;
  /** Room beyond the N + 1 copies of the file (resume records, the file system's own needs). */
  private static final long SPARE_DISK = 64L << 20;

  private SwarmSim() {}

  public static void main(String[] args) {
    // bin/swarm-sim says whether stderr is a terminal: Java 21 cannot ask.
    System.exit(run(System.out, System.err, Boolean.getBoolean("swarmshare.stderr.tty"), args));
  }

  /**
   * Runs the simulator as {@code bin/swarm-sim} does and returns its exit code: 0 when every
   * leecher verified, 1 on a failure or the timeout, 2 for a command line it cannot run.
   */
  static int run(PrintStream out, PrintStream err, boolean progress, String... args) {
    SimOptions options;
    try {
      options = SimOptions.parse(args);
    } catch (SimOptions.UsageException e) {
      err.println("swarm-sim: " + e.getMessage() + "; see bin/swarm-sim --help");
      return 2;
    }
    if (options.help()) {
      out.print(SimOptions.HELP);
      return 0;
    }
    try {
      SimReport report = simulate(options, progress ? err : null);
      out.print(report.text());
      if (options.json()) {
        out.println(report.json());
      }
      out.flush();
      if (!report.ok()) {
        err.println("swarm-sim: " + report.failure());
        return 1;
      }
      return 0;
    } catch (IOException e) {
      err.println("swarm-sim: " + e.getMessage());
      return 1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      err.println("swarm-sim: interrupted");
      return 1;
    }
  }

  /**
   * Runs one swarm and reports on it; a leecher that fails, times out or ends with a file unlike
   * the seeder's makes the report's {@code failure}.
   *
   * @param progress where to redraw a one-line progress indication, or null for none
   * @throws IOException if the swarm cannot be set up (disk, ports)
   */
  static SimReport simulate(SimOptions o, @Nullable PrintStream progress) throws IOException, InterruptedException {
    StatusLine status = new StatusLine("swarm-sim", progress);
    try {
      return simulate(o, status);
    } finally {
      status.clear();
    }
  }

  private static SimReport simulate(SimOptions o, StatusLine status) throws IOException, InterruptedException {
    boolean temporary = o.dir() == null;
    Path work = temporary ? Files.createTempDirectory("swarm-sim-") : emptyDirectory(o.dir());
    // Ctrl-C skips the finally below: N + 1 copies of the file would stay behind in /tmp.
    Thread cleanup = new Thread(() -> deleteTree(work), "swarm-sim-cleanup");
    if (temporary) {
      Runtime.getRuntime().addShutdownHook(cleanup);
    }
    try {
      long copies = o.onDisk() ? o.leechers() + 1L : 1;
      long needed = o.size() * copies + SPARE_DISK;
      long free = Files.getFileStore(work).getUsableSpace();
      if (free < needed) {
        throw new IOException(String.format(Locale.ROOT, "%d copies of a %s file need about %s in %s, and %s is free;"
                + " use a smaller --size or fewer --leechers, or another --dir", copies,
            SimReport.bytes(o.size()), SimReport.bytes(needed), work, SimReport.bytes(free)));
      }
      return simulateIn(o, work, status);
    } finally {
      if (temporary) {
        deleteTree(work);
        try {
          Runtime.getRuntime().removeShutdownHook(cleanup);
        } catch (IllegalStateException shuttingDown) {
          // the hook runs anyway, and finds nothing left to delete
        }
      }
    }
  }

  private static SimReport simulateIn(SimOptions o, Path work, StatusLine status)
      throws IOException, InterruptedException {
    int n = o.leechers();
    SplittableRandom random = new SplittableRandom(o.seed());
    long[] offsets = new long[n];
    for (int i = 0; i < n; i++) {
      offsets[i] = o.stagger().isZero() ? 0 : random.nextLong(o.stagger().toMillis() + 1);
    }
    status.show("generating the file and starting " + (n + 1) + " nodes");
    Path file = Files.createDirectories(work.resolve("seeder")).resolve("swarm-sim.bin");
    String sha = generate(file, o.size(), random.split());
    SharedCopyStore.Original original = o.onDisk() ? null : new SharedCopyStore.Original(file);

    List<SwarmClient> clients = new ArrayList<>();
    try (RunningTracker tracker = SwarmShare.tracker().port(0).bind("127.0.0.1").start()) {
      try {
        SwarmClient seeder = node(tracker, o, "seeder").start();
        clients.add(seeder);
        FileId id = seeder.share(file).id();
        SwarmClient[] leechers = new SwarmClient[n];
        Path[] dirs = new Path[n];
        AtomicReferenceArray<SharedCopyStore> stores = new AtomicReferenceArray<>(n);
        for (int i = 0; i < n; i++) {
          ClientBuilder leecher = node(tracker, o, name(i));
          if (original != null) {
            int index = i;
            leecher.pieceStores((manifest, dir, name) -> {
              SharedCopyStore store = new SharedCopyStore(manifest, original);
              stores.set(index, store);
              return store;
            });
          }
          leechers[i] = leecher.start();
          clients.add(leechers[i]);
          dirs[i] = Files.createDirectories(work.resolve(name(i)));
        }
        return swarm(o, seeder, id, leechers, dirs, stores, offsets, sha, status);
      } finally {
        status.show("stopping the nodes");
        closeAll(clients);
      }
    }
  }

  private static ClientBuilder node(RunningTracker tracker, SimOptions o, String name) {
    // The in-process tracker is called directly: the only sockets are those between peers.
    return SwarmShare.client().tracker(tracker).bind("127.0.0.1").advertisedHost("127.0.0.1")
        .peerId(new PeerId(name)).chunkSize(o.chunkSize()).maxUploadRate(o.upRate()).maxDownloadRate(o.downRate())
        .trackerInterval(TRACKER_INTERVAL)
        // Every simulated node speaks from 127.0.0.1: let them all reach one another.
        .maxConnectionsPerAddress(o.leechers() + 1);
  }

  private static String name(int leecher) {
    return String.format(Locale.ROOT, "leecher-%03d", leecher + 1);
  }

  /** Starts every download (each after its offset), waits for them to end or the timeout, and checks every copy. */
  private static SimReport swarm(SimOptions o, SwarmClient seeder, FileId id, SwarmClient[] leechers, Path[] dirs,
      AtomicReferenceArray<SharedCopyStore> stores, long[] offsets, String sha, StatusLine status) throws IOException, InterruptedException {
    int n = leechers.length;
    AtomicReferenceArray<Download> downloads = new AtomicReferenceArray<>(n);
    AtomicReferenceArray<DownloadResult> results = new AtomicReferenceArray<>(n);
    AtomicReferenceArray<String> failures = new AtomicReferenceArray<>(n);
    AtomicLongArray doneAt = new AtomicLongArray(n);
    AtomicInteger verified = new AtomicInteger();
    AtomicLong cpuAtLast = new AtomicLong(-1);
    CountDownLatch ended = new CountDownLatch(n);
    double load0 = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    long cpu0 = cpuNanos();
    long t0 = System.nanoTime();
    for (int i = 0; i < n; i++) {
      int leecher = i;
      Thread.ofVirtual().name("swarm-sim-" + name(i)).start(() -> {
        try {
          Thread.sleep(offsets[leecher]);
          Download d = leechers[leecher].download(id, dirs[leecher]);
          downloads.set(leecher, d);
          DownloadResult r = d.await();
          doneAt.set(leecher, System.nanoTime());
          results.set(leecher, r);
          // A finished download's handle still holds its whole-file hasher's read buffer (1 MiB).
          downloads.set(leecher, null);
          if (verified.incrementAndGet() == n) {
            cpuAtLast.set(cpuNanos());
          }
        } catch (SwarmException e) {
          failures.set(leecher, e.getMessage());
        } catch (InterruptedException e) {
          failures.set(leecher, "interrupted");
        } finally {
          ended.countDown();
        }
      });
    }

    long deadline = t0 + o.timeout().toNanos();
    long peakDirect = directBytes();
    boolean timedOut = false;
    while (!ended.await(PROGRESS_MILLIS, TimeUnit.MILLISECONDS)) {
      peakDirect = Math.max(peakDirect, directBytes());
      status.show(String.format(Locale.ROOT, "%d of %d leechers verified, %.0f%% of all bytes, %.0f s",
          verified.get(), n, 100.0 * verifiedBytes(o, downloads, results) / ((double) o.size() * n),
          (System.nanoTime() - t0) / 1e9));
      if (System.nanoTime() - deadline > 0) {
        timedOut = true;
        break;
      }
    }
    long end = System.nanoTime();
    long cpuEnd = cpuNanos();
    double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    if (!timedOut) {
      end = t0;
      for (int i = 0; i < n; i++) {
        end = Math.max(end, doneAt.get(i));
      }
      cpuEnd = cpuAtLast.get() >= 0 ? cpuAtLast.get() : cpuEnd;
    }
    long verifiedBytes = verifiedBytes(o, downloads, results);
    long seederSent = seeder.bytesUploaded();
    long sent = seederSent;
    for (SwarmClient l : leechers) {
      sent += l.bytesUploaded();
    }
    status.show(o.onDisk() ? "checking every copy against the seeder's SHA-256" : "checking every copy");

    List<Double> utilizations = new ArrayList<>();
    List<Integer> peers = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    long fromSeeder = 0;
    for (int i = 0; i < n; i++) {
      DownloadResult r = results.get(i);
      if (r == null) {
        if (failures.get(i) != null) {
          problems.add(name(i) + " failed: " + failures.get(i));
        }
      } else if (o.onDisk() && !sha256(r.path()).equals(sha)) {
        problems.add(name(i) + "'s file " + r.path() + " does not match the seeder's SHA-256");
      } else if (!o.onDisk() && stores.get(i).problem() != null) {
        problems.add(name(i) + "'s copy in memory: " + stores.get(i).problem());
      } else {
        utilizations.add(o.size() / (r.elapsed().toNanos() / 1e9) / o.downRate());
        peers.add(r.peers());
        fromSeeder += r.bytesFromPeer().getOrDefault(seeder.id(), 0L);
      }
    }
    String failure = null;
    if (!problems.isEmpty()) {
      failure = problems.size() == 1 ? problems.get(0) : problems.size() + " leechers failed; the first, " + problems.get(0);
    } else if (timedOut) {
      failure = String.format(Locale.ROOT, "only %d of %d leechers were verified within the %d s timeout;"
          + " allow more with --timeout", utilizations.size(), n, o.timeout().toSeconds());
    }
    utilizations.sort(Comparator.naturalOrder());
    peers.sort(Comparator.naturalOrder());
    double medianPeers = peers.isEmpty() ? 0 : (peers.get((peers.size() - 1) / 2) + peers.get(peers.size() / 2)) / 2.0;
    return new SimReport(o, utilizations.size(), (end - t0) / 1e9, utilizations, verifiedBytes, fromSeeder, seederSent,
        sent, medianPeers,
        cpu0 < 0 || cpuEnd < 0 ? Double.NaN : (cpuEnd - cpu0) / 1e9, Runtime.getRuntime().availableProcessors(),
        load0, load, peakRss(), peakDirect, failure);
  }

  /** Bytes verified so far across the leechers: the whole file for each finished one. */
  private static long verifiedBytes(SimOptions o, AtomicReferenceArray<Download> downloads,
      AtomicReferenceArray<DownloadResult> results) {
    long bytes = 0;
    for (int i = 0; i < results.length(); i++) {
      Download d = downloads.get(i); // read first: it is cleared just after the result is set
      bytes += results.get(i) != null ? o.size() : d == null ? 0 : d.progress().verifiedBytes();
    }
    return bytes;
  }

  /**
   * Closes every client at once (one with a download still running waits a few seconds for its
   * cancellation), and waits for them even if interrupted, so no node outlives the run.
   */
  private static void closeAll(List<SwarmClient> clients) {
    List<Thread> closing = new ArrayList<>();
    for (SwarmClient c : clients.reversed()) {
      closing.add(Thread.ofVirtual().start(c::close));
    }
    boolean interrupted = false;
    for (Thread t : closing) {
      while (t.isAlive()) {
        try {
          t.join();
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /** The process's CPU time so far in nanoseconds, or -1 if the system does not say. */
  private static long cpuNanos() {
    return ProcessHandle.current().info().totalCpuDuration().map(Duration::toNanos).orElse(-1L);
  }

  private static long directBytes() {
    for (BufferPoolMXBean pool : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
      if (pool.getName().equals("direct")) {
        return pool.getMemoryUsed();
      }
    }
    return -1;
  }

  /** The peak resident set size from {@code /proc/self/status} (Linux), or -1. */
  private static long peakRss() {
    try (Stream<String> lines = Files.lines(Path.of("/proc/self/status"))) {
      return lines.filter(l -> l.startsWith("VmHWM:"))
          .mapToLong(l -> Long.parseLong(l.replaceAll("[^0-9]", "")) * 1024).findFirst().orElse(-1);
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  private static Path emptyDirectory(Path dir) throws IOException {
    Files.createDirectories(dir);
    try (Stream<Path> entries = Files.list(dir)) {
      if (entries.findAny().isPresent()) {
        throw new IOException(dir + " is not empty; give --dir a new or empty directory (the run writes "
            + "seeder/ and a directory per leecher there)");
      }
    }
    return dir;
  }

  /** Writes {@code size} bytes from {@code random} to {@code file} and returns their SHA-256 in hex. */
  private static String generate(Path file, long size, SplittableRandom random) throws IOException {
    MessageDigest sha = sha256();
    byte[] buffer = new byte[1 << 20];
    try (OutputStream out = Files.newOutputStream(file)) {
      for (long left = size; left > 0; ) {
        random.nextBytes(buffer);
        int len = (int) Math.min(buffer.length, left);
        out.write(buffer, 0, len);
        sha.update(buffer, 0, len);
        left -= len;
      }
    }
    return HexFormat.of().formatHex(sha.digest());
  }

  static String sha256(Path file) throws IOException {
    MessageDigest sha = sha256();
    byte[] buffer = new byte[1 << 20];
    try (var in = Files.newInputStream(file)) {
      for (int len; (len = in.read(buffer)) > 0; ) {
        sha.update(buffer, 0, len);
      }
    }
    return HexFormat.of().formatHex(sha.digest());
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  private static void deleteTree(Path root) {
    try (Stream<Path> paths = Files.walk(root)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.deleteIfExists(p);
        } catch (IOException ignored) {
          // best effort: a temporary directory
        }
      });
    } catch (IOException ignored) {
      // best effort: a temporary directory
    }
  }
}
