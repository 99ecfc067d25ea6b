/** Internal: The peer side of the protocol: the server that answers chunk requests, and the served-file registry. */
@NullMarked
package io.swarmshare.internal.peer;

import org.jspecify.annotations.NullMarked;
