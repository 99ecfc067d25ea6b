package io.swarmshare.cli;

import io.swarmshare.SwarmShare;
import io.swarmshare.api.FileEntry;
import io.swarmshare.api.FileId;
import io.swarmshare.api.PeerAddress;
import io.swarmshare.api.Tracker;
import io.swarmshare.api.TreeId;
import java.util.ArrayList;
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
    description = "List files and trees on a tracker whose name contains TEXT (ignoring case): id, size, peers, name."
        + " A tree shows its tree id, 'tree' for a size, and a name ending in '/'.")
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

  private record Row(String kind, String id, String name, long size, int peers) {}

  private static boolean isIdName(String name) {
    return name.length() == 65 && name.endsWith("/") && FileId.isValid(name.substring(0, 64));
  }

  @Override
  public Integer call() throws Exception {
    if (limit < 0) {
      throw new Errors.UsageException("--limit must not be negative, got " + limit);
    }
    List<PeerAddress> addresses = trackerOption.addresses();
    String address = TrackerOption.describe(addresses);
    var out = spec.commandLine().getOut();
    // A tree is registered under its name and under its id (see PROTOCOL.md, "Trees"): one row
    // per tree, by name, showing the tree's id; an id-only registration shows when the name is gone.
    List<Row> rows = new ArrayList<>();
    try (Tracker t = SwarmShare.remoteTracker(addresses, tls.config())) {
      List<FileEntry> found = t.search(text, limit);
      java.util.Set<FileId> named = new java.util.HashSet<>();
      for (FileEntry e : found) {
        if (e.isTree() && !isIdName(e.name())) {
          named.add(e.id());
        }
      }
      for (FileEntry e : found) {
        if (!e.isTree()) {
          rows.add(new Row("file", e.id().hex(), e.name(), e.size(), e.peers()));
        } else if (!isIdName(e.name()) || !named.contains(e.id())) {
          String id = SwarmShare.treeId(t, e).map(TreeId::hex).orElse(e.id().hex());
          String name = isIdName(e.name()) ? "(unnamed)" : e.name();
          rows.add(new Row("tree", id, name, -1, e.peers()));
        }
      }
    }
    if (json) {
      for (Row r : rows) {
        Json o = Json.object().put("id", r.id()).put("name", r.name());
        if (r.size() >= 0) {
          o.put("size", r.size());
        }
        o.put("peers", r.peers());
        out.println(r.kind().equals("tree") ? o.put("kind", "tree") : o);
      }
    } else if (rows.isEmpty()) {
      if (!common.quiet) {
        spec.commandLine().getErr().println("no files on " + address + " match '" + TerminalText.escape(text) + "'");
      }
    } else {
      out.printf("%-64s  %10s  %5s  %s%n", "ID", "SIZE", "PEERS", "NAME");
      for (Row r : rows) {
        out.printf("%-64s  %10s  %5d  %s%n", r.id(), r.size() < 0 ? "tree" : Sizes.format(r.size()), r.peers(),
            TerminalText.escape(r.name()));
      }
    }
    out.flush();
    return Main.OK;
  }
}
