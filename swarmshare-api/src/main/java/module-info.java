/**
 * The stable public surface of SwarmShare: what a tracker, a client, a piece store and a
 * transport promise, the values they exchange, and the exceptions they throw.
 * Implementations live in {@code io.swarmshare} (module of swarmshare-impl); this module depends on nothing but JSpecify.
 */
module io.swarmshare.api {
  requires transitive org.jspecify;

  exports io.swarmshare.api;
  exports io.swarmshare.api.spi;
}
