/**
 * The swarm simulator, {@code bin/swarm-sim}: one seeder and many rate-limited leechers in one
 * JVM, measuring how well the swarm uses its links; see {@code docs/PERFORMANCE.md}.
 */
@NullMarked
package io.swarmshare.benchmarks.sim;

import org.jspecify.annotations.NullMarked;
