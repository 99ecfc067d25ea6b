package io.swarmshare.cli;

import io.swarmshare.SwarmShare;
import io.swarmshare.api.FileEntry;
import io.swarmshare.api.PeerAddress;
import io.swarmshare.api.Tracker;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code swarmshare search TEXT}: asks a tracker for files whose name contains TEXT and lists
 * id, size, peers and name; with {@code --json}, one JSON object per line (JSON Lines), nothing
 * at all when nothing matches. Names in the table are escaped ({@link TerminalText}); JSON has them exact.
 */
@Command(name = "search", mixinStandardHelpOptions = true,
    description = "List files on a tracker whose name contains TEXT (ignoring case): id, size, peers, name.")
final class SearchCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin CommonOptions common;
  @Mixin TlsOptions tls;

  @Parameters(paramLabel = "TEXT", arity = "0..1", defaultValue = "",
      description = "Text to look for in file names; empty lists every file.")
  String text;

  @Mixin TrackerOption trackerOption;

  @Option(names = "--limit", paramLabel = "N", defaultValue = "50",
      description = "Most results to show, at most 50 (default: ${DEFAULT-VALUE}).")
  int limit;

  @Option(names = "--json", description = "Print one JSON object per result line instead of a table.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    if (limit < 0) {
      throw new Errors.UsageException("--limit must not be negative, got " + limit);
    }
    List<PeerAddress> addresses = trackerOption.addresses();
    String address = TrackerOption.describe(addresses);
    List<FileEntry> found;
    try (Tracker t = SwarmShare.remoteTracker(addresses, tls.config())) {
      found = t.search(text, limit);
    }
    var out = spec.commandLine().getOut();
    if (json) {
      for (FileEntry e : found) {
        out.println(Json.object().put("id", e.id().hex()).put("name", e.name()).put("size", e.size())
            .put("peers", e.peers()));
      }
    } else if (found.isEmpty()) {
      if (!common.quiet) {
        spec.commandLine().getErr().println("no files on " + address + " match '" + TerminalText.escape(text) + "'");
      }
    } else {
      out.printf("%-64s  %10s  %5s  %s%n", "ID", "SIZE", "PEERS", "NAME");
      for (FileEntry e : found) {
        out.printf("%-64s  %10s  %5d  %s%n", e.id().hex(), Sizes.format(e.size()), e.peers(), TerminalText.escape(e.name()));
      }
    }
    out.flush();
    return Main.OK;
  }
}
