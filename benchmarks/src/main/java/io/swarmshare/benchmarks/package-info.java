/**
 * JMH benchmarks of SwarmShare. Run them with {@code bin/bench}; figures and the machine they
 * were measured on are in {@code docs/PERFORMANCE.md}.
 */
package io.swarmshare.benchmarks;
