package io.swarmshare.api;

/** Choices for {@link SwarmClient#download}. */
public enum DownloadOption {
  /** Replace a file that already exists under the final name instead of failing. */
  OVERWRITE,
  /** Do not keep serving the file once it is complete. */
  NO_SEED
}
