package io.swarmshare.cli;

import org.jspecify.annotations.Nullable;

/** Parses a rate option: bytes per second with optional K/M/G suffix and optional "/s". */
final class Rates {
  private Rates() {}

  static long parse(@Nullable String text) {
    return parse(text, "--max-rate");
  }

  /** Parses the value of {@code option}; null (not given) is 0, no limit. */
  static long parse(@Nullable String text, String option) {
    if (text == null) {
      return 0;
    }
    String s = text.strip();
    if (s.endsWith("/s")) {
      s = s.substring(0, s.length() - 2);
    }
    long v = Sizes.parse(s);
    if (v <= 0) {
      throw new Errors.UsageException(option + " must be positive, for example 20M (20 MiB/s)");
    }
    return v;
  }
}
