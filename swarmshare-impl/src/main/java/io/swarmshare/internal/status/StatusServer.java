package io.swarmshare.internal.status;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.swarmshare.api.TrackerStats;
import io.swarmshare.internal.tracker.TrackerCounters;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * A tracker's window for its operator, on a port of its own, on the JDK's HTTP server (one
 * virtual thread per exchange): {@code /metrics} (Prometheus text), {@code /} (a status page
 * that needs nothing but this server), {@code /status.json} (the page's data) and
 * {@code /healthz}. Only {@code GET} and {@code HEAD} are served: another method is answered
 * 405, another path 404, and nothing a client sends reaches the tracker: every answer is built
 * from a snapshot of its figures, and concurrent requests share one.
 *
 * <p>Thread-safe. {@link #close()} stops the server and its sampler; the tracker is untouched.
 */
public final class StatusServer implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger("io.swarmshare.tracker");
  private static final String PLACEHOLDER = "/*STATUS_JSON*/";

  private final HttpServer server;
  private final ExecutorService handlers;
  private final ScheduledExecutorService sampler;
  private final Supplier<TrackerStats> stats;
  private final TrackerCounters counters;
  private final String version;
  private final SwarmHistory history = new SwarmHistory();
  private final Page page = Page.load();
  private final ReentrantLock snapshotLock = new ReentrantLock();
  private volatile @Nullable TrackerStats snapshot;
  private volatile long snapshotNanos;
  private volatile boolean closed;

  private StatusServer(HttpServer server, Supplier<TrackerStats> stats, TrackerCounters counters, String version) {
    this.server = server;
    this.stats = stats;
    this.counters = counters;
    this.version = version;
    this.handlers = Executors.newVirtualThreadPerTaskExecutor();
    this.sampler = Executors.newSingleThreadScheduledExecutor(Thread.ofVirtual().name("swarmshare-status-sampler").factory());
    server.setExecutor(handlers);
    server.createContext("/", this::handle);
  }

  /**
   * Binds {@code bind} and starts serving {@code stats}, and sampling them for the page's charts.
   *
   * @throws IOException if the address cannot be bound
   */
  public static StatusServer start(InetSocketAddress bind, Supplier<TrackerStats> stats, TrackerCounters counters,
      String version) throws IOException {
    StatusServer s = new StatusServer(HttpServer.create(bind, 0), stats, counters, version);
    s.server.start();
    s.sampler.scheduleAtFixedRate(s::sample, 0, SwarmHistory.STEP_SECONDS, TimeUnit.SECONDS);
    LOG.log(Level.DEBUG, "tracker status on http://{0}", s.address());
    return s;
  }

  /** The address bound, with the real port when 0 was asked for. */
  public InetSocketAddress address() {
    return server.getAddress();
  }

  private void sample() {
    try {
      history.sample(snapshot(), System.nanoTime());
    } catch (RuntimeException e) {
      LOG.log(Level.DEBUG, "status sample failed", e);
    }
  }

  /**
   * A snapshot taken after this call began: a request never sees figures older than itself, and
   * requests that arrive while one is being taken share the next one, so a crowd of viewers costs
   * the tracker one census at a time.
   */
  private TrackerStats snapshot() {
    long asked = System.nanoTime();
    snapshotLock.lock();
    try {
      TrackerStats s = snapshot;
      if (s != null && snapshotNanos - asked >= 0) {
        return s;
      }
      long started = System.nanoTime();
      s = stats.get();
      snapshot = s;
      snapshotNanos = started;
      return s;
    } finally {
      snapshotLock.unlock();
    }
  }

  private void handle(HttpExchange exchange) {
    try (exchange) {
      String method = exchange.getRequestMethod();
      boolean head = method.equals("HEAD");
      if (!head && !method.equals("GET")) {
        exchange.getResponseHeaders().set("Allow", "GET, HEAD");
        send(exchange, 405, "text/plain; charset=utf-8", "only GET and HEAD are served here\n", false);
        return;
      }
      String path = exchange.getRequestURI().getRawPath();
      switch (path == null ? "" : path) {
        case "/metrics" -> send(exchange, 200, PrometheusText.CONTENT_TYPE,
            PrometheusText.of(snapshot(), counters, version), head);
        case "/status.json" -> send(exchange, 200, "application/json",
            StatusJson.of(snapshot(), history, version, System.currentTimeMillis()), head);
        case "/", "/index.html" -> {
          exchange.getResponseHeaders().set("Content-Security-Policy", page.policy);
          exchange.getResponseHeaders().set("Referrer-Policy", "no-referrer");
          send(exchange, 200, "text/html; charset=utf-8",
              page.render(StatusJson.of(snapshot(), history, version, System.currentTimeMillis())), head);
        }
        case "/healthz" -> send(exchange, closed ? 503 : 200, "text/plain; charset=utf-8",
            closed ? "stopping\n" : "ok\n", head);
        default -> send(exchange, 404, "text/plain; charset=utf-8",
            "not found; try /, /metrics, /status.json or /healthz\n", head);
      }
    } catch (IOException e) {
      LOG.log(Level.DEBUG, "status request ended: {0}", e.getMessage());
    } catch (RuntimeException e) {
      LOG.log(Level.DEBUG, "status request failed", e);
    }
  }

  private static void send(HttpExchange exchange, int status, String type, String body, boolean head)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.getResponseHeaders().set("Cache-Control", "no-store");
    exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
    if (head) {
      exchange.sendResponseHeaders(status, -1);
      return;
    }
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  /** Stops serving and sampling; idempotent. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    sampler.shutdownNow();
    server.stop(0);
    handlers.shutdownNow();
  }

  /**
   * The status page: one HTML file with its style and script inline, the data of the moment
   * embedded in it (so it shows at once, and without script), and a content security policy that
   * lets only that one script run, by its hash: even a name that slipped past the escaping could
   * not run code.
   */
  private record Page(String before, String after, String policy) {
    static Page load() {
      String html;
      try (InputStream in = StatusServer.class.getResourceAsStream("status.html")) {
        if (in == null) {
          throw new IllegalStateException("status.html is missing from the jar");
        }
        html = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      int at = html.indexOf(PLACEHOLDER);
      int open = html.indexOf("<script>");
      int close = html.indexOf("</script>", open);
      if (at < 0 || open < 0 || close < 0) {
        throw new IllegalStateException("status.html lacks its placeholder or its script");
      }
      String script = html.substring(open + "<script>".length(), close);
      String policy = "default-src 'none'; connect-src 'self'; img-src 'self' data:; style-src 'unsafe-inline'; "
          + "script-src 'sha256-" + sha256(script) + "'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
      return new Page(html.substring(0, at), html.substring(at + PLACEHOLDER.length()), policy);
    }

    String render(String json) {
      return before + json + after;
    }

    private static String sha256(String s) {
      try {
        return Base64.getEncoder().encodeToString(
            MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("every JDK has SHA-256", e);
      }
    }
  }
}
