/**
 * The one test kit: clocks, waits, manifests and raw protocol clients for tests of trackers and
 * peers on loopback. Shipped in the impl test-jar so the CLI and examples tests use it too. The
 * fuzz harness of the property tests is {@code io.swarmshare.testkit.fuzz}, in the API module's
 * test-jar, because the API's own tests need it too and cannot depend on this module.
 */
@NullMarked
package io.swarmshare.testkit;

import org.jspecify.annotations.NullMarked;
