package io.swarmshare.cli;

import io.swarmshare.ClientBuilder;
import io.swarmshare.SwarmShare;
import io.swarmshare.TlsConfig;
import io.swarmshare.api.Download;
import io.swarmshare.api.DownloadOption;
import io.swarmshare.api.DownloadResult;
import io.swarmshare.api.PeerId;
import io.swarmshare.api.SharedFile;
import io.swarmshare.api.SwarmClient;
import io.swarmshare.RunningTracker;
import io.swarmshare.api.Tracker;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code swarmshare demo}: a whole swarm in one process — a tracker, a seeder of a generated
 * file, and leechers that download it at once from the seeder and from each other — then a
 * report of who sent what, with every copy checked independently.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = {"Run a complete swarm on this machine: an embedded tracker, a seeder of a generated file,"
        + " and N leechers downloading it at once from the seeder and each other. Ends with a report."})
final class DemoCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin CommonOptions common;

  @Option(names = "--size", paramLabel = "SIZE", defaultValue = "64M",
      description = "Size of the generated file (default: ${DEFAULT-VALUE}).")
  String size;

  @Option(names = "--peers", paramLabel = "N", defaultValue = "3",
      description = "Number of leechers (default: ${DEFAULT-VALUE}).")
  int peers;

  @Option(names = "--chunk-size", paramLabel = "SIZE", defaultValue = "1M",
      description = "Chunk size (default: ${DEFAULT-VALUE}).")
  String chunkSize;

  @Option(names = "--tls", description = "Run every connection over TLS 1.3 with mutual authentication,"
      + " with throwaway keys (one per node) made in the work directory.")
  boolean tls;

  @Option(names = "--dir", paramLabel = "DIR",
      description = "Work directory (default: a temporary one, removed afterwards).")
  Path dir;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    long bytes = Sizes.parse(size);
    int chunk = ChunkSizes.parse(chunkSize);
    if (peers < 1 || peers > 32) {
      throw new Errors.UsageException("--peers must be from 1 to 32");
    }
    boolean temporary = dir == null;
    Path work = temporary ? Files.createTempDirectory("swarmshare-demo-") : Files.createDirectories(dir);
    try {
      return run(out, err, bytes, chunk, work);
    } finally {
      if (temporary) {
        deleteTree(work);
      }
    }
  }

  private int run(PrintWriter out, PrintWriter err, long bytes, int chunk, Path work) throws Exception {
    Path seedDir = Files.createDirectories(work.resolve("seeder"));
    Path file = seedDir.resolve("demo-" + Sizes.format(bytes).replace(" ", "").replace(".0", "") + ".bin");
    out.printf(Locale.ROOT, "Generating %s of random data in %s%n", Sizes.format(bytes), TerminalText.escape(file.toString()));
    out.flush();
    String sha = generate(file, bytes);
    List<String> nodes = new ArrayList<>(List.of("tracker", "seeder"));
    for (int i = 1; i <= peers; i++) {
      nodes.add("leecher-" + i);
    }
    // Over TLS a peer's id is its certificate's, so every node gets a key of its own.
    Map<String, TlsConfig> keys = tls ? DemoKeys.create(work.resolve("tls"), nodes) : Map.of();
    TlsConfig tlsConfig = keys.get("tracker");
    try (RunningTracker tracker = SwarmShare.tracker().port(0).bind("127.0.0.1").tls(tlsConfig).start()) {
      out.println("Tracker listening on " + tracker.address() + (tls ? " with TLS 1.3 as " + tlsConfig.subject() : ""));
      List<SwarmClient> clients = new ArrayList<>();
      try {
        SwarmClient seeder = tracked(SwarmShare.client().warmUp(Terminal.warmUp()).peerId(new PeerId("seeder")), tracker, keys.get("seeder"))
            .bind("127.0.0.1").chunkSize(chunk).start();
        clients.add(seeder);
        SharedFile shared = seeder.share(file);
        out.printf(Locale.ROOT, "Seeder shares %s in %d chunks of %s, id %s%n", TerminalText.escape(shared.name()),
            shared.manifest().chunkCount(), Sizes.format(chunk), shared.id().shortForm());
        Map<PeerId, String> names = new HashMap<>();
        names.put(seeder.id(), "seeder");
        List<Download> downloads = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 1; i <= peers; i++) {
          SwarmClient leecher = tracked(SwarmShare.client().peerId(new PeerId("leecher-" + i)), tracker,
              keys.get("leecher-" + i)).bind("127.0.0.1").trackerInterval(Duration.ofMillis(250)).start();
          clients.add(leecher);
          names.put(leecher.id(), "leecher-" + i);
          downloads.add(leecher.download(shared.id(), Files.createDirectories(work.resolve("leecher-" + i)),
              DownloadOption.OVERWRITE));
        }
        out.printf(Locale.ROOT, "%s downloading at once, from the seeder and from each other...%n",
            Progress.plural(peers, "leecher"));
        out.flush();
        follow(downloads, err, bytes);
        double seconds = (System.nanoTime() - start) / 1e9;
        List<DownloadResult> results = new ArrayList<>();
        for (Download d : downloads) {
          results.add(d.await());
        }
        report(out, results, names, seeder.id(), sha, seconds, bytes);
        boolean allVerified = results.stream().allMatch(r -> matches(r, sha));
        out.println(allVerified ? "Every copy verified." : "Some copies did NOT verify.");
        out.flush();
        return allVerified ? Main.OK : Main.FAILURE;
      } finally {
        for (SwarmClient c : clients) {
          c.close();
        }
      }
    }
  }

  /** Every client reaches the tracker over loopback, as clients on other machines would. */
  private static ClientBuilder tracked(ClientBuilder b, RunningTracker tracker, @Nullable TlsConfig tls) {
    ClientBuilder remote = b.tracker(tracker.address());
    return tls == null ? remote : remote.tls(tls);
  }

  /** Live progress of the whole swarm, with each leecher's share of the file on the bar's line. */
  private void follow(List<Download> downloads, PrintWriter err, long bytes) throws InterruptedException {
    Progress progress = new Progress(err, "swarm", common.quiet);
    long total = bytes * downloads.size();
    try {
      while (!downloads.stream().allMatch(Download::isDone)) {
        long done = 0;
        StringBuilder each = new StringBuilder();
        for (int i = 0; i < downloads.size(); i++) {
          var p = downloads.get(i).progress();
          done += p.verifiedBytes();
          each.append(String.format(Locale.ROOT, "%sL%d %d%%", i == 0 ? "" : " ", i + 1, Math.round(p.fraction() * 100)));
        }
        if (done < total) {
          progress.update(done, total, each.toString());
        }
        Thread.sleep(100); // the progress bar's frame rate
      }
      progress.update(total, total, "");
    } finally {
      progress.finish();
    }
  }

  private void report(PrintWriter out, List<DownloadResult> results, Map<PeerId, String> names, PeerId seeder,
      String sha, double seconds, long bytes) throws IOException {
    long total = bytes * results.size();
    long fromSeeder = results.stream().mapToLong(r -> r.bytesFromPeer().getOrDefault(seeder, 0L)).sum();
    out.printf(Locale.ROOT, "%nAll %s finished in %.2f s: %s delivered, %.1f MiB/s across the swarm.%n",
        Progress.plural(results.size(), "leecher"), seconds, Sizes.format(total), total / seconds / (1 << 20));
    out.printf(Locale.ROOT, "The seeder uploaded %s (%.0f%%); %s%n", Sizes.format(fromSeeder),
        total == 0 ? 100.0 : 100.0 * fromSeeder / total, fromSeeder == total
            ? "the leechers did not need each other this time." : "the leechers traded the other "
            + Sizes.format(total - fromSeeder) + " among themselves.");
    for (int i = 0; i < results.size(); i++) {
      DownloadResult r = results.get(i);
      StringBuilder from = new StringBuilder();
      r.bytesFromPeer().entrySet().stream()
          .sorted(Map.Entry.comparingByValue(java.util.Comparator.reverseOrder()))
          .forEach(e -> from.append(String.format(Locale.ROOT, "%s%s %s", from.length() == 0 ? "" : ", ",
              TerminalText.escape(names.getOrDefault(e.getKey(), e.getKey().value())), Sizes.format(e.getValue()))));
      out.printf(Locale.ROOT, "  leecher-%d  %6.2f s  %s  from %s%n", i + 1, r.elapsed().toNanos() / 1e9,
          matches(r, sha) ? "verified (SHA-256 matches)" : "MISMATCH (SHA-256 differs)",
          from.length() == 0 ? "nobody" : from);
    }
  }

  private static boolean matches(DownloadResult r, String sha) {
    try {
      return sha256(r.path()).equals(sha);
    } catch (IOException e) {
      return false;
    }
  }

  /** Writes {@code size} pseudo-random bytes and returns their SHA-256 as hex. */
  static String generate(Path file, long size) throws IOException {
    MessageDigest sha = sha();
    SplittableRandom random = new SplittableRandom(System.nanoTime());
    byte[] buffer = new byte[1 << 20];
    try (OutputStream o = Files.newOutputStream(file)) {
      long left = size;
      while (left > 0) {
        for (int i = 0; i < buffer.length; i += 8) {
          long v = random.nextLong();
          for (int k = 0; k < 8 && i + k < buffer.length; k++) {
            buffer[i + k] = (byte) (v >>> (8 * k));
          }
        }
        int n = (int) Math.min(buffer.length, left);
        o.write(buffer, 0, n);
        sha.update(buffer, 0, n);
        left -= n;
      }
    }
    return HexFormat.of().formatHex(sha.digest());
  }

  static String sha256(Path file) throws IOException {
    MessageDigest sha = sha();
    byte[] buffer = new byte[1 << 20];
    try (var in = Files.newInputStream(file)) {
      int n;
      while ((n = in.read(buffer)) > 0) {
        sha.update(buffer, 0, n);
      }
    }
    return HexFormat.of().formatHex(sha.digest());
  }

  private static MessageDigest sha() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void deleteTree(Path root) {
    try (Stream<Path> s = Files.walk(root)) {
      s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.deleteIfExists(p);
        } catch (IOException ignored) {
          // best effort cleanup of a temp directory
        }
      });
    } catch (IOException ignored) {
      // best effort cleanup of a temp directory
    }
  }
}
