/**
 * SwarmShare's implementation behind one entry point, {@link io.swarmshare.SwarmShare}.
 * Everything else (protocol, tracker, peer server, download engine, stores, transports) lives
 * in {@code io.swarmshare.internal} packages that are not exported.
 */
module io.swarmshare {
  requires transitive io.swarmshare.api;
  requires com.fasterxml.jackson.core;
  requires static org.jspecify;
  requires java.logging;
  requires jdk.jfr;
  // The tracker's status page and /metrics: the JDK's own HTTP server, so the embedded default
  // gains no dependency (docs/OPERATIONS.md says why).
  requires jdk.httpserver;
  // ExtendedOpenOption.DIRECT: the file store writes chunks around the page cache (DirectWrites).
  requires jdk.unsupported;

  exports io.swarmshare;
  // The Redis tracker store (a module of its own, so the embedded default needs no Redis client)
  // keeps the tracker's caps and the protocol's limits; nobody else sees these packages.
  exports io.swarmshare.internal.protocol to io.swarmshare.redis;
  exports io.swarmshare.internal.tracker to io.swarmshare.redis;
}
