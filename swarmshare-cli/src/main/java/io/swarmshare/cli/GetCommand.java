package io.swarmshare.cli;

import io.swarmshare.SwarmShare;
import io.swarmshare.api.Download;
import io.swarmshare.api.DownloadOption;
import io.swarmshare.api.DownloadResult;
import io.swarmshare.api.FileEntry;
import io.swarmshare.api.FileExistsException;
import io.swarmshare.api.FileId;
import io.swarmshare.api.SwarmClient;
import io.swarmshare.api.SwarmException;
import io.swarmshare.api.TreeDownloadResult;
import io.swarmshare.api.TreeOptions;
import io.swarmshare.api.UnknownFileException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code swarmshare get ID|NAME...}: download, verify, and optionally keep seeding. */
@Command(name = "get", mixinStandardHelpOptions = true,
    description = {"Download files or trees by id or name from the peers that hold them, verify every chunk and each"
        + " whole file, and place them in the output directory (a tree as DIR/NAME/...). Several files download at once. Run again to resume"
        + " an interrupted download."})
final class GetCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin CommonOptions common;
  @Mixin TrackerOption trackerOption;
  @Mixin TlsOptions tls;

  @Parameters(paramLabel = "ID|NAME", arity = "1..*",
      description = "File or tree ids (64 hex digits) or names to search for; each is downloaded and verified.")
  List<String> targets = new ArrayList<>();

  @Option(names = {"-o", "--output"}, paramLabel = "DIR", defaultValue = ".",
      description = "Directory to download into (default: current directory).")
  Path output;

  @Option(names = "--seed", description = "Keep seeding after the download completes, until Ctrl-C.")
  boolean seed;

  @Option(names = "--overwrite", description = "Replace an existing file of the same name.")
  boolean overwrite;

  @Option(names = {"--max-download-rate", "--max-rate"}, paramLabel = "RATE",
      description = "Download limit per second, e.g. 20M (--max-rate is the same option, kept for old scripts).")
  @Nullable String maxRate;

  @Option(names = "--max-upload-rate", paramLabel = "RATE",
      description = "Upload limit per second for the chunks this download serves to other peers, e.g. 5M"
          + " (default: no limit).")
  @Nullable String maxUploadRate;

  @Option(names = {"-p", "--port"}, paramLabel = "P", defaultValue = "0",
      description = "Port to serve chunks on while downloading (default: any free port).")
  int port;

  @Option(names = "--stall-timeout", paramLabel = "SECONDS", defaultValue = "15",
      description = "Drop a peer that delivers no requested chunk for this long; other frames do not count"
          + " (default: ${DEFAULT-VALUE}).")
  int stallSeconds;

  @Option(names = "--no-peers-timeout", paramLabel = "SECONDS", defaultValue = "30",
      description = "Give up when no peer can be reached for this long (default: ${DEFAULT-VALUE}).")
  int noPeersSeconds;

  @Option(names = "--linger", paramLabel = "SECONDS", defaultValue = "10",
      description = "Without --seed: once the file is verified, keep serving the peers still fetching it from"
          + " here until they have gone quiet for a second, at most this long (default: ${DEFAULT-VALUE}; 0 to"
          + " exit at once).")
  int lingerSeconds;

  @Option(names = "--json", description = "End with one JSON object describing the result.")
  boolean json;

  @Option(names = "--reuse", paramLabel = "DIR",
      description = "For a tree: look in DIR (recursively) for files of equal content and copy them instead of"
          + " downloading them; repeatable.")
  List<Path> reuse = new ArrayList<>();

  @Option(names = "--link", description = "With --reuse: hard-link reused files instead of copying them where the"
      + " file system allows (the two names then share their bytes).")
  boolean link;

  @Override
  public Integer call() throws Exception {
    try {
      return get();
    } catch (FileExistsException e) {
      throw new FileExistsException(e.getMessage() + "; remove it or pass --overwrite"
          + (e.getMessage().contains("symbolic link") ? " to replace the link itself" : ""));
    } catch (UnknownFileException e) {
      throw new UnknownFileException(e.getMessage() + (e.getMessage().startsWith("the tracker knows no file with id")
          ? "; check the id, or run 'swarmshare search' to find it" : ""));
    }
  }

  private int get() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    long rate = Rates.parse(maxRate, "--max-download-rate");
    long uploadRate = Rates.parse(maxUploadRate, "--max-upload-rate");
    Ports.check(port, "--port");
    if (stallSeconds < 1 || noPeersSeconds < 1) {
      throw new Errors.UsageException("--stall-timeout and --no-peers-timeout must be at least 1 second");
    }
    Path directory = OutputDirectory.check(output);
    try (SwarmClient client = SwarmShare.client().warmUp(Terminal.warmUp()).trackers(trackerOption.addresses()).port(port).tls(tls.config())
        .maxDownloadRate(rate).maxUploadRate(uploadRate).stallTimeout(Duration.ofSeconds(stallSeconds))
        .noPeersTimeout(Duration.ofSeconds(noPeersSeconds)).start()) {
      // Every name is resolved before anything is fetched: a typo costs nothing.
      Map<FileId, String> ids = new LinkedHashMap<>();
      List<String> trees = new ArrayList<>();
      for (String target : targets) {
        if (isTree(client, target)) {
          trees.add(target);
        } else {
          ids.putIfAbsent(resolve(client, target), target);
        }
      }
      if ((!reuse.isEmpty() || link) && trees.isEmpty()) {
        throw new Errors.UsageException("--reuse and --link apply to trees; none of " + targets + " is a tree");
      }
      for (String tree : trees) {
        getTree(client, tree, directory, out, err);
      }
      List<DownloadOption> options = new ArrayList<>();
      if (overwrite) {
        options.add(DownloadOption.OVERWRITE);
      }
      if (!seed && lingerSeconds == 0) {
        options.add(DownloadOption.NO_SEED);
      }
      // All start at once, sharing the client's peers; progress follows them one after another.
      List<Download> downloads = new ArrayList<>();
      List<String> names = new ArrayList<>();
      for (Map.Entry<FileId, String> e : ids.entrySet()) {
        downloads.add(client.download(e.getKey(), directory, options.toArray(DownloadOption[]::new)));
        names.add(e.getValue());
      }
      int failed = 0;
      for (int i = 0; i < downloads.size(); i++) {
        String label = downloads.size() == 1 ? "downloading" : String.format(Locale.ROOT, "downloading %d/%d %s",
            i + 1, downloads.size(), TerminalText.escape(names.get(i)));
        DownloadResult result;
        try {
          result = Progress.follow(downloads.get(i), err, label, common.quiet);
        } catch (SwarmException e) {
          if (downloads.size() == 1) {
            throw e;
          }
          Errors.report(e, err);
          failed++;
          continue;
        }
        report(result, out);
      }
      if (failed > 0) {
        err.println("swarmshare: " + failed + " of " + downloads.size() + " files failed; run the same command again"
            + " to resume them (the verified ones are kept)");
        err.flush();
        return Main.FAILURE;
      }
      if (!seed && lingerSeconds > 0) {
        linger(client, err);
      }
      if (seed) {
        if (!common.quiet) {
          err.println("Seeding on port " + client.address().port() + ". Press Ctrl-C to stop.");
        }
        CountDownLatch stopped = new CountDownLatch(1);
        // On Ctrl-C the JVM ends once the hooks return: leave the tracker from the hook itself.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
          client.close();
          stopped.countDown();
        }));
        stopped.await();
      }
      return Main.OK;
    }
  }

  /** True if the tracker lists a tree of this name or id. */
  static boolean isTree(SwarmClient client, String target) throws SwarmException {
    String t = target.strip();
    for (FileEntry e : client.search(t, 50)) {
      if (e.isTree() && e.name().equalsIgnoreCase(t + "/")) {
        return true;
      }
    }
    return false;
  }

  private void getTree(SwarmClient client, String target, Path directory, PrintWriter out, PrintWriter err)
      throws SwarmException, InterruptedException {
    Progress progress = new Progress(err, "downloading " + TerminalText.escape(target) + "/", common.quiet);
    TreeOptions options = TreeOptions.DEFAULTS.withOverwrite(overwrite).withLink(link)
        .withSeed(seed || lingerSeconds > 0)
        .withProgress(p -> progress.update(p.bytesDone(), p.bytesTotal(), p.filesDone() + "/" + p.filesTotal() + " files"));
    for (Path r : reuse) {
      options = options.withReuse(r);
    }
    long started = System.nanoTime();
    TreeDownloadResult r = client.downloadTree(target, directory, options);
    progress.finish();
    double seconds = (System.nanoTime() - started) / 1e9;
    if (json) {
      out.println(Json.object().put("kind", "tree").put("id", r.id().hex()).put("path", r.path().toString())
          .put("files", r.files()).put("size", r.size()).put("seconds", Math.round(seconds * 1000) / 1000.0)
          .put("chunksDownloaded", r.chunksDownloaded()).put("chunksResumed", r.chunksResumed())
          .put("bytesReused", r.bytesReused()).put("verified", true));
    } else {
      out.printf(Locale.ROOT, "downloaded tree %s (%s, %s) in %.1f s; every file verified%n",
          TerminalText.escape(r.path().toString()), Progress.plural(r.files(), "file"), Sizes.format(r.size()), seconds);
      if (r.chunksResumed() > 0 || r.bytesReused() > 0) {
        out.printf(Locale.ROOT, "resumed %d chunk(s) from an earlier run; %s not fetched (equal files copied, files"
            + " already in place or in --reuse directories)%n", r.chunksResumed(), Sizes.format(r.bytesReused()));
      }
    }
    out.flush();
  }

  private void report(DownloadResult result, PrintWriter out) {
    double seconds = result.elapsed().toNanos() / 1e9;
    if (json) {
      Map<String, Object> fromPeers = new LinkedHashMap<>();
      result.bytesFromPeer().forEach((peer, bytes) -> fromPeers.put(peer.value(), bytes));
      out.println(Json.object().put("id", result.id().hex()).put("path", result.path().toString())
          .put("size", result.size()).put("seconds", Math.round(seconds * 1000) / 1000.0)
          .put("peers", result.peers()).put("chunksDownloaded", result.chunksDownloaded())
          .put("chunksResumed", result.chunksResumed()).put("bytesFromPeer", fromPeers).put("verified", true));
    } else {
      out.printf(Locale.ROOT, "downloaded %s (%s) in %.1f s from %s; verified%n", TerminalText.escape(result.path().toString()),
          Sizes.format(result.size()), seconds, Progress.plural(result.peers(), "peer"));
      if (result.chunksResumed() > 0) {
        out.printf(Locale.ROOT, "resumed %d chunk(s) from an earlier run%n", result.chunksResumed());
      }
    }
    out.flush();
  }

  /**
   * Keeps serving while peers still fetch chunks from here: a fleet started together finishes
   * at nearly the same time, and the first to finish would otherwise take its chunks away from
   * the others. Ends once nothing was uploaded for a second, or after --linger seconds; a
   * download nobody fetched from ends at once.
   */
  private void linger(SwarmClient client, PrintWriter err) throws InterruptedException {
    long uploaded = client.bytesUploaded();
    if (uploaded == 0) {
      return;
    }
    if (!common.quiet) {
      err.println("Serving the peers still fetching from here (at most " + lingerSeconds + " s; Ctrl-C to stop)...");
      err.flush();
    }
    long deadline = System.nanoTime() + Duration.ofSeconds(lingerSeconds).toNanos();
    long quietSince = System.nanoTime();
    while (System.nanoTime() < deadline && System.nanoTime() - quietSince < Duration.ofSeconds(1).toNanos()) {
      Thread.sleep(100); // sampling an upload counter; nothing else to wait on
      long now = client.bytesUploaded();
      if (now != uploaded) {
        uploaded = now;
        quietSince = System.nanoTime();
      }
    }
  }

  /** An id as is; a name through the tracker's search, refusing ambiguity. */
  static FileId resolve(SwarmClient client, String target) throws SwarmException {
    if (FileId.isValid(target.strip().toLowerCase(Locale.ROOT))) {
      return FileId.parse(target);
    }
    List<FileEntry> found = client.search(target, 50);
    Map<FileId, FileEntry> exact = new LinkedHashMap<>();
    Map<FileId, FileEntry> partial = new LinkedHashMap<>();
    for (FileEntry e : found) {
      if (e.name().equalsIgnoreCase(target)) {
        exact.putIfAbsent(e.id(), e);
      }
      partial.putIfAbsent(e.id(), e);
    }
    Map<FileId, FileEntry> candidates = exact.isEmpty() ? partial : exact;
    if (candidates.isEmpty()) {
      throw new UnknownFileException("no file named '" + target + "' on the tracker; try 'swarmshare search " + target + "'");
    }
    if (candidates.size() > 1) {
      // Several lines, so each name is escaped here, one line each, and the message is shown as it is.
      StringBuilder b = new StringBuilder("'" + TerminalText.escape(target) + "' matches " + candidates.size()
          + " files; pass an id instead:");
      for (FileEntry e : candidates.values()) {
        b.append(String.format(Locale.ROOT, "%n  %s  %-30s %s", e.id(), TerminalText.escape(e.name()),
            Sizes.format(e.size())));
      }
      throw new Errors.Escaped(b.toString());
    }
    return candidates.keySet().iterator().next();
  }
}
