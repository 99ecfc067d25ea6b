package io.swarmshare.benchmarks.tracker;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Where the tracker under test keeps its state, from {@code --store}: {@code memory} (the
 * built-in in-memory store, the default) or {@code redis://HOST:PORT}.
 *
 * @param spec the text as given, passed on to the tracker process
 * @param redisHost the Redis host, or null for the in-memory store
 * @param redisPort the Redis port, or 0 for the in-memory store
 */
record Store(String spec, @Nullable String redisHost, int redisPort) {
  static final Store MEMORY = new Store("memory", null, 0);
  static final int DEFAULT_REDIS_PORT = 6379;

  boolean isRedis() {
    return redisHost != null;
  }

  /** Parses {@code memory} or {@code redis://HOST[:PORT]}; throws IllegalArgumentException with what to write instead. */
  static Store parse(String text) {
    String s = text.strip();
    if (s.equalsIgnoreCase("memory")) {
      return MEMORY;
    }
    if (s.toLowerCase(Locale.ROOT).startsWith("redis://")) {
      try {
        URI uri = new URI(s);
        if (uri.getHost() != null && (uri.getPath() == null || uri.getPath().isEmpty() || uri.getPath().equals("/"))) {
          return new Store(s, uri.getHost(), uri.getPort() < 0 ? DEFAULT_REDIS_PORT : uri.getPort());
        }
      } catch (URISyntaxException e) {
        // reported below
      }
    }
    throw new IllegalArgumentException("--store takes 'memory' or redis://HOST:PORT, not '" + text + "'");
  }
}
