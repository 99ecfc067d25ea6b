/**
 * The one test kit: clocks, waits, manifests and raw protocol clients for tests of trackers and
 * peers on loopback. Shipped in the impl test-jar so the CLI and examples tests use it too.
 */
@NullMarked
package io.swarmshare.testkit;

import org.jspecify.annotations.NullMarked;
