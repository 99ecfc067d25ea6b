package io.swarmshare.internal.tracker;

import org.jspecify.annotations.Nullable;
import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;

/**
 * One request from this process to a tracker, as a JDK Flight Recorder duration event: which
 * request, to which node, and how it ended. Created only once the recorder runs
 * ({@code io.swarmshare.internal.jfr.Recording}).
 */
@Name("io.swarmshare.TrackerRequest")
@Label("Tracker Request")
@Category("SwarmShare")
@Description("A request to a tracker node and its outcome: ok, or the error code or failure.")
final class TrackerRequestEvent extends Event {
  @Label("Type") @Nullable String type;
  @Label("Tracker") @Nullable String tracker;
  @Label("Outcome") @Nullable String outcome;
}
