package io.swarmshare.api;

import java.util.List;
import java.util.Optional;

/**
 * Knows, for every file, its manifest, the names it was shared under and which peers hold
 * which of its chunks. It never sees file bytes.
 *
 * <p>The same contract has three shapes: a tracker in this process, a server exposing any
 * tracker on a port, and a client of a remote one; code that takes a {@code Tracker} works
 * with all three. Implementations are thread-safe. Methods of a remote tracker throw
 * {@link TrackerUnavailableException} when it cannot be reached and {@link ProtocolException}
 * when it refuses a request; an in-process tracker throws {@link IllegalArgumentException} for
 * requests that break its limits.
 */
public interface Tracker extends AutoCloseable {
  /**
   * Records a file and a name it is shared under. Registering the same file again adds the
   * name (up to a limit); the manifest is checked against its own id, so a tracker never
   * stores a manifest that does not hash to the id it is filed under.
   *
   * @param manifest the file's manifest
   * @param name a name the file is shared under
   * @throws SwarmException if the tracker refuses the file or cannot be reached
   */
  void register(Manifest manifest, String name) throws SwarmException;

  /**
   * Says that a peer holds the chunks in {@code announcement.have()} of a file the tracker
   * knows, and refreshes the peer's time-to-live. Each announce replaces the peer's previous
   * bitfield, so announcements are idempotent and may be batched freely. What the peer reports
   * of its progress ({@link Announcement#progress()}) is for display only: an implementation may
   * keep it for its operator's figures or ignore it, and decides nothing by it.
   *
   * @param announcement the peer, its address, the file and the chunks it holds
   * @throws UnknownFileException if the file was never registered
   */
  void announce(Announcement announcement) throws SwarmException;

  /**
   * Says that a peer no longer serves a file. Unknown files and peers are ignored.
   *
   * @param file the file
   * @param peer the peer that stopped serving it
   * @throws SwarmException if a remote tracker cannot be reached or refuses the request
   */
  void leave(FileId file, PeerId peer) throws SwarmException;

  /**
   * The live peers of a file, with their bitfields, at most {@code limit} of them: a random
   * sample, different for each call, that always holds a few seeders while there are any (see
   * {@code docs/PROTOCOL.md}, {@code peers}).
   *
   * @param file the file
   * @param limit the most peers wanted (a tracker may cap it lower)
   * @return the sampled peers

   * @throws UnknownFileException if the file was never registered
   */
  List<PeerInfo> peers(FileId file, int limit) throws SwarmException;

  /**
   * Looks up the manifest of a file.
   *
   * @param file the file
   * @return its manifest, or empty if the tracker does not know it
   * @throws SwarmException if a remote tracker cannot be reached or refuses the request
   */
  Optional<Manifest> manifest(FileId file) throws SwarmException;

  /**
   * Files whose name contains {@code text}, ignoring case, or whose id starts with it (8 hex
   * digits or more); at most {@code limit} of them (the tracker may cap it lower). An empty text
   * matches every file.
   *
   * @param text part of a name, or the start of an id; empty matches every file
   * @param limit the most entries wanted
   * @return the matching files
   * @throws SwarmException if a remote tracker cannot be reached or refuses the request
   */

  List<FileEntry> search(String text, int limit) throws SwarmException;

  /** Stops the tracker or disconnects from it; idempotent. */
  @Override
  void close();
}
