/**
 * Internal: what a tracker shows its operator over HTTP: Prometheus metrics, a status page and
 * its JSON, and a health check.
 */
@NullMarked
package io.swarmshare.internal.status;

import org.jspecify.annotations.NullMarked;
