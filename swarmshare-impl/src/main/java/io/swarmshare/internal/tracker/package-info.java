/**
 * Internal: the tracker in its three shapes (in process, served on a port, remote client) and
 * the tracker messages of {@code docs/PROTOCOL.md}.
 */
@NullMarked
package io.swarmshare.internal.tracker;

import org.jspecify.annotations.NullMarked;
