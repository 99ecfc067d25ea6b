package io.swarmshare.testkit;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;

/** A clock tests move by hand, so time-to-live tests never sleep. Thread-safe. */
public final class ManualClock implements InstantSource {
  private volatile Instant now;

  public ManualClock(Instant start) {
    this.now = start;
  }

  /** Starts at a fixed, round instant so logs and dumps are reproducible. */
  public static ManualClock atEpoch2025() {
    return new ManualClock(Instant.parse("2025-01-01T00:00:00Z"));
  }

  public synchronized void advance(Duration d) {
    now = now.plus(d);
  }

  @Override
  public Instant instant() {
    return now;
  }
}
