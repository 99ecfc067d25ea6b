package io.swarmshare.api;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * How {@link SwarmClient#downloadTree} treats what is already on disk and whom it tells of its
 * progress. Immutable; each {@code with} method returns a copy.
 *
 * @param reuse directories searched for files of equal content, copied instead of downloaded
 * @param link hard-link reused files instead of copying them, where the file system allows
 *     (the copy then shares its bytes with the original: editing one edits both)
 * @param overwrite replace files in the way whose content differs from the tree's
 * @param seed keep serving the tree's files once it is complete, as a file download does
 * @param progress called from the download's thread about every 200 ms and once at the end
 */
public record TreeOptions(List<Path> reuse, boolean link, boolean overwrite, boolean seed,
    Consumer<TreeProgress> progress) {
  /** No reuse directories, copies, no overwriting, seeding, no progress listener. */
  public static final TreeOptions DEFAULTS = new TreeOptions(List.of(), false, false, true, p -> {});

  /** Checks that no part is null; copies the list. */
  public TreeOptions {
    reuse = List.copyOf(reuse);
    Objects.requireNonNull(progress, "progress");
  }

  /**
   * A copy that also looks in {@code directory} for files to reuse.
   *
   * @param directory a directory (searched recursively, links not followed)
   * @return the copy
   */
  public TreeOptions withReuse(Path directory) {
    List<Path> more = new ArrayList<>(reuse);
    more.add(directory);
    return new TreeOptions(more, link, overwrite, seed, progress);
  }

  /**
   * A copy that hard-links reused files ({@code true}) or copies them.
   *
   * @param link whether to hard-link
   * @return the copy
   */
  public TreeOptions withLink(boolean link) {
    return new TreeOptions(reuse, link, overwrite, seed, progress);
  }

  /**
   * A copy that replaces (or keeps) files in the way.
   *
   * @param overwrite whether to replace them
   * @return the copy
   */
  public TreeOptions withOverwrite(boolean overwrite) {
    return new TreeOptions(reuse, link, overwrite, seed, progress);
  }

  /**
   * A copy that seeds the files once complete, or not.
   *
   * @param seed whether to seed
   * @return the copy
   */
  public TreeOptions withSeed(boolean seed) {
    return new TreeOptions(reuse, link, overwrite, seed, progress);
  }

  /**
   * A copy that reports progress to {@code listener}.
   *
   * @param listener called with the tree's progress
   * @return the copy
   */
  public TreeOptions withProgress(Consumer<TreeProgress> listener) {
    return new TreeOptions(reuse, link, overwrite, seed, listener);
  }
}
