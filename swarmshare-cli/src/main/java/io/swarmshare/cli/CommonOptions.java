package io.swarmshare.cli;

import picocli.CommandLine.Option;

/** Options every command takes. */
final class CommonOptions {
  @Option(names = {"-v", "--verbose"}, description = "Show stack traces and debug detail on errors.")
  void verbose(boolean v) {
    Errors.verbose = v;
  }

  @Option(names = {"-q", "--quiet"}, description = "No progress output.")
  boolean quiet;
}
