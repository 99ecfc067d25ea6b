/** The gate in front of the library's JDK Flight Recorder events. Internal. */
@NullMarked
package io.swarmshare.internal.jfr;

import org.jspecify.annotations.NullMarked;
