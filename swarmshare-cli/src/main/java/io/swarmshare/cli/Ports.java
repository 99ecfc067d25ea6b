package io.swarmshare.cli;

/** Checks port options, so a typo is a usage error (exit 2) rather than a failure. */
final class Ports {
  private Ports() {}

  static int check(int port, String option) {
    if (port < 0 || port > 65535) {
      throw new Errors.UsageException(option + " must be 0 to 65535 (0 picks a free port), got " + port);
    }
    return port;
  }
}
