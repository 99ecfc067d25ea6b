package io.swarmshare.api;

/** Choices for {@link SwarmClient#download}. */
public enum DownloadOption {
  /**
   * Replace a file that already exists under the final name instead of failing. A symbolic link
   * there is replaced itself, never its target; without this option a link, even a dangling
   * one, counts as an existing file.
   */
  OVERWRITE,
  /** Do not keep serving the file once it is complete. */
  NO_SEED
}
