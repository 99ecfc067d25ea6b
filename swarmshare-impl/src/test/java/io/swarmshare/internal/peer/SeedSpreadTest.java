package io.swarmshare.internal.peer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.swarmshare.api.FileId;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The seed's two windows, on a clock the test moves. */
class SeedSpreadTest {
  private static final FileId FILE = FileId.parse("ab".repeat(32));
  private final AtomicLong now = new AtomicLong(1_000_000_000L);
  private final SeedSpread spread = new SeedSpread(now::get);

  private void advanceMillis(long ms) {
    now.addAndGet(TimeUnit.MILLISECONDS.toNanos(ms));
  }

  private void send(int chunk) {
    assertEquals(0, spread.claim(FILE, 4, chunk), "chunk " + chunk + " may go");
    spread.sent(FILE, chunk, true);
  }

  @Test
  void untilEveryChunkWentOnceAChunkAlreadySentIsHeldBackLonger() {
    send(0);
    advanceMillis(2_000); // past the short window, inside the first-pass one
    long retry = spread.claim(FILE, 4, 0);
    assertTrue(retry > 0 && retry <= 1_500, "held back during the first pass, retry " + retry);
    send(1);
    send(2);
    send(3); // the first pass is over
    advanceMillis(1_600);
    assertEquals(0, spread.claim(FILE, 4, 0), "after the first pass only the short window holds");
    spread.sent(FILE, 0, true);
    assertTrue(spread.claim(FILE, 4, 0) > 0, "just sent again: the short window");
  }

  @Test
  void aChunkRefusedAsBusyDoesNotCountAsSent() {
    assertEquals(0, spread.claim(FILE, 4, 0));
    spread.sent(FILE, 0, false); // refused busy: nobody has it
    advanceMillis(1_600);
    assertEquals(0, spread.claim(FILE, 4, 0), "only the short window for a chunk nobody got");
  }

  @Test
  void theFirstPassEndsWhenNoNewChunkIsWantedForAWhile() {
    send(0);
    advanceMillis(TimeUnit.NANOSECONDS.toMillis(SeedSpread.FIRST_PASS_NANOS) + 1);
    assertEquals(0, spread.claim(FILE, 4, 0), "chunks 1 to 3 are wanted by nobody: no first pass to protect");
  }
}
