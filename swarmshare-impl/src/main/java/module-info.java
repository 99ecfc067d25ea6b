/**
 * SwarmShare's implementation behind one entry point, {@link io.swarmshare.SwarmShare}.
 * Everything else (protocol, tracker, peer server, download engine, stores, transports) lives
 * in {@code io.swarmshare.internal} packages that are not exported.
 */
module swarmshare.impl {
  requires transitive swarmshare.api;
  requires com.fasterxml.jackson.core;
  requires static org.jspecify;
  requires java.logging;

  exports io.swarmshare;
}
