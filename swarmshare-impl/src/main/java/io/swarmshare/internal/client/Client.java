package io.swarmshare.internal.client;

import io.swarmshare.api.Announcement;
import io.swarmshare.api.ClientStats;
import io.swarmshare.api.Download;
import io.swarmshare.api.DownloadEvent;
import io.swarmshare.api.DownloadOption;
import io.swarmshare.api.FileEntry;
import io.swarmshare.api.FileId;
import io.swarmshare.api.IntegrityException;
import io.swarmshare.api.Manifest;
import io.swarmshare.api.PeerAddress;
import io.swarmshare.api.PeerId;
import io.swarmshare.api.PeerInfo;
import io.swarmshare.api.PieceStore;
import io.swarmshare.api.SharedFile;
import io.swarmshare.api.StorageException;
import io.swarmshare.api.SwarmClient;
import io.swarmshare.api.SwarmException;
import io.swarmshare.api.UnfinishedDownload;
import io.swarmshare.api.UnknownFileException;
import io.swarmshare.api.spi.Transport;
import io.swarmshare.internal.download.DownloadTask;
import io.swarmshare.internal.manifest.ManifestBuilder;
import io.swarmshare.internal.manifest.Sha256Warmup;
import io.swarmshare.internal.peer.FrameWarmup;
import io.swarmshare.internal.peer.PeerServer;
import io.swarmshare.internal.peer.RateLimiter;
import io.swarmshare.internal.peer.ServedFiles;
import io.swarmshare.internal.protocol.Warmup;
import io.swarmshare.internal.store.FileStore;
import io.swarmshare.internal.store.MemoryStore;
import io.swarmshare.internal.store.ResumeRecord;
import io.swarmshare.internal.store.SafeNames;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongConsumer;
import org.jspecify.annotations.Nullable;

/**
 * The {@link SwarmClient}: a peer server for everything it holds, downloads that feed it, and
 * a heartbeat that keeps the tracker's view of this peer fresh (re-registering files if the
 * tracker restarted and forgot them).
 */
public final class Client implements SwarmClient, DownloadTask.Host {
  private static final System.Logger LOG = System.getLogger(Client.class.getName());

  private final ClientSettings settings;
  private final PeerServer server;
  private final ServedFiles served = new ServedFiles(this::watched);
  private final Map<FileId, SharedFile> shared = new ConcurrentHashMap<>();
  /** Names a served file is registered under besides its own (a tree's listing: its id), to register again. */
  private final Map<FileId, List<String>> aliases = new ConcurrentHashMap<>();
  private final Set<DownloadTask> downloads = ConcurrentHashMap.newKeySet();
  private final LongAdder bytesDownloaded = new LongAdder();
  private final LongAdder completed = new LongAdder();
  private final LongAdder failed = new LongAdder();
  private final RateLimiter downloadLimiter;
  private final PeerAddress address;
  private final Thread heartbeat;
  private volatile boolean closed;

  public Client(ClientSettings settings) throws SwarmException {
    this.settings = settings;
    this.downloadLimiter = RateLimiter.of(settings.downloadBytesPerSecond());
    try {
      this.server = new PeerServer(settings.transport(), settings.bind(), settings.id(), served,
          RateLimiter.of(settings.uploadBytesPerSecond()), settings.serverCaps());
    } catch (java.net.BindException e) {
      throw new StorageException("cannot serve peers on port " + settings.bind().getPort()
          + ": it is in use; choose another with --port, or 0 for any free port", e);
    } catch (IOException e) {
      throw new StorageException("cannot serve peers on " + settings.bind() + ": " + e.getMessage(), e);
    }
    this.address = new PeerAddress(settings.advertisedHost(), server.address().getPort());
    this.heartbeat = Thread.ofVirtual().name("swarmshare-heartbeat").start(this::heartbeatLoop);
  }

  @Override
  public PeerId id() {
    return settings.id();
  }

  @Override
  public PeerAddress address() {
    return address;
  }

  @Override
  public Transport transport() {
    return settings.transport();
  }

  @Override
  public PeerId self() {
    return settings.id();
  }

  @Override
  public RateLimiter downloadLimiter() {
    return downloadLimiter;
  }

  @Override
  public long bytesUploaded() {
    return server.bytesServed();
  }

  @Override
  public ClientStats stats() {
    int sessions = 0;
    for (DownloadTask t : downloads) {
      sessions += t.progress().peers();
    }
    return new ClientStats(server.bytesServed(), bytesDownloaded.sum(), downloads.size(), completed.sum(),
        failed.sum(), shared.size(), sessions + server.openConnections());
  }

