package io.swarmshare.internal.peer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.swarmshare.api.FileId;
import io.swarmshare.internal.store.MemoryStore;
import io.swarmshare.testkit.TestManifests;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class SeedSpreadTest {
  private static final FileId FILE = new FileId("ab".repeat(32));

  @Test
  void everyChunkGoesOnceBeforeAnyGoesTwiceAndARefusalSuggestsWhatIsLeft() {
    SeedSpread s = new SeedSpread(TimeUnit.HOURS.toNanos(1), 0);
    assertNull(s.claim(FILE, 4, 1));
    s.sent(FILE, 1);
    SeedSpread.Refusal no = s.claim(FILE, 4, 1);
    assertNotNull(no, "chunk 1 went out this round");
    assertEquals(Set.of(0, 2, 3), set(no.suggest()), "the chunks this round still has to send");
    assertTrue(no.retryMs() > 0);
    for (int c : new int[] {0, 2, 3}) {
      assertNull(s.claim(FILE, 4, c));
      s.sent(FILE, c);
    }
    assertNull(s.claim(FILE, 4, 1), "a new round: chunk 1 may go a second time");
  }

  @Test
  void aFileNoLongerServedIsForgottenAndStartsAfreshIfServedAgain() {
    ServedFiles files = new ServedFiles();
    SeedSpread s = new SeedSpread(TimeUnit.HOURS.toNanos(1), 0);
    files.onRemoved(s::forget);
    MemoryStore store = new MemoryStore(TestManifests.random(5, 2));
    FileId id = store.manifest().id();
    files.put(store);
    assertNull(s.claim(id, 2, 0));
    s.sent(id, 0);
    assertNotNull(s.claim(id, 2, 0), "held back this round");
    files.remove(id);
    assertNull(s.claim(id, 2, 0), "the rounds went with the file: a fresh first round");
  }

  @Test
  void aChunkBeingSentIsNeitherSentAgainNorSuggested() {
    SeedSpread s = new SeedSpread(TimeUnit.HOURS.toNanos(1), 0);
    assertNull(s.claim(FILE, 3, 0)); // being sent: no sent() yet
    SeedSpread.Refusal no = s.claim(FILE, 3, 0);
    assertNotNull(no);
    assertEquals(Set.of(1, 2), set(no.suggest()));
  }

  @Test
  void aClaimGivenBackIsAsIfNeverMade() {
    SeedSpread s = new SeedSpread(TimeUnit.HOURS.toNanos(1), 0);
    assertNull(s.claim(FILE, 2, 0));
    s.sent(FILE, 0);
    assertNull(s.claim(FILE, 2, 1)); // closes round 0
    s.unclaim(FILE, 1); // the uplink was busy: chunk 1 never went
    SeedSpread.Refusal no = s.claim(FILE, 2, 0);
    assertNotNull(no, "round 0 is open again, and chunk 0 went in it");
    assertEquals(Set.of(1), set(no.suggest()));
    assertNull(s.claim(FILE, 2, 1));
  }

  @Test
  void aRoundNeverHoldsAChunkBackLongerThanTheHold() {
    SeedSpread s = new SeedSpread(0, 0); // the hold has always passed
    assertNull(s.claim(FILE, 3, 0));
    s.sent(FILE, 0);
    assertNull(s.claim(FILE, 3, 0), "nobody took the round's other chunks: chunk 0 may go again");
  }

  @Test
  void afterTheFirstRoundOnlyTheSpreadWindowHoldsAChunkBack() {
    SeedSpread s = new SeedSpread(TimeUnit.HOURS.toNanos(1), TimeUnit.HOURS.toNanos(1));
    for (int c = 0; c < 2; c++) {
      assertNull(s.claim(FILE, 2, c));
      s.sent(FILE, c);
    }
    SeedSpread.Refusal no = s.claim(FILE, 2, 0);
    assertNotNull(no, "chunk 0 was sent moments ago");
    assertTrue(no.retryMs() <= TimeUnit.HOURS.toMillis(1));
    assertEquals(0, no.suggest().length, "both chunks were just sent: nothing to suggest");
  }

  @Test
  void chunksBeyondTheFileAreNotTracked() {
    SeedSpread s = new SeedSpread(TimeUnit.HOURS.toNanos(1), 0);
    assertNull(s.claim(FILE, 2, 7));
    s.sent(FILE, 7);
    s.unclaim(FILE, 7);
    assertNull(s.claim(FILE, 2, 7));
  }

  private static Set<Integer> set(int[] chunks) {
    return new HashSet<>(Arrays.stream(chunks).boxed().toList());
  }
}
