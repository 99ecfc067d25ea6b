package io.swarmshare.internal.tracker;

import io.swarmshare.internal.protocol.Limits;
import java.time.Duration;
import java.util.Objects;

/**
 * The caps of an {@link InMemoryTracker}, so that no sequence of requests can make it hold more
 * than a known amount of memory, and no one address can take what the others need. A request
 * that would break one is refused with {@code busy}. The per-address quotas count what requests
 * from one address (as {@link Origin#address()} names it) hold now, and do not apply to calls
 * made in the tracker's own process.
 *
 * @param peerTtl how long a peer stays listed after its last announce; a file nobody announced
 *     for this long (and with no live peer) is forgotten too
 * @param unannouncedTtl how long a registered file that nobody has announced yet is kept; short,
 *     since a client announces right after it registers, so junk registrations cannot hold the
 *     file table for long (registering again does not extend it)
 * @param maxFiles most files known at once
 * @param maxNamesPerFile most names one file is listed under
 * @param maxPeersPerFile most peers listed for one file
 * @param maxPeers most (file, peer) entries in all
 * @param maxFilesPerPeer most files one peer id may announce
 * @param maxSearchResults most results one search returns
 * @param maxStoredBytes most bytes of manifests, bitfields and names held in all
 * @param maxPendingFilesPerAddress most files one address has registered that nobody has
 *     announced yet
 * @param maxEntriesPerAddress most (file, peer) entries announced from one address
 * @param maxNamesPerAddress most names of one file added from one address; below
 *     {@code maxNamesPerFile} so that no one address can fill a file's names
 * @param maxBytesPerAddress most bytes of state held for one address's requests
 */
