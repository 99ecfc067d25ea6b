package io.swarmshare.cli;

import io.swarmshare.SwarmShare;
import io.swarmshare.api.PeerAddress;
import io.swarmshare.api.StorageException;
import io.swarmshare.api.SwarmClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code swarmshare menu}: starts a peer, optionally serving a directory, and runs a {@link Menu} on it. */
@Command(name = "menu", mixinStandardHelpOptions = true,
    description = {"An interactive menu: search the tracker, download with a progress bar, list what is shared and"
        + " downloaded, share files, quit. 'swarmshare' with no arguments in a terminal opens it too.",
        "Commands are read line by line from stdin, so a script can pipe them in, for example:",
        "  printf 's report\\nd 1\\nq\\n' | swarmshare menu",
        "Exits 0 when told to quit (q, or the end of input), 1 if a command in the session failed."})
final class MenuCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @ParentCommand Main main;
  @Mixin CommonOptions common;
  @Mixin TrackerOption trackerOption;

  @Option(names = "--share", paramLabel = "DIR", description = "Serve every file in DIR while the menu runs.")
  @Nullable Path shareDir;

  @Option(names = {"-p", "--port"}, paramLabel = "P", defaultValue = "0",
      description = "Port to serve chunks on (default: any free port).")
  int port;

  @Option(names = {"-o", "--output"}, paramLabel = "DIR",
      description = "Directory downloads go to (default: the --share DIR, so they are served too;"
          + " else the current directory).")
  @Nullable Path output;

  @Option(names = "--no-peers-timeout", paramLabel = "SECONDS", defaultValue = "30",
      description = "Give a download up when no peer can be reached for this long (default: ${DEFAULT-VALUE}).")
  int noPeersSeconds;

  @Override
  public Integer call() throws Exception {
    Ports.check(port, "--port");
    if (noPeersSeconds < 1) {
      throw new Errors.UsageException("--no-peers-timeout must be at least 1 second");
    }
    List<Path> toShare = List.of();
    if (shareDir != null) {
      if (!Files.isDirectory(shareDir)) {
        throw new StorageException("--share " + shareDir + ": no such directory");
      }
      toShare = ShareCommand.expand(List.of(shareDir));
    }
    Path downloads = OutputDirectory.check(output != null ? output : shareDir != null ? shareDir : Path.of("."));
    List<PeerAddress> tracker = trackerOption.addresses();
    try (SwarmClient client = SwarmShare.client().trackers(tracker).port(port)
        .noPeersTimeout(Duration.ofSeconds(noPeersSeconds)).start()) {
      // On Ctrl-C the JVM ends once the hooks return: leave the tracker from the hook itself.
      Thread hook = new Thread(client::close, "swarmshare-menu-shutdown");
      Runtime.getRuntime().addShutdownHook(hook);
      try {
        Menu menu = new Menu(client, TrackerOption.describe(tracker), main.in(), spec.commandLine().getOut(), spec.commandLine().getErr(),
            downloads, common.quiet, !Terminal.interactive());
        return menu.run(toShare);
      } finally {
        try {
          Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
          // the hook is running: it closes the client
        }
      }
    }
  }
}
