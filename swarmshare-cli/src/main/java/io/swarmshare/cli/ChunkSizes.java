package io.swarmshare.cli;

import io.swarmshare.api.Manifest;

/** Parses {@code --chunk-size} and says exactly what is allowed when it is wrong. */
final class ChunkSizes {
  private ChunkSizes() {}

  static int parse(String text) {
    long size = Sizes.parse(text);
    if (size < Manifest.MIN_CHUNK_SIZE || size > Manifest.MAX_CHUNK_SIZE || Long.bitCount(size) != 1) {
      throw new Errors.UsageException(
          "--chunk-size must be a power of two from 16K to 16M (for example 256K, 1M, 4M), got " + text);
    }
    return (int) size;
  }
}