  /**
   * Warms the JIT up (if warm-ups are enabled) for moving {@code manifest}'s file: SHA-256 for a
   * file large enough to repay it, the frame path for one with enough chunks ({@link
   * FrameWarmup#repays}).
   */
  private static void warmUpFor(Manifest manifest) {
    if (manifest.size() >= Warmup.WORTH_BYTES) {
      Sha256Warmup.start();
    }
    warmUpFramesFor(manifest);
  }

  private static void warmUpFramesFor(Manifest manifest) {
    if (FrameWarmup.repays(manifest.chunkCount())) {
      FrameWarmup.start();
    }
  }

  @Override
  public SharedFile share(Path file, String name, LongConsumer hashedBytes) throws SwarmException {
    ensureOpen();
    Manifest manifest = ManifestBuilder.build(file, settings.chunkSize(), hashedBytes); // warms SHA-256 up itself
    warmUpFramesFor(manifest); // serving it: the frame path
    return share(file, name, manifest);
  }

  /** Internal, for trees: shares {@code file} whose manifest was just built. */
  public SharedFile share(Path file, String name, Manifest manifest) throws SwarmException {
    FileStore store = FileStore.seeding(file, manifest);
    SharedFile sf = new SharedFile(manifest, name, file);
    try {
      settings.tracker().register(manifest, name);
      served.put(store);
      shared.put(manifest.id(), sf);
      announce(store, name);
    } catch (SwarmException | RuntimeException e) {
      served.remove(manifest.id(), store);
      shared.remove(manifest.id());
      store.close();
      throw e;
    }
    return sf;
  }

  @Override
  public void unshare(FileId id) throws SwarmException {
    shared.remove(id);
    PieceStore store = served.remove(id);
    if (store != null) {
      store.close();
      settings.tracker().leave(id, settings.id());
    }
  }

  @Override
  public List<SharedFile> shared() {
    return List.copyOf(shared.values());
  }

  @Override
  public Download download(FileId id, Path directory, DownloadOption... options) throws SwarmException {
    ensureOpen();
    Set<DownloadOption> opts = Set.copyOf(Arrays.asList(options));
    Path dir = directory.toAbsolutePath().normalize();
    // An unfinished download of this id here is resumed under the name and manifest it recorded,
    // whatever name the tracker lists first today (the record's manifest hashes to the id).
    ResumeRecord earlier = recordOf(id, dir);
    Manifest manifest = earlier != null ? earlier.manifest() : fetchManifest(id);
    warmUpFor(manifest);
    String name = SafeNames.sanitize(earlier != null ? earlier.name() : nameOf(id), id.hex());
    PieceStore.Factory custom = settings.pieceStores();
    if (custom == null) {
      return downloadFile(manifest, dir, name, opts);
    }
    PieceStore store = custom.open(manifest, dir, name);
    if (!store.manifest().equals(manifest)) {
      store.close();
      throw new StorageException("the piece store opened for " + name + " holds another manifest");
    }
    DownloadTask task = new DownloadTask(this, store, name, dir.resolve(name), settings.download());
    task.openingEvent(new DownloadEvent.ManifestVerified(manifest));
    return start(task, store, opts);
  }

  /**
   * Internal, for trees: downloads the file of {@code manifest} (already checked against its id)
   * into {@code dir} under {@code name} (already a safe file name), resuming what an earlier run
   * left there.
   */
  public DownloadTask downloadFile(Manifest manifest, Path dir, String name, Set<DownloadOption> opts)
      throws SwarmException {
    ensureOpen();
    warmUpFor(manifest);
    FileStore fs = FileStore.download(dir, name, manifest, opts.contains(DownloadOption.OVERWRITE));
    DownloadTask task = new DownloadTask(this, fs, name, fs.finalPath(), settings.download());
    task.openingEvent(new DownloadEvent.ManifestVerified(manifest));
    if (fs.resumedChunks() > 0 || fs.discardedChunks() > 0 || !fs.resumeNote().isEmpty()) {
      task.openingEvent(new DownloadEvent.ResumeChecked(fs.resumedChunks(), fs.discardedChunks(), fs.resumeNote()));
    }
    return start(task, fs, opts);
  }

  /**
   * Internal, for trees: downloads a small file into the heap (a tree's listing), never seeded
   * by this call; {@code path} only names it in messages.
   */
  public DownloadTask downloadToMemory(MemoryStore store, String name, Path path) throws SwarmException {
    ensureOpen();
    DownloadTask task = new DownloadTask(this, store, name, path, settings.download());
    task.openingEvent(new DownloadEvent.ManifestVerified(store.manifest()));
    return start(task, store, Set.of(DownloadOption.NO_SEED));
  }

