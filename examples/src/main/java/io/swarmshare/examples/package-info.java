/** Small runnable programs to copy from; see {@code examples/README.md}. */
@NullMarked
package io.swarmshare.examples;

import org.jspecify.annotations.NullMarked;
