package io.swarmshare.internal.tracker;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.swarmshare.api.PeerId;
import io.swarmshare.api.ProtocolException;
import io.swarmshare.testkit.TestManifests;
import io.swarmshare.api.Manifest;
import org.junit.jupiter.api.Test;

/** The per-address contract on the in-memory tracker, and its byte budgets per address. */
class AddressQuotaTest extends AddressQuotaContract<InMemoryTracker> {
  @Override
  protected InMemoryTracker make(TrackerLimits limits) {
    return new InMemoryTracker(limits, clock);
  }

  @Test
  void oneAddressCannotTakeTheWholeStateBudget() throws Exception {
    TrackerLimits limits = TrackerLimits.DEFAULTS.withPerAddress(256, 4096, 4, 16 * 1024)
        .withMaxStoredBytes(32 * 1024);
    InMemoryTracker t = make(limits);
    int files = 0;
    try {
      for (; files < 100; files++) {
        t.register(TestManifests.random(3000 + files, 100), "junk-" + files, ATTACKER); // 3.2 KiB of hashes each
      }
    } catch (ProtocolException e) {
      assertEquals("busy", e.code());
    }
    assertTrue(files < 100 && t.storedBytesOf(ATTACKER.address()) <= 16 * 1024,
        "the attacker stopped at its own budget: " + files + " files");
    assertDoesNotThrow(() -> t.register(TestManifests.random(8, 100), "honest", HONEST));
  }

  @Test
  void whatAnAddressHoldsIsGivenBackWhenItExpires() throws Exception {
    Manifest m = TestManifests.random(9, 3);
    tracker.register(m, "f", ATTACKER);
    tracker.register(m, "g", ATTACKER);
    tracker.announce(announce(m, new PeerId("a"), 7000), ATTACKER);
    assertTrue(tracker.storedBytesOf(ATTACKER.address()) > 0);
    clock.advance(TTL);
    tracker.search("", 10); // any call sweeps
    assertEquals(0, tracker.storedBytesOf(ATTACKER.address()));
    assertEquals(0, tracker.storedBytes());
  }

}
