package io.swarmshare.cli;

import java.util.Locale;

/** Parses and prints byte counts the way people write them: 64M, 1G, 512K, 1.5GiB. */
final class Sizes {
  private Sizes() {}

  /**
   * Parses a size such as {@code 1048576}, {@code 512K}, {@code 64M}, {@code 1G}, {@code 2GiB}.
   * Suffixes are binary (K = 1024).
   *
   * @throws Errors.UsageException if the text is not a size
   */
  static long parse(String text) {
    String s = text.strip().toUpperCase(Locale.ROOT);
    if (s.endsWith("IB")) {
      s = s.substring(0, s.length() - 2);
    } else if (s.endsWith("B")) {
      s = s.substring(0, s.length() - 1);
    }
    long unit = 1;
    if (!s.isEmpty()) {
      switch (s.charAt(s.length() - 1)) {
        case 'K' -> unit = 1L << 10;
        case 'M' -> unit = 1L << 20;
        case 'G' -> unit = 1L << 30;
        case 'T' -> unit = 1L << 40;
        default -> unit = 1;
      }
      if (unit != 1) {
        s = s.substring(0, s.length() - 1);
      }
    }
    try {
      double value = Double.parseDouble(s);
      if (value < 0 || Double.isNaN(value) || value * unit > Long.MAX_VALUE) {
        throw new NumberFormatException();
      }
      return (long) (value * unit);
    } catch (NumberFormatException e) {
      throw new Errors.UsageException("'" + text + "' is not a size; write for example 1048576, 512K, 64M or 1G");
    }
  }

  /** Formats bytes for people: {@code 1.5 GiB}, {@code 64.0 MiB}, {@code 12 B}. */
  static String format(long bytes) {
    if (bytes < 1024) {
      return bytes + " B";
    }
    String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB"};
    double v = bytes;
    int u = -1;
    while (v >= 1024 && u < units.length - 1) {
      v /= 1024;
      u++;
    }
    return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
  }
}