  private DownloadTask start(DownloadTask task, PieceStore store, Set<DownloadOption> opts) {
    if (opts.contains(DownloadOption.NO_SEED)) {
      noSeed.add(task);
    }
    served.put(store);
    downloads.add(task);
    task.start();
    return task;
  }

  /**
   * Internal, for trees: serves the complete file held in {@code store} (a tree's listing, kept
   * in the heap) and registers it under each of {@code names}.
   */
  public void seed(MemoryStore store, Path path, String... names) throws SwarmException {
    ensureOpen();
    Manifest manifest = store.manifest();
    for (String name : names) {
      settings.tracker().register(manifest, name);
    }
    served.put(store);
    shared.put(manifest.id(), new SharedFile(manifest, names[0], path));
    if (names.length > 1) {
      aliases.put(manifest.id(), List.of(names).subList(1, names.length));
    }
    announce(store, names[0]);
  }

  /** Internal, for trees: the tracker this client uses. */
  public io.swarmshare.api.Tracker tracker() {
    return settings.tracker();
  }

  /** Internal, for trees: the chunk size this client hashes with. */
  public int chunkSize() {
    return settings.chunkSize();
  }

  @Override
  public io.swarmshare.api.SharedTree shareTree(Path directory, String name, LongConsumer hashedBytes)
      throws SwarmException {
    ensureOpen();
    return io.swarmshare.internal.tree.TreeShare.share(this, directory, name, hashedBytes);
  }

  @Override
  public io.swarmshare.api.TreeDownloadResult downloadTree(String nameOrId, Path directory,
      io.swarmshare.api.TreeOptions options) throws SwarmException, InterruptedException {
    ensureOpen();
    return new io.swarmshare.internal.tree.TreeFetch(this, options).fetch(nameOrId, directory);
  }

  private final Set<DownloadTask> noSeed = ConcurrentHashMap.newKeySet();

  /** Internal: the tracker's manifest of {@code id}, checked against it. */
  public Manifest fetchManifest(FileId id) throws SwarmException {
    Optional<Manifest> fromTracker = settings.tracker().manifest(id);
    if (fromTracker.isEmpty()) {
      throw new UnknownFileException("the tracker knows no file with id " + id);
    }
    Manifest m = fromTracker.get();
    if (!m.id().equals(id)) {
      throw new IntegrityException("the tracker's manifest for " + id.shortForm() + " hashes to " + m.id().shortForm()
          + "; the tracker is faulty or lying, so nothing was downloaded");
    }
    return m;
  }

  private String nameOf(FileId id) {
    try {
      for (FileEntry e : settings.tracker().search(id.hex(), 20)) {
        if (e.id().equals(id)) {
          return e.name();
        }
      }
    } catch (SwarmException e) {
      LOG.log(System.Logger.Level.DEBUG, "name lookup failed: {0}", e.getMessage());
    }
    return id.hex();
  }

  @Override
  public List<UnfinishedDownload> unfinished(Path directory) throws SwarmException {
    List<UnfinishedDownload> out = new ArrayList<>();
    for (ResumeRecord r : records(directory)) {
      out.add(new UnfinishedDownload(r.id(), r.name(), directory, r.manifest().size(),
          r.verified().cardinality(), r.manifest().chunkCount()));
    }
    return out;
  }

  private @Nullable ResumeRecord recordOf(FileId id, Path directory) throws SwarmException {
    for (ResumeRecord r : records(directory)) {
      if (r.id().equals(id)) {
        return r;
      }
    }
    return null;
  }

  /** The readable resume records in {@code directory}, except those left beside a finished file. */
  private static List<ResumeRecord> records(Path directory) throws SwarmException {
    List<ResumeRecord> out = new ArrayList<>();
    try (DirectoryStream<Path> dir = Files.newDirectoryStream(directory, "*.resume")) {
      for (Path record : dir) {
        try {
          ResumeRecord r = ResumeRecord.read(record);
          if (!record.getFileName().toString().equals(r.name() + ".resume")
              || Files.exists(record.resolveSibling(r.name())) && !Files.exists(record.resolveSibling(r.name() + ".part"))) {
            continue; // renamed by hand, or a crash right after the download finished
          }
          out.add(r);
        } catch (IOException e) {
          LOG.log(System.Logger.Level.DEBUG, "skipping unreadable record {0}: {1}", record, e.getMessage());
        }
      }
    } catch (java.nio.file.NoSuchFileException | java.nio.file.NotDirectoryException e) {
      return List.of();
    } catch (IOException e) {
      throw new StorageException("cannot list " + directory + ": " + e.getMessage(), e);
    }
    return out;
  }

