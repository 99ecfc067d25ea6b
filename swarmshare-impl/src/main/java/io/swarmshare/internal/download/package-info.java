/** Internal: The download engine: chunk picker, peer sessions, endgame, strikes and completion. */
@NullMarked
package io.swarmshare.internal.download;

import org.jspecify.annotations.NullMarked;
