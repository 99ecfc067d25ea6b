/** Internal: TCP and in-memory transports behind the SPI. */
@NullMarked
package io.swarmshare.internal.transport;

import org.jspecify.annotations.NullMarked;
