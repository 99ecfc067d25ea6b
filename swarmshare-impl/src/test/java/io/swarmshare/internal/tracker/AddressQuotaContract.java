package io.swarmshare.internal.tracker;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.swarmshare.api.Announcement;
import io.swarmshare.api.Bitfield;
import io.swarmshare.api.Manifest;
import io.swarmshare.api.PeerAddress;
import io.swarmshare.api.PeerId;
import io.swarmshare.api.ProtocolException;
import io.swarmshare.api.Tracker;
import io.swarmshare.testkit.ManualClock;
import io.swarmshare.testkit.TestManifests;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * The per-address side of a tracker that tells origins apart: peer ids bound to the origin that
 * announced them, quotas per address, and the short life of files nobody announces. Origins
 * stand for connections from 127.0.0.1 (honest) and 127.0.0.2 (attacker); time moves by hand.
 * Run against the in-memory tracker here and the Redis store in its module.
 */
public abstract class AddressQuotaContract<T extends Tracker & OriginTracker> {
  static final Origin HONEST = new Origin("127.0.0.1", null);
  static final Origin ATTACKER = new Origin("127.0.0.2", null);
  static final Duration TTL = TrackerLimits.DEFAULT_PEER_TTL;

  protected final ManualClock clock = ManualClock.atEpoch2025();
  protected T tracker;

  /** A fresh, empty tracker with these caps on {@link #clock}; closed after the test. */
  protected abstract T make(TrackerLimits limits) throws Exception;

  @BeforeEach
  void start() throws Exception {
    tracker = make(TrackerLimits.DEFAULTS);
  }

  @AfterEach
  void stop() {
    tracker.close();
  }

  @Test
  void aPeerIdStaysBoundToItsOriginUntilItsLastEntryExpires() throws Exception {
    Manifest m = TestManifests.random(1, 2);
    tracker.register(m, "f", HONEST);
    PeerId seeder = new PeerId("seeder");
    tracker.announce(announce(m, seeder, 7000), HONEST);

    assertCode("forbidden", () -> tracker.announce(announce(m, seeder, 1), ATTACKER));
    assertCode("forbidden", () -> tracker.leave(m.id(), seeder, ATTACKER));
    assertEquals(7000, tracker.peers(m.id(), 10).getFirst().address().port(), "the entry did not move");

    clock.advance(TTL);
    // The seeder is gone for good: its id is free for whoever announces it next.
    tracker.register(m, "f", HONEST);
    assertDoesNotThrow(() -> tracker.announce(announce(m, seeder, 7001), ATTACKER));
    assertCode("forbidden", () -> tracker.announce(announce(m, seeder, 7000), HONEST));
  }

  @Test
  void withTlsTheCertificateIsPartOfTheBinding() throws Exception {
    Manifest m = TestManifests.random(2, 2);
    tracker.register(m, "f", HONEST);
    PeerId seeder = new PeerId("seeder");
    Origin alice = new Origin("10.0.0.5", "CN=alice");
    tracker.announce(announce(m, seeder, 7000), alice);
    assertCode("forbidden", () -> tracker.announce(announce(m, seeder, 1), new Origin("10.0.0.5", "CN=mallory")));
    assertCode("forbidden", () -> tracker.announce(announce(m, seeder, 1), new Origin("10.0.0.6", "CN=alice")));
    assertDoesNotThrow(() -> tracker.announce(announce(m, seeder, 7002), alice));
    assertEquals(7002, tracker.peers(m.id(), 10).getFirst().address().port());
  }

  @Test
  void inProcessCallsAreTrusted() throws Exception {
    Manifest m = TestManifests.random(3, 2);
    tracker.register(m, "f");
    PeerId seeder = new PeerId("seeder");
    tracker.announce(announce(m, seeder, 7000), HONEST);
    tracker.leave(m.id(), seeder);
    assertTrue(tracker.peers(m.id(), 10).isEmpty());
  }

