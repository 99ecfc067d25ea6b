package io.swarmshare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Settings that cannot work are refused where they are set, with the setting's name. */
class ClientBuilderValidationTest {
  @Test
  void zeroOrNegativeTimesAreRefusedAtOnce() {
    ClientBuilder b = SwarmShare.client();
    assertEquals("stall timeout must be positive, got 0 ms",
        assertThrows(IllegalArgumentException.class, () -> b.stallTimeout(Duration.ZERO)).getMessage());
    assertEquals("no-peers timeout must be positive, got -1000 ms",
        assertThrows(IllegalArgumentException.class, () -> b.noPeersTimeout(Duration.ofSeconds(-1))).getMessage());
    assertEquals("tracker interval must be positive, got 0 ms",
        assertThrows(IllegalArgumentException.class, () -> b.trackerInterval(Duration.ZERO)).getMessage());
    assertEquals("announce interval must be positive, got 0 ms",
        assertThrows(IllegalArgumentException.class, () -> b.announceInterval(Duration.ZERO)).getMessage());
    assertThrows(IllegalArgumentException.class, () -> b.port(70_000));
    assertThrows(IllegalArgumentException.class, () -> b.tracker(""));
  }

  @Test
  void noTrackerIsAProgrammingMistake() {
    assertThrows(IllegalStateException.class, () -> SwarmShare.client().start());
  }
}
