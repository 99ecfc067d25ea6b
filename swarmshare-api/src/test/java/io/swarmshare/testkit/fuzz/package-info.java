/**
 * The fuzz harness of the property tests: {@link io.swarmshare.testkit.fuzz.Fuzz} runs seeded
 * cases, {@link io.swarmshare.testkit.fuzz.Gen} and {@link io.swarmshare.testkit.fuzz.Mutation}
 * make inputs, {@link io.swarmshare.testkit.fuzz.Allocations} counts what a decoder allocated.
 * It lives in the API module's tests, which need it too, and ships in that module's test-jar for
 * the implementation's tests. It is a package of its own because the implementation's test kit,
 * {@code io.swarmshare.testkit}, is compiled into that module, and a named module's package
 * hides a class-path package of the same name.
 */
@NullMarked
package io.swarmshare.testkit.fuzz;

import org.jspecify.annotations.NullMarked;