  @Override
  public List<FileEntry> search(String text, int limit) throws SwarmException {
    return settings.tracker().search(text, limit);
  }

  @Override
  public List<PeerInfo> peers(FileId id) throws SwarmException {
    return settings.tracker().peers(id, 64);
  }

  @Override
  public void announce(PieceStore store, String name) throws SwarmException {
    FileId id = store.manifest().id();
    ServedFiles.Moved moved = served.moved(id);
    // Complete means the whole file was checked: a download's bitfield fills before that check.
    boolean complete = store.verified().isComplete() && downloads.stream().noneMatch(t -> t.id().equals(id));
    Announcement a = new Announcement(id, settings.id(), address, store.verified(),
        new Announcement.Progress(moved.uploaded(), moved.downloaded(), complete));
    try {
      settings.tracker().announce(a);
    } catch (UnknownFileException e) {
      // The tracker restarted and forgot the file: tell it again, under every name, then announce.
      settings.tracker().register(store.manifest(), name);
      for (String alias : aliases.getOrDefault(id, List.of())) {
        settings.tracker().register(store.manifest(), alias);
      }
      settings.tracker().announce(a);
    }
  }

  @Override
  public void obtained(FileId id, int chunk, int length) {
    bytesDownloaded.add(length);
    served.downloaded(id, length);
    served.obtained(id, chunk);
  }

  /** A peer began downloading {@code id} from us: a download of it here is in a swarm. */
  private void watched(FileId id) {
    for (DownloadTask t : downloads) {
      if (t.id().equals(id)) {
        t.servingStarted();
      }
    }
  }

  @Override
  public boolean isServing(FileId id) {
    return served.watchers(id) > 0;
  }

  @Override
  public void finished(DownloadTask task, boolean ok) {
    downloads.remove(task);
    (ok ? completed : failed).increment();
    PieceStore store = task.store();
    if (ok && !noSeed.remove(task) && !closed) {
      shared.put(store.manifest().id(), new SharedFile(store.manifest(), task.name(), task.path()));
      try {
        announce(store, task.name());
      } catch (SwarmException e) {
        LOG.log(System.Logger.Level.DEBUG, "announce after completion failed: {0}", e.getMessage());
      }
      return;
    }
    noSeed.remove(task);
    if (ok && !closed) {
      // Tell the tracker the download finished before leaving, so its operator sees it completed.
      try {
        announce(store, task.name());
      } catch (SwarmException e) {
        LOG.log(System.Logger.Level.DEBUG, "announce after completion failed: {0}", e.getMessage());
      }
    }
    served.remove(store.manifest().id(), store);
    store.close();
    if (ok) {
      try {
        settings.tracker().leave(store.manifest().id(), settings.id());
      } catch (SwarmException ignored) {
        // the tracker forgets us after the time-to-live anyway
      }
    }
  }

  private void heartbeatLoop() {
    while (!closed) {
      try {
        Thread.sleep(settings.announceInterval());
      } catch (InterruptedException e) {
        return;
      }
      for (SharedFile f : shared.values()) {
        PieceStore store = served.get(f.id());
        if (store == null) {
          continue;
        }
        try {
          announce(store, f.name());
        } catch (SwarmException e) {
          LOG.log(System.Logger.Level.DEBUG, "heartbeat announce failed: {0}", e.getMessage());
        }
      }
    }
  }

  private void ensureOpen() throws SwarmException {
    if (closed) {
      throw new SwarmException("this client is closed");
    }
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    heartbeat.interrupt();
    for (DownloadTask t : downloads) {
      t.cancel();
    }
    for (DownloadTask t : downloads) {
      try {
        t.await(java.time.Duration.ofSeconds(5));
      } catch (SwarmException | InterruptedException | java.util.concurrent.TimeoutException ignored) {
        // cancelled downloads report their cancellation, and one slow to stop is left to end alone
      }
    }
    server.close();
    for (PieceStore s : served.all()) {
      try {
        settings.tracker().leave(s.manifest().id(), settings.id());
      } catch (SwarmException | RuntimeException ignored) {
        // the tracker forgets us after the time-to-live anyway
      }
      s.close();
    }
    if (settings.ownsTracker()) {
      settings.tracker().close();
    }
  }
}
