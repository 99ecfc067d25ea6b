package io.swarmshare.api;

import java.nio.file.Path;
import java.util.List;

/**
 * A peer in swarms: shares files, downloads them from other peers, and serves every chunk it
 * holds to others while it runs. Everything it shares or downloads is announced to one tracker.
 *
 * <p>Thread-safe: many downloads and shares may run at once. Closing the client cancels its
 * downloads (their verified chunks stay on disk for a later resume), stops serving and tells
 * the tracker it left.
 */
public interface SwarmClient extends AutoCloseable {
  /** {@return this client's id, sent in every {@code hello}} */
  PeerId id();

  /** {@return where this client serves chunks to other peers} */
  PeerAddress address();

  /**
   * Hashes a file, registers it with the tracker under its file name, and serves it until the
   * client closes or {@link #unshare} is called. The file must not change while it is shared.
   *
   * @param file the file to share
   * @return the shared file, with its manifest and id
   * @throws StorageException if the file cannot be read
   * @throws SwarmException if the tracker refuses the file or cannot be reached
   */
  default SharedFile share(Path file) throws SwarmException {
    Path name = file.getFileName();
    return share(file, name == null ? file.toString() : name.toString());
  }

  /**
   * As {@link #share(Path)}, registered under {@code name} instead of the file's name.
   *
   * @param file the file to share
   * @param name the name others find it under
   * @return the shared file, with its manifest and id
   * @throws SwarmException if the file cannot be read, or the tracker refuses it or cannot be
   *     reached
   */
  default SharedFile share(Path file, String name) throws SwarmException {
    return share(file, name, bytes -> {});
  }

  /**
   * As {@link #share(Path, String)}, reporting hashing progress: {@code hashedBytes} is called
   * on the calling thread with the number of bytes just hashed, for a progress bar.
   *
   * @param file the file to share
   * @param name the name others find it under
   * @param hashedBytes called with each count of bytes just hashed
   * @return the shared file, with its manifest and id
   * @throws SwarmException if the file cannot be read, or the tracker refuses it or cannot be
   *     reached
   */
  SharedFile share(Path file, String name, java.util.function.LongConsumer hashedBytes) throws SwarmException;

  /**
   * Shares a directory as one unit: hashes and shares every regular file in it (each under its
   * own file name, so single files stay reachable), builds the tree manifest (relative paths in
   * canonical order with sizes and file ids, empty directories included; see
   * {@code docs/FILE-ID.md}) and registers it under {@code name}. Symbolic links and other
   * special files inside are skipped, never followed.
   *
   * @param directory the directory to share
   * @param name the name others find the tree under
   * @param hashedBytes called on the calling thread with each count of bytes just hashed
   * @return the shared tree, with its id and entries
   * @throws StorageException if the directory cannot be read, or a path in it breaks the tree
   *     rules (a name no other platform could hold, two names equal but for case, limits)
   * @throws SwarmException if the tracker refuses the tree or cannot be reached
   */
  SharedTree shareTree(Path directory, String name, java.util.function.LongConsumer hashedBytes)
      throws SwarmException;

  /**
   * As {@link #shareTree(Path, String, java.util.function.LongConsumer)}, under the directory's
   * own name, without progress.
   *
   * @param directory the directory to share
   * @return the shared tree
   * @throws SwarmException if the directory cannot be read, breaks the tree rules, or the tracker
   *     refuses the tree or cannot be reached
   */
  default SharedTree shareTree(Path directory) throws SwarmException {
    Path name = directory.toAbsolutePath().normalize().getFileName();
    return shareTree(directory, name == null ? "root" : name.toString(), bytes -> {});
  }

  /**
   * Downloads a tree into {@code directory/NAME}, blocking until every file in it is verified.
   * The listing is fetched from peers and checked against the tree's id, and refused as a whole
   * (before anything is written) if a path in it is unsafe: {@code ..}, absolute, a Windows
   * device name, a control character, two paths equal but for case. Files download a few at a
   * time, each from its own swarm and resumable like a single file; files of equal content are
   * fetched once and copied; files found with the right content at their destination or in a
   * reuse directory are not fetched at all.
   *
   * @param nameOrId the tree's registered name, or its id as 64 hex digits
   * @param directory where the tree's directory is created
   * @param options reuse directories, overwriting, seeding and progress
   * @return what was fetched, resumed and reused
   * @throws UnknownFileException if the tracker knows no such tree
   * @throws IntegrityException if the listing does not hash to the tree's id, or is larger than a
   *     tree may be
   * @throws MalformedManifestException if a path in the listing breaks the rules; nothing was
   *     written
   * @throws StorageException if the directory cannot be written, or a file is in the way and
   *     {@code options} does not allow overwriting
   * @throws SwarmException if a file cannot be fetched
   * @throws InterruptedException if the calling thread is interrupted (downloads stop; what is
   *     verified stays for a later resume)
   */
  TreeDownloadResult downloadTree(String nameOrId, Path directory, TreeOptions options)
      throws SwarmException, InterruptedException;

  /**
   * Stops serving a file and tells the tracker; does nothing if it is not shared.
   *
   * @param id the file to stop serving
   * @throws SwarmException if the tracker cannot be told
   */
  void unshare(FileId id) throws SwarmException;

  /** {@return the files this client serves: those it shares and those it downloaded} */
  List<SharedFile> shared();

  /**
   * Starts downloading a file into {@code directory} and returns at once. The manifest is
   * fetched and checked against {@code id}; every chunk is checked before it is kept; the file
   * appears under its final name only once the whole file matches the manifest, after which
   * this client seeds it. A download of the same id left unfinished in {@code directory} is
   * resumed.
   *
   * @param id the file to fetch
   * @param directory where the file lands
   * @param options how to treat an existing file and similar choices
   * @return the running download
   * @throws StorageException if the directory cannot be written or the download is already
   *     running into it
   */
  Download download(FileId id, Path directory, DownloadOption... options) throws SwarmException;

  /**
   * Lists downloads left unfinished, read from their resume records.
   *
   * @param directory the directory the downloads were writing into
   * @return one entry per resume record found
   * @throws SwarmException if the directory cannot be read
   */
  List<UnfinishedDownload> unfinished(Path directory) throws SwarmException;

  /**
   * Searches the tracker; see {@link Tracker#search}.
   *
   * @param text part of a name, or the start of an id; empty matches every file
   * @param limit the most entries wanted
   * @return the matching files
   * @throws SwarmException if the tracker cannot be reached or refuses the query
   */
  List<FileEntry> search(String text, int limit) throws SwarmException;

  /** Cancels downloads, stops serving, leaves the tracker; idempotent. */
  @Override
  void close();

  /**
   * Bytes of chunks this client has sent to other peers since it started, shared and
   * downloading files alike; a cheap counter, for progress lines and for deciding when a
   * finished download's uploads have gone quiet.
   *
   * @return the byte count; 0 for a client that does not count
   */

  default long bytesUploaded() {
    return 0;
  }

  /**
   * A snapshot of this client's counters since it started: bytes moved, downloads, shared files
   * and peer connections; for dashboards and metrics.
   *
   * @return the counters now
   */
  ClientStats stats();
}
