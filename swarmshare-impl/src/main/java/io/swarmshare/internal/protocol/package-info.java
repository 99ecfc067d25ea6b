/** Internal: the frame codec, its limits and the hello handshake; see docs/PROTOCOL.md. */
@NullMarked
package io.swarmshare.internal.protocol;

import org.jspecify.annotations.NullMarked;
