package io.swarmshare.benchmarks.tracker;

import io.swarmshare.api.Announcement;
import io.swarmshare.api.Bitfield;
import io.swarmshare.api.Manifest;
import io.swarmshare.api.PeerAddress;
import io.swarmshare.api.PeerId;
import io.swarmshare.internal.download.DownloadSettings;
import io.swarmshare.internal.tracker.TrackerLimits;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * The simulated peers and files, and one announce interval's worth of their requests in the
 * order they fall due. Every peer has its own id, loopback source address and listening port;
 * it holds a few distinct files, chosen with Zipf-like popularity (weight 1/rank^0.8: with
 * 10,000 peers holding 4 of 1,000 files on average, the most popular file has about 2,600
 * holders), and re-announces each once per interval at an offset of its own. A share of the
 * peers also downloads one file it does not hold: every second it announces its growing
 * bitfield and, while the file's swarm is too small to fill a download's peer slots, asks for 64
 * peers, as a download does. No file gets more holders and downloaders
 * than the tracker lists for one file.
 */
final class Population {
  /** Zipf exponent of file popularity. */
  static final double ZIPF = 0.8;
  /** A download's bitfield fills in this many announces, then starts again from nothing. */
  private static final int DOWNLOAD_STEPS = 40;

  /** What one request does. */
  enum Kind {
    /** A held file's periodic announce, with a full bitfield. */
    ANNOUNCE,
    /** A download's announce of its progress. */
    DOWNLOAD_ANNOUNCE,
    /** A download asking for peers. */
    PEERS
  }

  /**
   * One request of the schedule.
   *
   * @param peer the peer making it
   * @param file the file it is about
   * @param kind what it is
   */
  record Op(int peer, int file, Kind kind) {}

  final Manifest[] manifests;
  final String[] names;
  final PeerId[] ids;
  final InetAddress[] sources;
  final int[][] holdings;
  /** The file each peer downloads, or -1. */
  final int[] downloading;
  /** Which peer registers each file (its first holder or downloader), or -1 if nobody wants it. */
  final int[] registrar;
  /** One interval's requests, in the order they fall due. */
  final List<Op> schedule;
  final int downloaders;
  final int heldEntries;
  final int mostHolders;
  private final AtomicIntegerArray downloadSteps;
  private final Bitfield full;
  private final int chunks;

  Population(BenchOptions o) {
    SplittableRandom random = new SplittableRandom(o.seed());
    int n = o.peers();
    int m = o.files();
    chunks = o.chunks();
    full = Bitfield.full(chunks);
    manifests = new Manifest[m];
    names = new String[m];
    for (int f = 0; f < m; f++) {
      byte[] hashes = new byte[chunks * 32];
      random.nextBytes(hashes);
      byte[] sha = new byte[32];
      random.nextBytes(sha);
      manifests[f] = Manifest.of((long) chunks * Manifest.DEFAULT_CHUNK_SIZE, Manifest.DEFAULT_CHUNK_SIZE,
          HexFormat.of().formatHex(sha), hashes);
      names[f] = String.format(Locale.ROOT, "bench-file-%05d.bin", f + 1);
    }
    ids = new PeerId[n];
    sources = new InetAddress[n];
    for (int p = 0; p < n; p++) {
      ids[p] = PeerId.random();
      sources[p] = source(p / o.perAddress());
    }

    double[] cumulative = new double[m];
    double sum = 0;
    for (int f = 0; f < m; f++) {
      sum += Math.pow(f + 1, -ZIPF);
      cumulative[f] = sum;
    }
    int cap = TrackerLimits.DEFAULTS.maxPeersPerFile();
    int[] count = new int[m];
    holdings = new int[n][];
    int entries = 0;
    for (int p = 0; p < n; p++) {
      int k = o.minFilesPerPeer() + random.nextInt(o.maxFilesPerPeer() - o.minFilesPerPeer() + 1);
      int[] held = new int[k];
      for (int i = 0; i < k; i++) {
        int f;
        do {
          f = pick(cumulative, random);
        } while (count[f] >= cap || contains(held, i, f));
        held[i] = f;
        count[f]++;
      }
      holdings[p] = held;
      entries += k;
    }
    heldEntries = entries;

    downloading = new int[n];
    Arrays.fill(downloading, -1);
    int d = (int) Math.round(o.downloaders() * n);
    int[] order = shuffled(n, random);
    for (int i = 0; i < d; i++) {
      int p = order[i];
      int f;
      int tries = 0;
      do {
        f = pick(cumulative, random);
      } while ((count[f] >= cap || contains(holdings[p], holdings[p].length, f)) && ++tries < 1000);
      if (tries < 1000) {
        downloading[p] = f;
        count[f]++;
      }
    }
    downloaders = (int) Arrays.stream(downloading).filter(f -> f >= 0).count();
    downloadSteps = new AtomicIntegerArray(n);
    mostHolders = Arrays.stream(count).max().orElse(0);

    registrar = new int[m];
    Arrays.fill(registrar, -1);
    for (int p = 0; p < n; p++) {
      for (int f : holdings[p]) {
        if (registrar[f] < 0) {
          registrar[f] = p;
        }
      }
    }
    for (int p = 0; p < n; p++) {
      if (downloading[p] >= 0 && registrar[downloading[p]] < 0) {
        registrar[downloading[p]] = p;
      }
    }
    schedule = schedule(o, random, count);
  }

