/**
 * Values and contracts of SwarmShare. Values are immutable and thread-safe; interfaces say
 * in their Javadoc what they promise about threads and failures. Nothing here is null
 * unless annotated {@code @Nullable}.
 */
@NullMarked
package io.swarmshare.api;

import org.jspecify.annotations.NullMarked;
