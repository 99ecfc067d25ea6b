/** Internal: Piece stores: the file store with its .part file and resume record, and the memory store. */
@NullMarked
package io.swarmshare.internal.store;

import org.jspecify.annotations.NullMarked;
