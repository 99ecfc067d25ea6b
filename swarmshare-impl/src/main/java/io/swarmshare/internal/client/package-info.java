/** Internal: The SwarmClient implementation that ties tracker, peer server and downloads together. */
@NullMarked
package io.swarmshare.internal.client;

import org.jspecify.annotations.NullMarked;
