package io.swarmshare.api;

import java.nio.file.Path;
import java.util.Objects;

/**
 * What a finished tree download did. Every file in the tree was verified against its id, and
 * the listing against the tree's id, before this is returned.
 *
 * @param id the tree's id
 * @param path the directory the tree now lies in ({@code directory/NAME})
 * @param files how many files the tree holds
 * @param size the sum of the files' sizes in bytes
 * @param chunksDownloaded chunks fetched from peers by this run
 * @param chunksResumed chunks kept from an earlier, interrupted run (re-hashed, not trusted)
 * @param bytesReused bytes not fetched because a file of equal content was already here: at its
 *     destination, in a reuse directory, or elsewhere in the same tree
 */
public record TreeDownloadResult(
    TreeId id, Path path, int files, long size, long chunksDownloaded, long chunksResumed, long bytesReused) {
  /** Checks that no part is null and no count is negative. */
  public TreeDownloadResult {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(path, "path");
    if (files < 0 || size < 0 || chunksDownloaded < 0 || chunksResumed < 0 || bytesReused < 0) {
      throw new IllegalArgumentException("counts must not be negative");
    }
  }
}
