package io.swarmshare.cli;

import io.swarmshare.SwarmShare;
import io.swarmshare.TrackerBuilder;
import io.swarmshare.RunningTracker;
import io.swarmshare.api.SwarmException;
import io.swarmshare.api.Tracker;
import io.swarmshare.redis.RedisTracker;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code swarmshare tracker}: runs a tracker in the foreground until Ctrl-C (or until the
 * thread running it is interrupted, which is how tests stop it).
 */
@Command(name = "tracker", mixinStandardHelpOptions = true,
    description = "Run a tracker in the foreground until Ctrl-C.")
final class TrackerCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin CommonOptions common;
  @Mixin TlsOptions tls;

  @Option(names = "--port", paramLabel = "PORT", defaultValue = "" + TrackerBuilder.DEFAULT_PORT,
      description = "TCP port to listen on; 0 picks a free one (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(names = "--bind", paramLabel = "ADDR", defaultValue = "0.0.0.0",
      description = "Local address to listen on (default: ${DEFAULT-VALUE}, every interface).")
  String bind;

  @Option(names = "--store", paramLabel = "URI", defaultValue = "memory",
      description = "Where the tracker keeps its state: memory (the default), or redis://HOST:PORT to share it"
          + " with other tracker nodes on the same Redis, which clients then use as one tracker"
          + " (--tracker A,B,...).")
  String store;

  @Option(names = "--max-connections-per-address", paramLabel = "N", defaultValue = "64",
      description = "Most connections from one address (default: ${DEFAULT-VALUE}); raise it when many clients"
          + " share one address, as behind a NAT.")
  int maxPerAddress;

  @Option(names = "--http", paramLabel = "PORT", defaultValue = "-1",
      description = "Also serve, on this port, /metrics (Prometheus), a status page at / and /healthz; 0 picks a free"
          + " one (default: off).")
  int httpPort;

  @Option(names = "--http-bind", paramLabel = "ADDR", defaultValue = "127.0.0.1",
      description = "Local address of the --http server (default: ${DEFAULT-VALUE}, this machine only; 0.0.0.0 for"
          + " every interface).")
  String httpBind;

  @Override
  public Integer call() throws Exception {
    Ports.check(port, "--port");
    if (httpPort != -1) {
      Ports.check(httpPort, "--http");
    }
    if (maxPerAddress < 1) {
      throw new Errors.UsageException("--max-connections-per-address must be at least 1, got " + maxPerAddress);
    }
    var tlsConfig = tls.config();
    Tracker state = openStore();
    RunningTracker tracker;
    try {
      tracker = SwarmShare.tracker().port(port).bind(bind).maxConnectionsPerAddress(maxPerAddress).tls(tlsConfig)
          .store(state).http(httpPort).httpBind(httpBind).start();
    } catch (SwarmException e) {
      if (state != null) {
        state.close();
      }
      throw new SwarmException(e.getMessage() + (e.getMessage().contains("HTTP") ? "; choose another with --http"
          : "; choose another with --port"), e);
    }
    CountDownLatch stopped = new CountDownLatch(1);
    CountDownLatch finished = new CountDownLatch(1);
    Thread hook = new Thread(() -> {
      tracker.close();
      stopped.countDown();
      // The JVM halts when the hooks return: give the command a moment to say it stopped.
      try {
        finished.await(2, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "swarmshare-tracker-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    var out = spec.commandLine().getOut();
    var a = tracker.boundAddress();
    // A socket bound to 0.0.0.0 reports the IPv6 wildcard; show what the user asked for instead.
    String host = a.getAddress().isAnyLocalAddress() ? bind : a.getAddress().getHostAddress();
    out.println("tracker listening on " + host + ":" + a.getPort() + (tlsConfig != null ? " with TLS 1.3 as "
        + TerminalText.escape(tlsConfig.subject()) : "") + (state != null ? ", state in " + TerminalText.escape(store) : "")
        + " (Ctrl-C to stop)");
    tracker.httpAddress().ifPresent(h -> {
      String httpHost = h.getAddress().isAnyLocalAddress() ? httpBind : h.getAddress().getHostAddress();
      if (httpHost.contains(":")) {
        httpHost = "[" + httpHost + "]";
      }
      out.println("status page on http://" + httpHost + ":" + h.getPort() + "/ (metrics at /metrics)");
    });
    out.flush();
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      tracker.close();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // the hook is running: it is what stopped us
      }
    }
    if (!common.quiet) {
      out.println("tracker stopped");
      out.flush();
    }
    finished.countDown();
    return Main.OK;
  }

  /** The store {@code --store} names, or null for the in-memory default. */
  private @Nullable Tracker openStore() throws SwarmException {
    if (store.equals("memory")) {
      return null;
    }
    if (!store.startsWith("redis://") && !store.startsWith("rediss://")) {
      throw new Errors.UsageException("--store: expected memory or redis://HOST:PORT, got '" + store + "'");
    }
    try {
      return RedisTracker.connect(store);
    } catch (IllegalArgumentException e) {
      throw new Errors.UsageException("--store: " + e.getMessage());
    }
  }
}
