/**
 * The tracker benchmark, {@code bin/tracker-bench}: a population of simulated peers, each a real
 * tracker client on its own connection, offered open-loop at a fixed rate to a tracker in a
 * child JVM, then a ramp to the highest rate it sustains; see {@code docs/PERFORMANCE.md}.
 */
@NullMarked
package io.swarmshare.benchmarks.tracker;

import org.jspecify.annotations.NullMarked;
