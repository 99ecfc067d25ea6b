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
   * The six keys of one file, in the order the scripts take them: {@code f} (hash: manifest,
   * chunks, size, active), {@code n} (list of names), {@code p} (sorted set of peers by last
   * announce), {@code h} (peers holding a chunk), {@code s} (peers holding all), {@code i} (hash:
   * peer to its address and bitfield).
   */
  byte[][] file(FileId file) {
    String base = prefix + ":{" + file.hex() + "}:";
    return new byte[][] {
        bytes(base + "f"), bytes(base + "n"), bytes(base + "p"), bytes(base + "h"), bytes(base + "s"), bytes(base + "i")
    };
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
