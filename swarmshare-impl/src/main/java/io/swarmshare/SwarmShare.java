package io.swarmshare;

import io.swarmshare.api.FileEntry;
import io.swarmshare.api.Manifest;
import io.swarmshare.api.SharedTree;
import io.swarmshare.api.SwarmException;
import io.swarmshare.api.TreeId;
import io.swarmshare.api.PeerAddress;
import io.swarmshare.api.PeerId;
import io.swarmshare.api.StorageException;
import io.swarmshare.api.Tracker;
import io.swarmshare.api.spi.Transport;
import io.swarmshare.internal.manifest.ManifestBuilder;
import io.swarmshare.internal.tracker.FailoverTracker;
import io.swarmshare.internal.tracker.RemoteTracker;
import io.swarmshare.internal.transport.TcpTransport;
import io.swarmshare.internal.tree.TreeFetch;
import io.swarmshare.internal.tree.TreeNames;
import io.swarmshare.internal.tree.TreeShare;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.LongConsumer;
import org.jspecify.annotations.Nullable;

/**
 * The front door of SwarmShare: hashes files into manifests, and builds trackers and clients.
 *
 * <pre>{@code
 * Manifest m = SwarmShare.manifest(Path.of("model.bin"));
 * try (RunningTracker tracker = SwarmShare.tracker().port(0).start()) {
 *   tracker.register(m, "model.bin");
 *   try (Tracker remote = SwarmShare.remoteTracker(tracker.address())) {
 *     System.out.println(remote.search("model", 10));
 *   }
 * }
 * }</pre>
 *
 * <p>All methods are thread-safe.
 */
public final class SwarmShare {
  private static final String VERSION = readVersion();

  private SwarmShare() {}

  private static String readVersion() {
    try (var in = SwarmShare.class.getResourceAsStream("version.properties")) {
      var p = new java.util.Properties();
      if (in != null) {
        p.load(in);
      }
      return p.getProperty("version", "unknown");
    } catch (java.io.IOException e) {
      return "unknown";
    }
  }

  /** {@return the library's version, for example {@code 0.1.0}} */
  public static String version() {
    return VERSION;
  }

  /**
   * A builder for a tracker that serves on a port and can be called in process too.
   *
   * <pre>{@code
   * try (RunningTracker tracker = SwarmShare.tracker().port(8888).start()) {
   *   ...
   * }
   * }</pre>
   *
   * @return a builder with the defaults
   */
  public static TrackerBuilder tracker() {
    return new TrackerBuilder();
  }

  /** The port a tracker listens on unless told otherwise. */
  public static final int DEFAULT_TRACKER_PORT = TrackerBuilder.DEFAULT_PORT;

  /**
   * A builder for a client that shares and downloads files through a tracker.
   *
   * <pre>{@code
   * try (SwarmClient client = SwarmShare.client().tracker("127.0.0.1:8888").start()) {
   *   SharedFile f = client.share(Path.of("build.tar"));
   * }
   * }</pre>
   *
   * @return a builder with the defaults; the tracker must still be set
   */
  public static ClientBuilder client() {
    return new ClientBuilder();
  }

  /**
   * Plain TCP, the transport the builders use by default, for wrapping: a transport that counts
   * bytes, shapes traffic or logs connections can delegate to it and be passed to
   * {@link ClientBuilder#transport} or {@link TrackerBuilder#transport}. It resolves host names
   * itself, turns Nagle off, asks for 1 MiB socket buffers and offers the zero-copy channel and
   * direct input the engine uses to move chunks without copying them through the heap.
   *
   * @return a new plain TCP transport
   */
  public static Transport tcp() {
    return new TcpTransport();
  }

  /**
   * {@link #tcp()} with every outgoing connection made from {@code source}, a local address of
   * this machine: for a host with several interfaces, or many simulated peers on one machine that
   * must each speak from an address of their own (127.1.0.x on loopback).
   *
   * @param source the local address to connect from
   * @return a new plain TCP transport
   */
  public static Transport tcp(InetAddress source) {
    return new TcpTransport(Objects.requireNonNull(source, "source"));
  }

  /**
   * A client of the tracker at {@code address} speaking for a fresh random peer id. It
   * connects on first use and reconnects by itself; close it when done.
   *
   * @param address the tracker's host and port
   * @return the remote tracker, not yet connected
   */
  public static Tracker remoteTracker(PeerAddress address) {
    return remoteTracker(address, PeerId.random());
  }

