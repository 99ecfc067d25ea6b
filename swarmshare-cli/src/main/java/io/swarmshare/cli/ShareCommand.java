package io.swarmshare.cli;

import io.swarmshare.SwarmShare;
import io.swarmshare.api.FileId;
import io.swarmshare.api.SharedFile;
import io.swarmshare.api.SharedTree;
import io.swarmshare.api.TreeEntry;
import io.swarmshare.api.StorageException;
import io.swarmshare.api.SwarmClient;
import io.swarmshare.api.SwarmException;
import io.swarmshare.RunningTracker;
import io.swarmshare.api.Tracker;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code swarmshare share PATH...}: hash, register and seed files until stopped. */
@Command(name = "share", mixinStandardHelpOptions = true,
    description = {"Hash files, register them with the tracker and seed them until stopped (Ctrl-C).",
        "A directory is shared as a tree: every file in it (each also on its own) and its listing under the"
            + " directory's name, so 'get NAME' recreates it. Without --tracker (or $SWARMSHARE_TRACKER)"
            + " a tracker is started in this process on port 8888."})
final class ShareCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin CommonOptions common;
  @Mixin TrackerOption trackerOption;
  @Mixin TlsOptions tls;

  @Parameters(paramLabel = "PATH", arity = "1..*", description = "Files or directories to share.")
  List<Path> paths;

  @Option(names = {"-p", "--port"}, paramLabel = "P", defaultValue = "0",
      description = "Port to serve chunks on (default: any free port).")
  int port;

  @Option(names = "--chunk-size", paramLabel = "SIZE", defaultValue = "1M",
      description = "Chunk size, a power of two from 16K to 16M (default: ${DEFAULT-VALUE}).")
  String chunkSize;

  @Option(names = {"--max-upload-rate", "--max-rate"}, paramLabel = "RATE",
      description = "Upload limit per second for this sharer as a whole, e.g. 20M (--max-rate is the same option).")
  @Nullable String maxRate;

  @Option(names = "--json", description = "Print one JSON line per file once it is served.")
  boolean json;

  /** Set by tests to stop a running share; the CLI itself stops on Ctrl-C. */
  static volatile @Nullable CountDownLatch stop;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    int chunk = ChunkSizes.parse(chunkSize);
    long rate = Rates.parse(maxRate, "--max-upload-rate");
    Ports.check(port, "--port");
    List<Path> files = new ArrayList<>();
    List<Path> trees = new ArrayList<>();
    for (Path p : paths) {
      if (Files.isDirectory(p)) {
        trees.add(p);
      } else {
        files.addAll(expand(List.of(p)));
      }
    }
    RunningTracker embedded = null;
    var tlsConfig = tls.config();
    var builder = SwarmShare.client().warmUp(Terminal.warmUp()).port(port).chunkSize(chunk).maxUploadRate(rate).tls(tlsConfig);
    if (trackerOption.given()) {
      builder.trackers(trackerOption.addresses());
    } else {
      RunningTracker t;
      try {
        t = SwarmShare.tracker().port(SwarmShare.DEFAULT_TRACKER_PORT).tls(tlsConfig).start();
      } catch (SwarmException e) {
        throw new SwarmException(e.getMessage() + "; to share through a tracker already running there, pass --tracker 127.0.0.1:"
            + SwarmShare.DEFAULT_TRACKER_PORT, e);
      }
      embedded = t;
      builder.tracker(t);
      if (!common.quiet) {
        err.println("No --tracker given: started a tracker on port " + t.address().port()
            + "; other peers use --tracker <this host>:" + t.address().port());
      }
    }
    CountDownLatch latch = new CountDownLatch(1);
    stop = latch;
    SwarmClient client;
    try {
      client = builder.start();
    } catch (SwarmException | RuntimeException e) {
      if (embedded != null) {
        embedded.close();
      }
      throw e;
    }
    Tracker trackerToClose = embedded;
    long started = System.nanoTime();
    AtomicLong sharedBytes = new AtomicLong();
    AtomicBoolean reported = new AtomicBoolean();
    Runnable report = () -> {
      if (!reported.getAndSet(true) && !common.quiet) {
        long up = client.stats().bytesUploaded();
        err.println("Stopped after " + Progress.formatDuration((System.nanoTime() - started) / 1e9) + ": uploaded "
            + Sizes.format(up) + (up == 0 ? "" : ", " + String.format(Locale.ROOT, "%.1f",
                up / (double) Math.max(1, sharedBytes.get())) + " times what is shared") + ".");
        err.flush();
      }
    };
    Thread hook = new Thread(() -> {
      report.run();
      client.close();
      if (trackerToClose != null) {
        trackerToClose.close();
      }
    });
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      int served = 0;
      for (Path f : files) {
        long size = Files.size(f);
        Progress progress = new Progress(err, "hashing " + f.getFileName(), common.quiet || json && !Terminal.stderr());
        AtomicLong done = new AtomicLong();
        SharedFile sf = client.share(f, f.getFileName().toString(), n -> progress.update(done.addAndGet(n), size, ""));
        sharedBytes.addAndGet(sf.size());
        progress.finish();
        printFile(out, client, sf.id().hex(), sf.name(), sf.size(), sf.manifest().chunkCount());
        served++;
      }
      for (Path d : trees) {
        Path abs = d.toAbsolutePath().normalize();
        String name = abs.getFileName() == null ? "root" : abs.getFileName().toString();
        long size = treeSize(abs);
        Progress progress = new Progress(err, "hashing " + name, common.quiet || json && !Terminal.stderr());
        AtomicLong done = new AtomicLong();
        SharedTree tree = client.shareTree(abs, name, n -> progress.update(done.addAndGet(n), size, ""));
        sharedBytes.addAndGet(tree.size());
        progress.finish();
        for (TreeEntry e : tree.entries()) {
          FileId id = e.file();
          if (id != null) {
            printFile(out, client, id.hex(), e.path(), e.size(), (int) ((e.size() + chunk - 1) / chunk));
            served++;
          }
        }
        if (json) {
          out.println(Json.object().put("kind", "tree").put("id", tree.id().hex()).put("name", tree.name())
              .put("files", tree.files()).put("size", tree.size()).put("peer", client.address().toString())
              .put("peerId", client.id().value()));
        } else {
          out.println("sharing tree " + TerminalText.escape(tree.name()) + "/ (" + Progress.plural(tree.files(), "file")
              + ", " + Sizes.format(tree.size()) + ")  id " + tree.id());
        }
        out.flush();
      }
      final int count = served;
      if (!common.quiet && !json) {
        err.println("Seeding " + Progress.plural(count, "file") + (trees.isEmpty() ? "" : " in "
            + Progress.plural(trees.size(), "tree")) + " on port " + client.address().port()
            + ". Press Ctrl-C to stop.");
      }
      latch.await();
      return Main.OK;
    } finally {
      report.run();
      client.close();
      if (embedded != null) {
        embedded.close();
      }
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException ignored) {
        // already shutting down
      }
    }
  }

  private void printFile(PrintWriter out, SwarmClient client, String id, String name, long size, int chunks) {
    if (json) {
      out.println(Json.object().put("id", id).put("name", name).put("size", size).put("chunks", chunks)
          .put("peer", client.address().toString()).put("peerId", client.id().value()));
    } else {
      out.println("sharing " + TerminalText.escape(name) + " (" + Sizes.format(size) + ")  id " + id);
    }
    out.flush();
  }

  /** The bytes of the regular files under {@code dir}, for the hashing progress bar; links not followed. */
  private static long treeSize(Path dir) throws StorageException {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(p -> Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)).mapToLong(p -> {
        try {
          return Files.size(p);
        } catch (IOException e) {
          return 0;
        }
      }).sum();
    } catch (IOException | java.io.UncheckedIOException e) {
      throw new StorageException("cannot read " + dir + ": " + e.getMessage(), e);
    }
  }

  /**
   * The regular files named, with the regular files directly inside each directory, sorted.
   *
   * @throws StorageException if a path does not exist or a directory cannot be listed
   */
  static List<Path> expand(List<Path> paths) throws StorageException {
    List<Path> files = new ArrayList<>();
    for (Path p : paths) {
      if (Files.isDirectory(p)) {
        try (Stream<Path> s = Files.list(p)) {
          s.filter(Files::isRegularFile).sorted().forEach(files::add);
        } catch (IOException e) {
          throw new StorageException("cannot list " + p + ": " + e.getMessage(), e);
        }
      } else if (Files.isRegularFile(p)) {
        files.add(p);
      } else {
        throw new StorageException("no such file or directory: " + p);
      }
    }
    return files;
  }
}
