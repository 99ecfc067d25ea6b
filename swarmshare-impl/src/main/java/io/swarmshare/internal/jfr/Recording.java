package io.swarmshare.internal.jfr;

import jdk.jfr.FlightRecorder;

/**
 * Whether JDK Flight Recorder events are worth creating. Loading a {@code jdk.jfr.Event} class
 * costs a JVM that records nothing a few tens of milliseconds of CPU (JFR instruments the class
 * and reads its annotations through proxies): a short-lived CLI command pays it on every run.
 * Until the recorder has been started, by {@code -XX:StartFlightRecording}, {@code jcmd JFR.start}
 * or an agent, our event classes are therefore never touched; once it has, they are created and
 * {@code shouldCommit()} decides as usual.
 */
public final class Recording {
  private Recording() {}

  /** True once the flight recorder is running in this JVM, whether or not it records our events. */
  public static boolean active() {
    return FlightRecorder.isInitialized();
  }
}
