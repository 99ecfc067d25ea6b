package io.swarmshare.internal.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.swarmshare.testkit.Await;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The watchdog checks only armed guards and sleeps while none is armed. Each negative is
 * checked against a control guard with a later deadline: once the control has fired, a guard that
 * would have fired has had its chance.
 */
class WatchdogTest {
  private static final Duration TICK = Duration.ofMillis(5);
  private static final Duration SHORT = Duration.ofMillis(20);
  private static final Duration WAIT = Duration.ofSeconds(10);

  @Test
  void tickIsAQuarterOfTheTimeoutAndAtMostASecond() {
    assertEquals(Duration.ofMillis(250), Watchdog.tickFor(Duration.ofSeconds(1)));
    assertEquals(Duration.ofNanos(7_500_000), Watchdog.tickFor(Duration.ofMillis(30)));
    assertEquals(Duration.ofSeconds(1), Watchdog.tickFor(Duration.ofSeconds(30)));
    assertEquals(Duration.ZERO, Watchdog.tickFor(Duration.ZERO));
  }

  @Test
  void armedGuardPastItsDeadlineFiresOnce() {
    try (Watchdog w = new Watchdog("test-watchdog", TICK)) {
      AtomicInteger runs = new AtomicInteger();
      Watchdog.Guard g = w.guard(runs::incrementAndGet);
      g.arm(SHORT);
      Await.until(g::fired, WAIT, () -> "the armed guard did not fire");
      Watchdog.Guard control = w.guard(() -> { });
      control.arm(SHORT);
      Await.until(control::fired, WAIT, () -> "the control guard did not fire");
      assertEquals(1, runs.get());
    }
  }

  @Test
  void disarmedAndClosedGuardsNeverFire() {
    try (Watchdog w = new Watchdog("test-watchdog", TICK)) {
      AtomicInteger runs = new AtomicInteger();
      Watchdog.Guard disarmed = w.guard(runs::incrementAndGet);
      disarmed.arm(SHORT);
      disarmed.disarm();
      Watchdog.Guard closed = w.guard(runs::incrementAndGet);
      closed.close();
      closed.arm(SHORT); // arming after close is ignored
      Watchdog.Guard control = w.guard(() -> { });
      control.arm(SHORT.multipliedBy(2));
      Await.until(control::fired, WAIT, () -> "the control guard did not fire");
      assertEquals(0, runs.get());
      assertFalse(disarmed.fired());
      assertFalse(closed.fired());
    }
  }

  @Test
  void idleWatchdogWakesWhenAGuardIsArmedAgain() {
    try (Watchdog w = new Watchdog("test-watchdog", TICK)) {
      Watchdog.Guard first = w.guard(() -> { });
      first.arm(SHORT);
      Await.until(first::fired, WAIT, () -> "the first guard did not fire");
      // Nothing armed now: the thread sleeps until the next arm.
      Watchdog.Guard second = w.guard(() -> { });
      second.arm(SHORT);
      Await.until(second::fired, WAIT, () -> "a guard armed while the watchdog slept did not fire");
      assertTrue(second.fired());
    }
  }

  @Test
  void sharedWatchdogIsOnePerTick() {
    assertTrue(Watchdog.shared(Duration.ofMillis(250)) == Watchdog.shared(Duration.ofMillis(250)));
    assertFalse(Watchdog.shared(Duration.ofMillis(250)) == Watchdog.shared(Duration.ofMillis(500)));
  }
}
