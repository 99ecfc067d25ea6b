package io.swarmshare.internal.tree;

import io.swarmshare.api.DownloadOption;
import io.swarmshare.api.DownloadResult;
import io.swarmshare.api.FileEntry;
import io.swarmshare.api.FileExistsException;
import io.swarmshare.api.FileId;
import io.swarmshare.api.IntegrityException;
import io.swarmshare.api.MalformedManifestException;
import io.swarmshare.api.Manifest;
import io.swarmshare.api.StorageException;
import io.swarmshare.api.SwarmException;
import io.swarmshare.api.TreeDownloadResult;
import io.swarmshare.api.TreeEntry;
import io.swarmshare.api.TreeId;
import io.swarmshare.api.TreeOptions;
import io.swarmshare.api.TreeProgress;
import io.swarmshare.api.UnknownFileException;
import io.swarmshare.internal.client.Client;
import io.swarmshare.internal.download.DownloadTask;
import io.swarmshare.internal.manifest.ManifestBuilder;
import io.swarmshare.internal.store.MemoryStore;
import io.swarmshare.internal.store.SafeNames;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * Fetches a tree: resolves its listing at the tracker, downloads the listing from peers into the
 * heap, checks it against the tree's id and the path rules (refusing the whole tree before
 * anything is written), then brings each distinct file into place: found at its destination,
 * copied from a reuse directory, or downloaded through the ordinary per-file engine (which
 * resumes after a crash), a few files at a time; files of equal content are fetched once and
 * copied. One instance per fetch.
 */
public final class TreeFetch {
  /** Files downloading at once: enough to keep peers busy with small files, few connections each. */
  static final int PARALLEL_FILES = 4;

  private final Client client;
  private final TreeOptions options;
  private final AtomicLong chunksDownloaded = new AtomicLong();
  private final AtomicLong chunksResumed = new AtomicLong();
  private final AtomicLong bytesReused = new AtomicLong();
  private final AtomicLong bytesDone = new AtomicLong();
  private final AtomicInteger filesDone = new AtomicInteger();
  private final Set<DownloadTask> running = ConcurrentHashMap.newKeySet();
  private final ReuseIndex reuse;

  public TreeFetch(Client client, TreeOptions options) {
    this.client = client;
    this.options = options;
    this.reuse = new ReuseIndex(options.reuse());
  }

  /** A tree's listing as the tracker knows it: the listing file, its name, and the id expected. */
  record Listing(FileId file, String name, @Nullable TreeId expected) {}

  /**
   * The listing a name or id stands for, or empty if the tracker knows no such tree.
   *
   * @throws SwarmException if the name matches several trees
   */
  public static Optional<Listing> resolve(io.swarmshare.api.Tracker tracker, String nameOrId) throws SwarmException {
    String text = nameOrId.strip();
    if (FileId.isValid(text.toLowerCase(Locale.ROOT))) {
      TreeId id = TreeId.parse(text);
      for (FileEntry e : tracker.search(id.hex(), 50)) {
        if (e.name().equals(TreeNames.alias(id))) {
          return Optional.of(new Listing(e.id(), nameOf(tracker, e.id(), id.hex()), id));
        }
      }
      return Optional.empty();
    }
    Map<FileId, FileEntry> exact = new LinkedHashMap<>();
    Map<FileId, FileEntry> folded = new LinkedHashMap<>();
    for (FileEntry e : tracker.search(text, 100)) {
      if (TreeNames.isTree(e.name()) && !TreeNames.isAlias(e.name())) {
        String name = TreeNames.treeName(e.name());
        if (name.equals(text)) {
          exact.putIfAbsent(e.id(), e);
        } else if (name.equalsIgnoreCase(text)) {
          folded.putIfAbsent(e.id(), e);
        }
      }
    }
    Map<FileId, FileEntry> found = exact.isEmpty() ? folded : exact;
    if (found.isEmpty()) {
      return Optional.empty();
    }
    if (found.size() > 1) {
      StringBuilder b = new StringBuilder("'" + text + "' names " + found.size() + " trees; pass a tree id instead:");
      for (FileEntry e : found.values()) {
        TreeId id = idOf(tracker, e.id());
        b.append(' ').append(id == null ? "(id unknown, listing " + e.id().shortForm() + ")" : id.hex());
      }
      throw new SwarmException(b.toString());
    }
    FileEntry e = found.values().iterator().next();
    return Optional.of(new Listing(e.id(), TreeNames.treeName(e.name()), idOf(tracker, e.id())));
  }

  /** The tree id a listing file is registered under, if any. */
  public static @Nullable TreeId idOf(io.swarmshare.api.Tracker tracker, FileId listing) throws SwarmException {
    for (FileEntry e : tracker.search(listing.hex(), 50)) {
      if (e.id().equals(listing) && TreeNames.isAlias(e.name())) {
        return new TreeId(e.name().substring(0, 64));
      }
    }
    return null;
  }

