package io.swarmshare.cli;

import io.swarmshare.SwarmShare;
import io.swarmshare.api.Download;
import io.swarmshare.api.DownloadResult;
import io.swarmshare.api.FileEntry;
import io.swarmshare.api.FileId;
import io.swarmshare.api.SharedFile;
import io.swarmshare.api.SwarmClient;
import io.swarmshare.api.SwarmException;
import io.swarmshare.api.UnfinishedDownload;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * The session behind {@code swarmshare menu}: one command per line, read until {@code q} or the
 * end of input. A command that fails prints its error and the menu goes on; the session then
 * ends with exit code 1, so a script that pipes commands in learns about it. Not thread-safe.
 */
final class Menu {
  private static final String HELP = """
      Commands (the first letter is enough):
        s [TEXT]      search the tracker; no TEXT lists every file
        d N|ID|NAME   download result N of the last search, or a file by id or name
        l             list what this peer shares and has downloaded
        a PATH        share a file, or every file in a directory
        h             show this help
        q             quit (end of input quits too)""";

  private final SwarmClient client;
  private final String tracker;
  private final BufferedReader in;
  private final PrintWriter out;
  private final PrintWriter err;
  private final Path downloads;
  private final boolean quiet;
  private final boolean echo;
  private final Set<FileId> downloaded = new HashSet<>();
  private List<FileEntry> lastSearch = List.of();
  private boolean failed;

  /**
   * @param echo repeat each command after its prompt, for input that is piped in and so not
   *     shown by a terminal
   */
  Menu(SwarmClient client, String tracker, BufferedReader in, PrintWriter out, PrintWriter err, Path downloads,
      boolean quiet, boolean echo) {
    this.client = client;
    this.tracker = tracker;
    this.in = in;
    this.out = out;
    this.err = err;
    this.downloads = downloads;
    this.quiet = quiet;
    this.echo = echo;
  }

  /**
   * Shares {@code files}, then reads commands until told to quit.
   *
   * @return the exit code: 0, or 1 if a command failed
   * @throws SwarmException if one of {@code files} cannot be shared
   */
  int run(List<Path> files) throws SwarmException, IOException, InterruptedException {
    out.printf(Locale.ROOT, "SwarmShare %s menu: tracker %s, serving on port %d, downloads go to %s%n",
        SwarmShare.version(), tracker, client.address().port(), TerminalText.escape(downloads.toString()));
    for (Path f : files) {
      share(f);
    }
    if (files.isEmpty()) {
      checkTracker();
    }
    out.println(HELP);
    while (true) {
      String line = ask("> ");
      if (line == null) {
        out.println();
        break;
      }
      line = line.strip();
      if (line.isEmpty()) {
        continue;
      }
      int space = line.indexOf(' ');
      String command = (space < 0 ? line : line.substring(0, space)).toLowerCase(Locale.ROOT);
      String argument = space < 0 ? "" : line.substring(space + 1).strip();
      if (command.equals("q") || command.equals("quit") || command.equals("exit")) {
        break;
      }
      try {
        switch (command) {
          case "s", "search" -> search(space < 0 ? ask("search for (Enter lists every file): ") : argument);
          case "d", "download", "get" -> download(argument.isEmpty() ? ask("download which (N, id or name): ") : argument);
          case "l", "list", "ls" -> list();
          case "a", "add", "share" -> share(argument.isEmpty() ? ask("share which file or directory: ") : argument);
          case "h", "help", "?" -> out.println(HELP);
          default -> {
            failed = true;
            err.println("swarmshare: unknown command '" + TerminalText.escape(command) + "'; type h for the list");
          }
        }
      } catch (SwarmException | InvalidPathException e) {
        failed = true;
        Errors.report(e, err);
      }
      out.flush();
    }
    out.println("bye");
    out.flush();
    return failed ? Main.FAILURE : Main.OK;
  }

  /** Prints a prompt and reads the answer; null at the end of input. */
  private @Nullable String ask(String prompt) throws IOException {
    out.print(prompt);
    out.flush();
    String line = in.readLine();
    if (line != null && echo) {
      out.println(line);
    }
    return line;
  }

  private void checkTracker() {
    try {
      int files = client.search("", 50).size();
      out.println("The tracker lists " + (files == 50 ? "50 or more files" : Progress.plural(files, "file")) + ".");
    } catch (SwarmException e) {
      err.println("swarmshare: " + Errors.message(e));
      err.println("Start one with 'swarmshare tracker' in another terminal, or pass --tracker HOST:PORT.");
    }
  }

