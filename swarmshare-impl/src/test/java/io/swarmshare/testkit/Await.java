package io.swarmshare.testkit;

import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Waits on a condition with a deadline instead of sleeping a guessed time. */
public final class Await {
  private Await() {}

  /** Polls {@code condition} until it holds, failing with {@code message} after {@code timeout}. */
  public static void until(BooleanSupplier condition, Duration timeout, Supplier<String> message) {
    long deadline = System.nanoTime() + timeout.toNanos();
    long pause = 1;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        fail("waited " + timeout.toMillis() + " ms: " + message.get());
      }
      try {
        Thread.sleep(pause); // polling interval, not synchronisation: the condition decides
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        fail("interrupted while waiting: " + message.get());
      }
      pause = Math.min(50, pause * 2);
    }
  }
}
