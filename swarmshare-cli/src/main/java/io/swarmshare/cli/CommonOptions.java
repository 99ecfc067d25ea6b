package io.swarmshare.cli;

import picocli.CommandLine.Option;

/** Options every command takes. */
final class CommonOptions {
  @Option(names = {"-v", "--verbose"}, description = "Show stack traces on errors and the library's debug log.")
  void verbose(boolean v) {
    Errors.verbose = v;
    if (v) {
      Logging.verbose();
    }
  }

  @Option(names = {"-q", "--quiet"}, description = "No progress output.")
  boolean quiet;
}
