package io.swarmshare.api;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A download found on disk that has not completed, as its resume record describes it. The
 * record is a hint: chunks are re-hashed before a resume trusts them.
 *
 * @param id the file being downloaded
 * @param name the name it will have
 * @param directory where it is being downloaded
 * @param size the file's size
 * @param chunksRecorded how many chunks the record names as verified
 * @param chunks how many chunks the file has
 */
public record UnfinishedDownload(FileId id, String name, Path directory, long size, int chunksRecorded, int chunks) {
  /** Checks that no part is null. */
  public UnfinishedDownload {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(directory, "directory");
  }
}