public record TrackerLimits(
    Duration peerTtl,
    Duration unannouncedTtl,
    int maxFiles,
    int maxNamesPerFile,
    int maxPeersPerFile,
    int maxPeers,
    int maxFilesPerPeer,
    int maxSearchResults,
    long maxStoredBytes,
    int maxPendingFilesPerAddress,
    int maxEntriesPerAddress,
    int maxNamesPerAddress,
    long maxBytesPerAddress) {
  /**
   * One minute: clients re-announce every 20 s, so a peer that misses three announces in a row
   * (killed, cut off) is forgotten before downloaders waste long on its address.
   */
  public static final Duration DEFAULT_PEER_TTL = Duration.ofSeconds(60);

  /** 30 s for a registered file to get its first announce: a client announces at once. */
  public static final Duration DEFAULT_UNANNOUNCED_TTL = Duration.ofSeconds(30);

  /**
   * The documented defaults: 10 000 files, 200 000 peer entries, 256 MiB of state; per address
   * 256 files registered and not yet announced, 4 096 peer entries, 4 of a file's 16 names and
   * 64 MiB of state.
   */
  public static final TrackerLimits DEFAULTS = new TrackerLimits(
      DEFAULT_PEER_TTL, DEFAULT_UNANNOUNCED_TTL, 10_000, 16, 5_000, 200_000, 4_096, Limits.MAX_RESULTS_PER_REPLY,
      256L << 20, 256, 4_096, 4, 64L << 20);

  /**
   * Caps without per-address quotas of their own: the default quotas, an address allowed as many
   * names of a file as {@code maxNamesPerFile} up to the default, and at most
   * {@link #DEFAULT_UNANNOUNCED_TTL} (or {@code peerTtl} if shorter) for unannounced files.
   */
  public TrackerLimits(Duration peerTtl, int maxFiles, int maxNamesPerFile, int maxPeersPerFile, int maxPeers,
      int maxFilesPerPeer, int maxSearchResults, long maxStoredBytes) {
    this(peerTtl, min(DEFAULT_UNANNOUNCED_TTL, peerTtl), maxFiles, maxNamesPerFile, maxPeersPerFile, maxPeers,
        maxFilesPerPeer, maxSearchResults, maxStoredBytes, DEFAULTS.maxPendingFilesPerAddress,
        DEFAULTS.maxEntriesPerAddress, Math.min(DEFAULTS.maxNamesPerAddress, maxNamesPerFile),
        DEFAULTS.maxBytesPerAddress);
  }

  /** Checks that every cap is positive and the search cap fits one reply. */
  public TrackerLimits {
    Objects.requireNonNull(peerTtl, "peerTtl");
    Objects.requireNonNull(unannouncedTtl, "unannouncedTtl");
    if (peerTtl.isNegative() || peerTtl.isZero()) {
      throw new IllegalArgumentException("peer time-to-live must be positive, got " + peerTtl);
    }
    if (unannouncedTtl.isNegative() || unannouncedTtl.isZero()) {
      throw new IllegalArgumentException("unannounced time-to-live must be positive, got " + unannouncedTtl);
    }
    if (maxFiles < 1 || maxNamesPerFile < 1 || maxPeersPerFile < 1 || maxPeers < 1 || maxFilesPerPeer < 1
        || maxSearchResults < 1 || maxStoredBytes < 1 || maxPendingFilesPerAddress < 1 || maxEntriesPerAddress < 1
        || maxNamesPerAddress < 1 || maxBytesPerAddress < 1) {
      throw new IllegalArgumentException("tracker caps must be positive");
    }
    if (maxNamesPerAddress > maxNamesPerFile) {
      throw new IllegalArgumentException("an address cannot add more names (" + maxNamesPerAddress
          + ") than a file has (" + maxNamesPerFile + ")");
    }
    if (maxSearchResults > Limits.MAX_RESULTS_PER_REPLY) {
      throw new IllegalArgumentException("at most " + Limits.MAX_RESULTS_PER_REPLY + " search results fit one reply");
    }
  }

  /** A copy with another peer time-to-live. */
  public TrackerLimits withPeerTtl(Duration ttl) {
    return new TrackerLimits(ttl, min(unannouncedTtl, ttl), maxFiles, maxNamesPerFile, maxPeersPerFile, maxPeers,
        maxFilesPerPeer, maxSearchResults, maxStoredBytes, maxPendingFilesPerAddress, maxEntriesPerAddress,
        maxNamesPerAddress, maxBytesPerAddress);
  }

  /** A copy with another cap on the bytes of state held in all. */
  public TrackerLimits withMaxStoredBytes(long bytes) {
    return new TrackerLimits(peerTtl, unannouncedTtl, maxFiles, maxNamesPerFile, maxPeersPerFile, maxPeers,
        maxFilesPerPeer, maxSearchResults, bytes, maxPendingFilesPerAddress, maxEntriesPerAddress,
        maxNamesPerAddress, maxBytesPerAddress);
  }

  /** A copy with other per-address quotas. */
  public TrackerLimits withPerAddress(int pendingFiles, int entries, int namesPerFile, long bytes) {
    return new TrackerLimits(peerTtl, unannouncedTtl, maxFiles, maxNamesPerFile, maxPeersPerFile, maxPeers,
        maxFilesPerPeer, maxSearchResults, maxStoredBytes, pendingFiles, entries, namesPerFile, bytes);
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  /**
   * Checks a name a file is shared under: 1 to {@link Limits#MAX_NAME_LENGTH} characters (code
   * points, {@link Limits#characters}), Unicode text (no unpaired surrogate, which the wire
   * refuses), no control characters (they would corrupt a terminal or a log line).
   *
   * @throws IllegalArgumentException saying what is wrong
   */
  public static String checkName(String name) {
    int length = checkText(name, "a name");
    if (length == 0 || length > Limits.MAX_NAME_LENGTH) {
      throw new IllegalArgumentException("a name is 1 to " + Limits.MAX_NAME_LENGTH + " characters, got " + length);
    }
    if (name.codePoints().anyMatch(Character::isISOControl)) {
      throw new IllegalArgumentException("a name must not contain control characters");
    }
    return name;
  }

  /**
   * Checks a search text: Unicode text of at most {@link Limits#MAX_SEARCH_TEXT_LENGTH}
   * characters (code points).
   *
   * @throws IllegalArgumentException if it is longer, or holds an unpaired surrogate
   */
  public static String checkSearchText(String text) {
    if (checkText(text, "search text") > Limits.MAX_SEARCH_TEXT_LENGTH) {
      throw new IllegalArgumentException("search text is at most " + Limits.MAX_SEARCH_TEXT_LENGTH + " characters");
    }
    return text;
  }

  /** The length of {@code s} in characters; throws if it holds an unpaired surrogate. */
  private static int checkText(String s, String what) {
    int length = 0;
    for (int i = 0; i < s.length(); i += Character.charCount(s.codePointAt(i)), length++) {
      if (Character.isSurrogate(s.charAt(i)) && !Character.isSupplementaryCodePoint(s.codePointAt(i))) {
        throw new IllegalArgumentException(what + " must be Unicode text; it holds an unpaired surrogate");
      }
    }
    return length;
  }

  /**
   * Checks a result limit: 0 or more.
   *
   * @throws IllegalArgumentException if negative
   */
  public static int checkLimit(int limit) {
    if (limit < 0) {
      throw new IllegalArgumentException("limit must not be negative, got " + limit);
    }
    return limit;
  }
}