  private static String nameOf(io.swarmshare.api.Tracker tracker, FileId listing, String fallback) throws SwarmException {
    for (FileEntry e : tracker.search(listing.hex(), 50)) {
      if (e.id().equals(listing) && TreeNames.isTree(e.name()) && !TreeNames.isAlias(e.name())) {
        return TreeNames.treeName(e.name());
      }
    }
    return fallback;
  }

  /** Fetches the tree {@code nameOrId} into {@code directory/NAME}. */
  public TreeDownloadResult fetch(String nameOrId, Path directory) throws SwarmException, InterruptedException {
    Listing listing = resolve(client.tracker(), nameOrId).orElseThrow(() -> new UnknownFileException(
        "the tracker knows no tree named or with id '" + nameOrId + "'"));
    Path dir = directory.toAbsolutePath().normalize();
    String name = SafeNames.sanitize(listing.name(), listing.expected() == null ? "tree" : listing.expected().hex());
    Path root = dir.resolve(name);
    TreeManifest tree = fetchListing(listing, root);
    refuseWorkingNames(tree, listing.name());
    // Nothing was written until here: the listing is verified and every path in it is safe.
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new StorageException("cannot create directory " + dir + ": " + e.getMessage(), e);
    }
    Dirs.mkdir(root);
    List<TreeEntry> files = new ArrayList<>();
    for (TreeEntry e : tree.entries()) {
      if (e.isDirectory()) {
        Dirs.directory(root, e.path());
      } else {
        files.add(e);
      }
    }
    Map<FileId, List<TreeEntry>> byContent = new LinkedHashMap<>();
    for (TreeEntry e : files) {
      byContent.computeIfAbsent(e.file(), k -> new ArrayList<>()).add(e);
    }
    long total = tree.size();
    Thread reporter = Thread.ofVirtual().name("swarmshare-tree-progress").start(() -> report(total, files.size()));
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      // At most PARALLEL_FILES contents in hand at once (a manifest, a hash, a download each):
      // a listing of 100 000 entries must not start 100 000 of anything.
      Semaphore slots = new Semaphore(PARALLEL_FILES);
      AtomicBoolean failed = new AtomicBoolean();
      List<Future<?>> jobs = new ArrayList<>();
      try {
        for (List<TreeEntry> same : byContent.values()) {
          slots.acquire();
          if (failed.get()) {
            slots.release();
            break; // a file failed: start no more, and report it below
          }
          jobs.add(pool.submit(() -> {
            try {
              place(dir, name, same);
            } catch (Exception | Error e) {
              failed.set(true);
              throw e;
            } finally {
              slots.release();
            }
            return null;
          }));
        }
        SwarmException failure = null;
        for (Future<?> f : jobs) {
          try {
            f.get();
          } catch (ExecutionException e) {
            if (failure == null) {
              failure = e.getCause() instanceof SwarmException se ? se
                  : new StorageException("a file of the tree failed: " + e.getCause(), e.getCause());
              cancelAll();
            }
          }
        }
        if (failure != null) {
          throw failure;
        }
      } catch (InterruptedException e) {
        // Stop every download; their verified chunks stay for the next run.
        cancelAll();
        pool.shutdownNow();
        throw e;
      }
    } finally {
      reporter.interrupt();
    }
    options.progress().accept(new TreeProgress(total, total, files.size(), files.size()));
    if (options.seed()) {
      TreeShare.seedListing(client, tree, listing.name(), root);
    }
    return new TreeDownloadResult(tree.id(), root, files.size(), total, chunksDownloaded.get(), chunksResumed.get(),
        bytesReused.get());
  }

  /** The names this client keeps beside a file while it downloads or copies it. */
  private static final List<String> WORKING_SUFFIXES = List.of(".part", ".resume", ".resume.tmp", ".marks", ".lock", ".copy");

  /**
   * Refuses a tree holding both {@code a} and, say, {@code a.part}: the download of one would
   * overwrite the other. Legal trees, but not ones this client can recreate faithfully.
   */
  private static void refuseWorkingNames(TreeManifest tree, String name) throws StorageException {
    Set<String> folded = new java.util.HashSet<>();
    for (TreeEntry e : tree.entries()) {
      folded.add(e.path().toLowerCase(Locale.ROOT));
    }
    for (TreeEntry e : tree.entries()) {
      for (String suffix : WORKING_SUFFIXES) {
        if (!e.isDirectory() && folded.contains(e.path().toLowerCase(Locale.ROOT) + suffix)) {
          throw new StorageException("tree '" + name + "' holds both '" + e.path() + "' and '" + e.path() + suffix
              + "', and this client keeps '" + suffix + "' files beside a download; nothing was written");
        }
      }
    }
  }

  private void cancelAll() {
    for (DownloadTask t : running) {
      t.cancel();
    }
  }

  private void report(long total, int files) {
    try {
      while (!Thread.currentThread().isInterrupted()) {
        long inFlight = 0;
        for (DownloadTask t : running) {
          inFlight += t.progress().verifiedBytes();
        }
        options.progress().accept(new TreeProgress(Math.min(total, bytesDone.get() + inFlight), total, filesDone.get(), files));
        Thread.sleep(200);
      }
    } catch (InterruptedException e) {
      // the fetch is over
    } catch (RuntimeException e) {
      // a listener's failure must not end the fetch; it just hears no more
    }
  }

  /**
   * Downloads the listing into the heap and checks it. The listing's size is checked before a
   * byte of it is fetched, so a hostile tracker cannot make this client hold more than
   * {@link TreeManifest#MAX_BYTES}.
   */
  private TreeManifest fetchListing(Listing listing, Path root) throws SwarmException, InterruptedException {
    Manifest m = client.fetchManifest(listing.file());
    if (m.size() > TreeManifest.MAX_BYTES) {
      throw new IntegrityException("the listing of tree '" + listing.name() + "' is " + m.size()
          + " bytes, more than the " + TreeManifest.MAX_BYTES + " a tree may have; refused, nothing was written");
    }
    MemoryStore store = new MemoryStore(m);
    if (m.chunkCount() > 0) {
      client.downloadToMemory(store, TreeNames.listing(listing.name()), root).await();
    }
    ByteBuffer all = ByteBuffer.allocate((int) m.size());
    for (int i = 0; i < m.chunkCount(); i++) {
      all.put(store.chunk(i));
    }
    byte[] bytes = all.array();
    TreeId actual = TreeId.of(ManifestBuilder.sha256().digest(bytes));
    if (listing.expected() != null && !actual.equals(listing.expected())) {
      throw new IntegrityException("the listing registered for tree " + listing.expected().shortForm() + " hashes to "
          + actual.shortForm() + "; the sharer or tracker is faulty or lying, so nothing was written");
    }
    try {
      return TreeManifest.parse(bytes);
    } catch (MalformedManifestException e) {
      throw new MalformedManifestException("refusing tree '" + listing.name() + "' (" + actual.shortForm() + ") as a whole: "
          + e.getMessage() + "; nothing was written");
    }
  }

  /** Brings every entry of one content into place; the first by reuse or download, the rest by copy. */
  private void place(Path dir, String name, List<TreeEntry> same) throws SwarmException, InterruptedException {
    TreeEntry first = same.get(0);
    FileId id = Objects.requireNonNull(first.file(), "only file entries are placed");
    long size = first.size();
    Manifest manifest = client.fetchManifest(id);
    if (manifest.size() != size) {
      throw new IntegrityException("the tree lists " + first.path() + " as " + size + " bytes, its manifest says "
          + manifest.size());
    }
    List<Path> targets = new ArrayList<>();
    for (TreeEntry e : same) {
      targets.add(Dirs.parents(dir.resolve(name), e.path()));
    }
    // Which destinations already hold the right content, and which are in the way.
    Path source = null;
    List<Path> todo = new ArrayList<>();
    for (Path t : targets) {
      if (Files.exists(t, LinkOption.NOFOLLOW_LINKS) && Files.isRegularFile(t, LinkOption.NOFOLLOW_LINKS)
          && !Files.exists(t.resolveSibling(t.getFileName() + ".part"), LinkOption.NOFOLLOW_LINKS)
          && ReuseIndex.matches(t, manifest)) {
        bytesReused.addAndGet(size);
        done(size);
        source = source == null ? t : source;
      } else {
        if (Files.exists(t, LinkOption.NOFOLLOW_LINKS) && !Files.exists(t.resolveSibling(t.getFileName() + ".part"),
            LinkOption.NOFOLLOW_LINKS) && !options.overwrite()) {
          throw new FileExistsException(t + " already exists with other content");
        }
        todo.add(t);
      }
    }
    if (todo.isEmpty()) {
      return;
    }
    if (source == null && size == 0) {
      Path t = todo.remove(0);
      Copies.writeEmpty(t);
      done(0);
      source = t;
    }
    if (source == null) {
      Path found = reuse.find(manifest);
      if (found != null) {
        Path t = todo.remove(0);
        Copies.copy(found, t, options.link());
        bytesReused.addAndGet(size);
        done(size);
        source = t;
      }
    }
    if (source == null) {
      Path t = todo.remove(0);
      Set<DownloadOption> opts = java.util.EnumSet.noneOf(DownloadOption.class);
      if (options.overwrite()) {
        opts.add(DownloadOption.OVERWRITE);
      }
      if (!options.seed()) {
        opts.add(DownloadOption.NO_SEED);
      }
      DownloadTask task = client.downloadFile(manifest, Objects.requireNonNull(t.getParent(), "a file in the tree"),
          String.valueOf(t.getFileName()), opts);
      running.add(task);
      DownloadResult r;
      try {
        r = task.await();
      } finally {
        running.remove(task);
      }
      chunksDownloaded.addAndGet(r.chunksDownloaded());
      chunksResumed.addAndGet(r.chunksResumed());
      done(size);
      source = t;
    }
    for (Path t : todo) {
      Copies.copy(source, t, false);
      bytesReused.addAndGet(size);
      done(size);
    }
  }

  private void done(long size) {
    bytesDone.addAndGet(size);
    filesDone.incrementAndGet();
  }
}