  private void search(@Nullable String text) throws SwarmException {
    if (text == null) {
      return;
    }
    lastSearch = client.search(text.strip(), 50);
    if (lastSearch.isEmpty()) {
      out.println(text.isBlank() ? "The tracker lists no files yet." : "Nothing matches '" + TerminalText.escape(text.strip()) + "'.");
      return;
    }
    out.printf(Locale.ROOT, "%3s  %-32s %10s %6s  %s%n", "#", "NAME", "SIZE", "PEERS", "ID");
    for (int i = 0; i < lastSearch.size(); i++) {
      FileEntry e = lastSearch.get(i);
      out.printf(Locale.ROOT, "%3d  %-32s %10s %6d  %s%n", i + 1, TerminalText.escape(e.name()), Sizes.format(e.size()), e.peers(),
          e.id().shortForm());
    }
    out.println("Download one with: d NUMBER");
  }

  private void download(@Nullable String target) throws SwarmException, InterruptedException {
    if (target == null || target.isBlank()) {
      return;
    }
    FileId id;
    String name;
    if (target.chars().allMatch(Character::isDigit) && target.length() < 4) {
      int n = Integer.parseInt(target);
      if (n < 1 || n > lastSearch.size()) {
        throw new SwarmException(lastSearch.isEmpty() ? "no search results to pick " + n + " from; search first with s TEXT"
            : "pick a number from 1 to " + lastSearch.size() + " from the last search");
      }
      id = lastSearch.get(n - 1).id();
      name = lastSearch.get(n - 1).name();
    } else {
      id = GetCommand.resolve(client, target);
      name = target.equals(id.hex()) ? id.shortForm() : target;
    }
    for (SharedFile f : client.shared()) {
      if (f.id().equals(id)) {
        out.println("Already here: " + TerminalText.escape(f.path().toString()) + " (and served to others).");
        return;
      }
    }
    Download d = client.download(id, downloads);
    DownloadResult r = Progress.follow(d, err, "downloading " + name, quiet);
    downloaded.add(id);
    out.printf(Locale.ROOT, "Downloaded %s (%s) in %.1f s from %s; verified, and now served to others.%n",
        TerminalText.escape(r.path().toString()),
        Sizes.format(r.size()), r.elapsed().toNanos() / 1e9, Progress.plural(r.peers(), "peer"));
  }

  private void list() throws SwarmException {
    List<SharedFile> files = client.shared().stream().sorted(Comparator.comparing(SharedFile::name)).toList();
    if (files.isEmpty()) {
      out.println("Serving nothing yet: share a file with 'a PATH', or download one with 'd'.");
    } else {
      out.printf(Locale.ROOT, "Serving %s on port %d:%n", Progress.plural(files.size(), "file"), client.address().port());
      for (SharedFile f : files) {
        out.printf(Locale.ROOT, "  %-32s %10s  %s  %-10s  %s%n", TerminalText.escape(f.name()), Sizes.format(f.size()),
            f.id().shortForm(), downloaded.contains(f.id()) ? "downloaded" : "shared", TerminalText.escape(f.path().toString()));
      }
    }
    for (UnfinishedDownload u : client.unfinished(downloads)) {
      out.printf(Locale.ROOT, "Unfinished: %s, %d of %d chunks; 'd %s' resumes it%n", TerminalText.escape(u.name()), u.chunksRecorded(),
          u.chunks(), u.id());
    }
  }

  private void share(@Nullable String path) throws SwarmException {
    if (path == null || path.isBlank()) {
      return;
    }
    for (Path f : ShareCommand.expand(List.of(Path.of(path.strip())))) {
      share(f);
    }
  }

  private void share(Path file) throws SwarmException {
    Path name = file.getFileName();
    String shown = name == null ? file.toString() : name.toString();
    Progress progress = new Progress(err, "hashing " + shown, quiet);
    AtomicLong hashed = new AtomicLong();
    long size = file.toFile().length();
    SharedFile f;
    try {
      f = client.share(file, shown, n -> progress.update(hashed.addAndGet(n), size, ""));
    } finally {
      progress.finish();
    }
    out.printf(Locale.ROOT, "Sharing %s (%s), id %s%n", TerminalText.escape(f.name()), Sizes.format(f.size()), f.id());
  }
}
