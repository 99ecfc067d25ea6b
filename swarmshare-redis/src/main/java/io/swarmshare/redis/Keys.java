package io.swarmshare.redis;

import io.swarmshare.api.FileId;
import io.swarmshare.api.PeerId;
import java.nio.charset.StandardCharsets;

/**
 * The key layout, written down in docs/REDIS.md. A file's keys carry its id as a hash tag
 * ({@code {hex}}), so they share one Redis Cluster slot and one script can change them together;
 * the catalog keys and each peer's file list are single keys of their own.
 */
final class Keys {
  private final String prefix;

  Keys(String prefix) {
    this.prefix = prefix;
  }

  /**
   * The seven keys of one file, in the order the scripts take them: {@code f} (hash: manifest,
   * chunks, size, active, announced, registrant), {@code n} (list of names), {@code p} (sorted
   * set of peers by last announce), {@code h} (peers holding a chunk), {@code s} (peers holding
   * all), {@code i} (hash: peer to its address and bitfield), {@code o} (hash: name to the address
   * that added it).
   */
  byte[][] file(FileId file) {
    String base = prefix + ":{" + file.hex() + "}:";
    return new byte[][] {
        bytes(base + "f"), bytes(base + "n"), bytes(base + "p"), bytes(base + "h"), bytes(base + "s"), bytes(base + "i"),
        bytes(base + "o")
    };
  }

  /** The origin a peer id is bound to while it is listed (a string with the peer TTL). */
  byte[] binding(PeerId peer) {
    return bytes(prefix + ":bind:{" + peer.value() + "}");
  }

  /** Sorted set of the files an address registered that nobody announced yet, by registration time. */
  byte[] pending(String address) {
    return bytes(pendingStart() + address + "}");
  }

  /** {@link #pending} without the address and the closing brace: the announce script completes it. */
  byte[] pendingPrefix() {
    return bytes(pendingStart());
  }

  private String pendingStart() {
    return prefix + ":pending:{";
  }

  /** Sorted set of the (file, peer) entries announced from an address, by last announce. */
  byte[] entries(String address) {
    return bytes(prefix + ":entries:{" + address + "}");
  }

  /** Sorted set of file ids by last register or announce: what search and the file cap count. */
  byte[] files() {
    return bytes(prefix + ":files");
  }

  /** Hash of file id to its size and names, one per line: what search reads. */
  byte[] catalog() {
    return bytes(prefix + ":catalog");
  }

  /** Sorted set of the files a peer announces, by last announce: the per-peer file cap. */
  byte[] peerFiles(PeerId peer) {
    return bytes(prefix + ":peer:{" + peer.value() + "}");
  }

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static String string(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }
}
