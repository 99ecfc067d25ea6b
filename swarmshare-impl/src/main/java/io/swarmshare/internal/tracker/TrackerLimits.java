package io.swarmshare.internal.tracker;

import io.swarmshare.internal.protocol.Limits;
import java.time.Duration;
import java.util.Objects;

/**
 * The caps of an {@link InMemoryTracker}, so that no sequence of requests can make it hold more
 * than a known amount of memory. A request that would break one is refused with {@code busy}.
 *
 * @param peerTtl how long a peer stays listed after its last announce; a file nobody registered
 *     or announced for this long is forgotten too
 * @param maxFiles most files known at once
 * @param maxNamesPerFile most names one file is listed under
 * @param maxPeersPerFile most peers listed for one file
 * @param maxPeers most (file, peer) entries in all
 * @param maxFilesPerPeer most files one peer id may announce
 * @param maxSearchResults most results one search returns
 * @param maxStoredBytes most bytes of manifests, bitfields and names held in all
 */
public record TrackerLimits(
    Duration peerTtl,
    int maxFiles,
    int maxNamesPerFile,
    int maxPeersPerFile,
    int maxPeers,
    int maxFilesPerPeer,
    int maxSearchResults,
    long maxStoredBytes) {
  /**
   * One minute: clients re-announce every 20 s, so a peer that misses three announces in a row
   * (killed, cut off) is forgotten before downloaders waste long on its address.
   */
  public static final Duration DEFAULT_PEER_TTL = Duration.ofSeconds(60);

  /** The documented defaults: 10 000 files, 200 000 peer entries, 256 MiB of state. */
  public static final TrackerLimits DEFAULTS = new TrackerLimits(
      DEFAULT_PEER_TTL, 10_000, 16, 5_000, 200_000, 4_096, Limits.MAX_RESULTS_PER_REPLY, 256L << 20);

  /** Checks that every cap is positive and the search cap fits one reply. */
  public TrackerLimits {
    Objects.requireNonNull(peerTtl, "peerTtl");
    if (peerTtl.isNegative() || peerTtl.isZero()) {
      throw new IllegalArgumentException("peer time-to-live must be positive, got " + peerTtl);
    }
    if (maxFiles < 1 || maxNamesPerFile < 1 || maxPeersPerFile < 1 || maxPeers < 1 || maxFilesPerPeer < 1
        || maxSearchResults < 1 || maxStoredBytes < 1) {
      throw new IllegalArgumentException("tracker caps must be positive");
    }
    if (maxSearchResults > Limits.MAX_RESULTS_PER_REPLY) {
      throw new IllegalArgumentException("at most " + Limits.MAX_RESULTS_PER_REPLY + " search results fit one reply");
    }
  }

  /** A copy with another peer time-to-live. */
  public TrackerLimits withPeerTtl(Duration ttl) {
    return new TrackerLimits(ttl, maxFiles, maxNamesPerFile, maxPeersPerFile, maxPeers, maxFilesPerPeer,
        maxSearchResults, maxStoredBytes);
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