  @Test
  void aFileNobodyAnnouncesIsDroppedQuicklyAndRegisteringAgainDoesNotKeepIt() throws Exception {
    Manifest m = TestManifests.random(4, 1);
    tracker.register(m, "junk", ATTACKER);
    clock.advance(TrackerLimits.DEFAULT_UNANNOUNCED_TTL.minusSeconds(1));
    tracker.register(m, "junk", ATTACKER);
    tracker.register(m, "junk-2", ATTACKER);
    assertTrue(tracker.manifest(m.id()).isPresent());
    clock.advance(Duration.ofSeconds(1));
    assertTrue(tracker.manifest(m.id()).isEmpty(), "unannounced " + TrackerLimits.DEFAULT_UNANNOUNCED_TTL
        + " after its registration, whatever was registered since");

    Manifest kept = TestManifests.random(5, 1);
    tracker.register(kept, "real", HONEST);
    tracker.announce(announce(kept, new PeerId("p"), 7000), HONEST);
    clock.advance(TTL.minusSeconds(1));
    assertTrue(tracker.manifest(kept.id()).isPresent(), "an announced file lives its peers' time-to-live");
  }

  @Test
  void oneAddressMayHoldOnlySoManyUnannouncedFilesAndGetsThemBackWhenTheyExpire() throws Exception {
    int cap = TrackerLimits.DEFAULTS.maxPendingFilesPerAddress();
    for (int i = 0; i < cap; i++) {
      tracker.register(TestManifests.random(1000 + i, 1), "junk-" + i, ATTACKER);
    }
    assertCode("busy", () -> tracker.register(TestManifests.random(9999, 1), "one-more", ATTACKER));
    assertDoesNotThrow(() -> tracker.register(TestManifests.random(9998, 1), "honest", HONEST));

    clock.advance(TrackerLimits.DEFAULT_UNANNOUNCED_TTL);
    assertDoesNotThrow(() -> tracker.register(TestManifests.random(9999, 1), "one-more", ATTACKER));
  }

  @Test
  void announcingFreesThePendingQuota() throws Exception {
    TrackerLimits limits = TrackerLimits.DEFAULTS.withPerAddress(2, 100, 4, 64L << 20);
    T t = make(limits);
    for (int i = 0; i < 5; i++) {
      Manifest m = TestManifests.random(2000 + i, 1);
      t.register(m, "mine-" + i, HONEST);
      t.announce(announce(m, new PeerId("me"), 7000), HONEST);
    }
    assertEquals(5, t.search("mine", 10).size(), "a file announced right after it is registered is no longer pending");
  }

  @Test
  void oneAddressMayHoldOnlySoManyEntriesWhateverIdsItUses() throws Exception {
    TrackerLimits limits = TrackerLimits.DEFAULTS.withPerAddress(256, 3, 4, 64L << 20);
    T t = make(limits);
    Manifest m = TestManifests.random(6, 1);
    t.register(m, "f", HONEST);
    for (int i = 0; i < 3; i++) {
      t.announce(announce(m, new PeerId("sybil-" + i), 7000 + i), ATTACKER);
    }
    assertCode("busy", () -> t.announce(announce(m, new PeerId("sybil-9"), 7009), ATTACKER));
    assertDoesNotThrow(() -> t.announce(announce(m, new PeerId("honest"), 7100), HONEST));
    // Re-announcing an entry it holds is not a new entry.
    assertDoesNotThrow(() -> t.announce(announce(m, new PeerId("sybil-0"), 7000), ATTACKER));
  }

  @Test
  void oneAddressCannotFillAFilesNames() throws Exception {
    Manifest m = TestManifests.random(7, 1);
    tracker.register(m, "victim.bin", HONEST);
    int taken = 0;
    for (int i = 0; i < 15; i++) {
      try {
        tracker.register(m, "junk-" + i, ATTACKER);
        taken++;
      } catch (ProtocolException e) {
        assertEquals("busy", e.code());
      }
    }
    assertEquals(TrackerLimits.DEFAULTS.maxNamesPerAddress(), taken);
    tracker.register(m, "victim-v2.bin", HONEST);
    assertTrue(tracker.search(m.id().hex(), 50).stream().anyMatch(e -> e.name().equals("victim-v2.bin")));
  }

  static Announcement announce(Manifest m, PeerId peer, int port) {
    return new Announcement(m.id(), peer, new PeerAddress("127.0.0.1", port), Bitfield.full(m.chunkCount()));
  }

  static void assertCode(String code, Executable call) {
    ProtocolException e = assertThrows(ProtocolException.class, call);
    assertEquals(code, e.code(), e.getMessage());
  }
}
