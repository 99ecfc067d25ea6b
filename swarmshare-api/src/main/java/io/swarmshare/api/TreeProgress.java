package io.swarmshare.api;

/**
 * A tree download's progress as a whole.
 *
 * @param bytesDone bytes in place and verified (fetched, resumed or reused)
 * @param bytesTotal the sum of the tree's file sizes
 * @param filesDone files complete
 * @param filesTotal files in the tree
 */
public record TreeProgress(long bytesDone, long bytesTotal, int filesDone, int filesTotal) {}
