/**
 * The transport service-provider interface: how bytes travel between a client, its peers
 * and a tracker. Plain TCP, TLS and an in-memory transport for tests implement it, so the
 * protocol and engine never see sockets directly.
 */
@NullMarked
package io.swarmshare.api.spi;

import org.jspecify.annotations.NullMarked;
