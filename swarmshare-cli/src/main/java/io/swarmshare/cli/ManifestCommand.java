package io.swarmshare.cli;

import io.swarmshare.SwarmShare;
import io.swarmshare.api.Manifest;
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
    description = "Hash a file and print its id, size, chunk size, chunk count and SHA-256.")
final class ManifestCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin CommonOptions common;

  @Parameters(paramLabel = "FILE", description = "The file to hash.")
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
}
