package io.swarmshare.cli;

import io.swarmshare.SwarmShare;
import io.swarmshare.api.FileId;
import io.swarmshare.api.Manifest;
import io.swarmshare.api.SharedTree;
import io.swarmshare.api.TreeEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code swarmshare manifest FILE}: hashes a file and prints its id and layout. */
@Command(name = "manifest", mixinStandardHelpOptions = true,
    description = {"Hash a file and print its id, size, chunk size, chunk count and SHA-256.",
        "Given a directory: its tree id and listing (path, size, file id; 'd' marks an empty directory)."})
final class ManifestCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin CommonOptions common;

  @Parameters(paramLabel = "FILE|DIR", description = "The file to hash, or a directory to list as a tree.")
  Path file;

  @Option(names = "--chunk-size", paramLabel = "SIZE", defaultValue = "1M",
      description = "Chunk size, a power of two from 16K to 16M (default: ${DEFAULT-VALUE}).")
  String chunkSize;

  @Option(names = "--json", description = "Print one JSON object instead of text.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    int chunk = ChunkSizes.parse(chunkSize);
    var out = spec.commandLine().getOut();
    Progress progress = new Progress(spec.commandLine().getErr(), "hashing", common.quiet);
    if (java.nio.file.Files.isDirectory(file)) {
      return tree(chunk, out);
    }
    long total = java.nio.file.Files.isRegularFile(file) ? java.nio.file.Files.size(file) : 0;
    AtomicLong done = new AtomicLong();
    Manifest m = SwarmShare.manifest(file, chunk, n -> progress.update(done.addAndGet(n), total, ""));
    progress.finish();
    if (json) {
      out.println(Json.object()
          .put("id", m.id().hex())
          .put("name", file.getFileName() == null ? file.toString() : file.getFileName().toString())
          .put("size", m.size())
          .put("chunkSize", m.chunkSize())
          .put("chunks", m.chunkCount())
          .put("sha256", m.sha256()));
    } else {
      out.println("id:         " + m.id());
      out.println("size:       " + m.size() + " (" + Sizes.format(m.size()) + ")");
      out.println("chunk size: " + m.chunkSize() + " (" + Sizes.format(m.chunkSize()) + ")");
      out.println("chunks:     " + m.chunkCount());
      out.println("sha256:     " + m.sha256());
    }
    out.flush();
    return Main.OK;
  }

  private int tree(int chunk, java.io.PrintWriter out) throws Exception {
    SharedTree t = SwarmShare.tree(file, chunk, n -> {}); // no total to show a bar against
    if (json) {
      List<Object> entries = new ArrayList<>();
      for (TreeEntry e : t.entries()) {
        FileId id = e.file();
        entries.add(id == null ? Json.object().put("path", e.path()).put("kind", "directory")
            : Json.object().put("path", e.path()).put("kind", "file").put("size", e.size()).put("id", id.hex()));
      }
      out.println(Json.object().put("kind", "tree").put("id", t.id().hex()).put("name", t.name())
          .put("files", t.files()).put("size", t.size()).put("entries", entries));
    } else {
      out.println("tree id:    " + t.id());
      out.println("name:       " + TerminalText.escape(t.name()));
      out.println("files:      " + t.files());
      out.println("size:       " + t.size() + " (" + Sizes.format(t.size()) + ")");
      for (TreeEntry e : t.entries()) {
        FileId id = e.file();
        out.println(id == null ? String.format(Locale.ROOT, "d %s/", TerminalText.escape(e.path()))
            : String.format(Locale.ROOT, "f %12d %s %s", e.size(), id, TerminalText.escape(e.path())));
      }
    }
    out.flush();
    return Main.OK;
  }
}