  /** Offsets within one interval for every request, then the requests sorted by them. */
  private List<Op> schedule(BenchOptions o, SplittableRandom random, int[] peersOfFile) {
    record Due(double at, Op op) {}
    List<Due> due = new ArrayList<>();
    double interval = o.interval().toNanos() / 1e9;
    double every = BenchOptions.CLIENT_TRACKER_INTERVAL.toNanos() / 1e9;
    for (int p = 0; p < holdings.length; p++) {
      for (int f : holdings[p]) {
        due.add(new Due(random.nextDouble() * interval, new Op(p, f, Kind.ANNOUNCE)));
      }
      if (downloading[p] >= 0) {
        // A download announces once a tracker interval, and asks for peers too while it has peer
        // slots free: a swarm with at least as many other peers as a download has slots fills
        // them with the first answer, after which DownloadTask stops asking.
        boolean asks = peersOfFile[downloading[p]] - 1 < DownloadSettings.DEFAULTS.maxPeers();
        double phase = random.nextDouble() * every;
        for (double t = phase; t < interval; t += every) {
          due.add(new Due(t, new Op(p, downloading[p], Kind.DOWNLOAD_ANNOUNCE)));
          if (asks) {
            due.add(new Due(Math.nextUp(t), new Op(p, downloading[p], Kind.PEERS)));
          }
        }
      }
    }
    due.sort((a, b) -> Double.compare(a.at, b.at));
    return due.stream().map(Due::op).toList();
  }

  /** Requests per second the population makes on its own schedule. */
  double naturalRate(BenchOptions o) {
    return schedule.size() / (o.interval().toNanos() / 1e9);
  }

  /** The share of announces among the scheduled requests. */
  double announceShare() {
    return schedule.isEmpty() ? 0
        : (double) schedule.stream().filter(op -> op.kind() != Kind.PEERS).count() / schedule.size();
  }

  /** The announce {@code op} makes now; a download's bitfield grows with each. */
  Announcement announcement(Op op) {
    Bitfield have = full;
    if (op.kind() == Kind.DOWNLOAD_ANNOUNCE) {
      int step = downloadSteps.getAndIncrement(op.peer()) % DOWNLOAD_STEPS;
      have = prefix(chunks, (int) ((long) chunks * step / DOWNLOAD_STEPS));
    }
    return new Announcement(manifests[op.file()].id(), ids[op.peer()], address(op.peer()), have);
  }

  /** Where a peer says it listens: its source address and a port of its own. */
  PeerAddress address(int peer) {
    return new PeerAddress(sources[peer].getHostAddress(), 20_000 + peer % 40_000);
  }

  /** The peer's n-th loopback address: 127.1.0.1, 127.1.0.2, … (250 per third octet). */
  static InetAddress source(int n) {
    try {
      return InetAddress.getByAddress(new byte[] {127, 1, (byte) (n / 250), (byte) (n % 250 + 1)});
    } catch (UnknownHostException e) {
      throw new IllegalStateException("four bytes are an address", e);
    }
  }

  private static Bitfield prefix(int size, int set) {
    byte[] bits = new byte[Bitfield.byteLength(size)];
    for (int i = 0; i < set; i++) {
      bits[i >>> 3] |= (byte) (0x80 >>> (i & 7));
    }
    return Bitfield.fromBytes(size, bits);
  }

  private static int pick(double[] cumulative, SplittableRandom random) {
    double x = random.nextDouble() * cumulative[cumulative.length - 1];
    int i = Arrays.binarySearch(cumulative, x);
    return Math.min(cumulative.length - 1, i >= 0 ? i : -i - 1);
  }

  private static boolean contains(int[] a, int length, int v) {
    for (int i = 0; i < length; i++) {
      if (a[i] == v) {
        return true;
      }
    }
    return false;
  }

  private static int[] shuffled(int n, SplittableRandom random) {
    int[] a = new int[n];
    for (int i = 0; i < n; i++) {
      a[i] = i;
    }
    for (int i = n - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
    return a;
  }
}
