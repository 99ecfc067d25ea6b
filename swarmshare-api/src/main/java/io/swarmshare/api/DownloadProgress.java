package io.swarmshare.api;

/**
 * A snapshot of a download.
 *
 * @param size the file's size in bytes (0 until the manifest is known)
 * @param verifiedBytes bytes in chunks verified so far, resumed ones included
 * @param chunks the file's chunk count (0 until the manifest is known)
 * @param verifiedChunks chunks verified so far, resumed ones included
 * @param resumedChunks chunks kept from an earlier run after re-hashing
 * @param peers peers currently connected
 * @param bytesPerSecond recent download rate
 */
public record DownloadProgress(
    long size, long verifiedBytes, int chunks, int verifiedChunks, int resumedChunks, int peers, long bytesPerSecond) {

  /** {@return verified bytes as a fraction of the size, from 0 to 1; 0 while the size is 0 (unknown or empty)} */

  public double fraction() {
    return size <= 0 ? 0 : Math.min(1.0, (double) verifiedBytes / size);
  }
}
