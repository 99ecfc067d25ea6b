/** Micrometer binding for SwarmShare's counters: {@link io.swarmshare.micrometer.SwarmClientMetrics}. */
@NullMarked
package io.swarmshare.micrometer;

import org.jspecify.annotations.NullMarked;
