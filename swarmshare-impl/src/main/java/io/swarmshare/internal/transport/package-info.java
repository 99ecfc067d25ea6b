/** Internal: the plain TCP and TLS 1.3 transports behind the SPI. */
@NullMarked
package io.swarmshare.internal.transport;

import org.jspecify.annotations.NullMarked;