  /**
   * A client of the tracker at {@code address} speaking for peer {@code self}: announcements and
   * leaves must name that peer, and the tracker lists it at the host the connection comes from.
   *
   * @param address the tracker's host and port
   * @param self the peer this client speaks for
   * @return the remote tracker, not yet connected
   */
  public static Tracker remoteTracker(PeerAddress address, PeerId self) {
    return new RemoteTracker(address, new TcpTransport(), self, RemoteTracker.Settings.DEFAULTS);
  }

  /**
   * A client of the tracker at {@code address} over TLS with {@code tls} (plain TCP if null),
   * speaking for a fresh random peer id, or over TLS for the id its certificate proves.
   *
   * @param address the tracker's host and port
   * @param tls this node's key and the swarm's trust store, or null for plain TCP
   * @return the remote tracker, not yet connected
   */
  public static Tracker remoteTracker(PeerAddress address, @Nullable TlsConfig tls) {
    return remoteTracker(List.of(address), tls);
  }

  /**
   * A client of the nodes of one tracker at {@code addresses}, in order of preference, over TLS
   * with {@code tls} (plain TCP if null), speaking for a fresh random peer id (over TLS, the id its certificate proves): each request goes
   * to the first node that answers, as {@link ClientBuilder#trackers} describes.
   *
   * @param addresses the nodes' hosts and ports, most preferred first
   * @param tls this node's key and the swarm's trust store, or null for plain TCP
   * @return the remote tracker, not yet connected
   */
  public static Tracker remoteTracker(List<PeerAddress> addresses, @Nullable TlsConfig tls) {
    return FailoverTracker.connect(addresses, tls == null ? new TcpTransport() : tls.transport(),
        tls == null ? PeerId.random() : tls.peerId(), RemoteTracker.Settings.DEFAULTS, FailoverTracker.DEFAULT_REST);
  }

  /**
   * Hashes a file into its manifest with the default 1 MiB chunks.
   *
   * @param file the file to hash
   * @return its manifest
   * @throws StorageException if the file cannot be read or is too large for the chunk size
   */
  public static Manifest manifest(Path file) throws StorageException {
    return manifest(file, Manifest.DEFAULT_CHUNK_SIZE, bytes -> {});
  }

  /**
   * Hashes a file into its manifest, reporting progress as bytes are hashed. Chunk hashes run
   * in parallel on a bounded pool beside the whole-file hash; each byte is read once.
   *
   * @param file the file to hash
   * @param chunkSize a power of two from 16 KiB to 16 MiB
   * @param progress called with the number of bytes just hashed, on the calling thread
   * @return its manifest

   * @throws StorageException if the file cannot be read or is too large for the chunk size
   */
  public static Manifest manifest(Path file, int chunkSize, LongConsumer progress) throws StorageException {
    return ManifestBuilder.build(file, chunkSize, progress);
  }

  /**
   * Hashes a directory into its tree manifest, without sharing anything: every regular file is
   * hashed with {@code chunkSize}, links and special files are skipped. The result names the tree
   * after the directory.
   *
   * @param directory the directory to list
   * @param chunkSize a power of two from 16 KiB to 16 MiB
   * @param progress called with the number of bytes just hashed, on the calling thread
   * @return the tree, with its id and entries in canonical order
   * @throws SwarmException if the directory cannot be read, or a path in it breaks the tree
   *     rules ({@code docs/FILE-ID.md}, "Trees")
   */
  public static SharedTree tree(Path directory, int chunkSize, LongConsumer progress) throws SwarmException {
    Path dir = directory.toAbsolutePath().normalize();
    var tree = TreeShare.build(dir, chunkSize, progress, (found, manifest) -> {});
    Path name = dir.getFileName();
    return new SharedTree(tree.id(), name == null ? "root" : name.toString(), dir, tree.entries());
  }

  /**
   * The id of the tree whose listing a search result names, asking the tracker; empty if the
   * result is not a tree's listing (see {@link FileEntry#isTree()}) or its id is not registered.
   *
   * @param tracker the tracker the result came from
   * @param listing a search result
   * @return the tree's id
   * @throws SwarmException if the tracker cannot be reached or refuses the query
   */
  public static Optional<TreeId> treeId(Tracker tracker, FileEntry listing) throws SwarmException {
    if (!listing.isTree()) {
      return Optional.empty();
    }
    if (TreeNames.isAlias(listing.name())) {
      return Optional.of(new TreeId(listing.name().substring(0, 64)));
    }
    return Optional.ofNullable(TreeFetch.idOf(tracker, listing.id()));
  }
}
