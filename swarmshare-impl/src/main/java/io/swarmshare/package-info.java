/**
 * The entry point: {@link io.swarmshare.SwarmShare} builds trackers and clients and hashes files
 * into manifests. The contracts those return are in {@code io.swarmshare.api}.
 */
@NullMarked
package io.swarmshare;

import org.jspecify.annotations.NullMarked;
