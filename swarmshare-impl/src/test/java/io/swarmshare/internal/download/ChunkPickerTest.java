package io.swarmshare.internal.download;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.swarmshare.api.Bitfield;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ChunkPickerTest {
  /** A connected peer holding {@code have}, as a session would add it. */
  private static PeerView peer(ChunkPicker p, Bitfield have) {
    PeerView v = p.newView();
    p.bitfield(v, have);
    return v;
  }

  private static Bitfield of(int size, int... chunks) {
    Bitfield b = Bitfield.empty(size);
    for (int c : chunks) {
      b = b.with(c);
    }
    return b;
  }

  @Test
  void picksTheRarestChunkFirst() {
    ChunkPicker p = new ChunkPicker(4, Bitfield.empty(4));
    PeerView all = peer(p, Bitfield.full(4));
    peer(p, Bitfield.full(4));
    peer(p, of(4, 0, 1, 3)); // chunk 2 is the rarest
    assertEquals(2, p.pick(all, i -> false));
  }

  @Test
  void neverPicksWhatThePeerLacksOrWhatIsDone() {
    ChunkPicker p = new ChunkPicker(3, of(3, 0));
    PeerView v = peer(p, of(3, 0, 2));
    assertEquals(2, p.pick(v, i -> false));
    assertEquals(-1, p.pick(peer(p, of(3, 0)), i -> false));
  }

  @Test
  void aPeerWhoseBitfieldHasNotArrivedIsAskedNothing() {
    ChunkPicker p = new ChunkPicker(3, Bitfield.empty(3));
    assertEquals(-1, p.pick(p.newView(), i -> false));
  }

  @Test
  void haveAnnouncementsMakeNewChunksAskableAndCountTowardsRarity() {
    ChunkPicker p = new ChunkPicker(4, Bitfield.empty(4));
    PeerView leecher = peer(p, of(4));
    assertEquals(-1, p.pick(leecher, i -> false), "it holds nothing yet");
    assertEquals(2, p.learned(leecher, new int[] {1, 3, 1}, 3), "the repeated index counts once");
    int first = p.pick(leecher, i -> false);
    assertTrue(first == 1 || first == 3, "a chunk it announced, got " + first);
  }

  @Test
  void singleSourceDownloadsTakeTiesInIndexOrder() {
    ChunkPicker p = new ChunkPicker(64, Bitfield.empty(64));
    PeerView seed = peer(p, Bitfield.full(64));
    for (int i = 0; i < 64; i++) {
      assertEquals(i, p.pick(seed, c -> false), "in order, so the whole-file hash keeps up");
    }
  }

  @Test
  void leechersInASwarmStartOnDifferentChunks() {
    // Eight leechers each connected to the seed alone: with ties in index order all eight would
    // ask for chunk 0 first, and the seed would send it eight times.
    Set<Integer> firsts = new HashSet<>();
    SplittableRandom seeds = new SplittableRandom(7);
    for (int leecher = 0; leecher < 8; leecher++) {
      ChunkPicker p = new ChunkPicker(256, Bitfield.empty(256), seeds.split());
      p.joinSwarm();
      firsts.add(p.pick(peer(p, Bitfield.full(256)), c -> false));
    }
    assertTrue(firsts.size() >= 6, "random first chunks, got " + firsts);
  }

  @Test
  void aSeedIsAskedOnlyForChunksNoConnectedLeecherHolds() {
    ChunkPicker p = new ChunkPicker(4, Bitfield.empty(4));
    p.joinSwarm();
    PeerView seed = peer(p, Bitfield.full(4));
    PeerView leecher = peer(p, of(4, 0, 1, 2));
    assertEquals(3, p.pick(seed, i -> false), "only chunk 3 is the seed's alone");
    assertEquals(-1, p.pick(seed, i -> false), "the rest comes from the leecher");
    Set<Integer> fromLeecher = Set.of(p.pick(leecher, i -> false), p.pick(leecher, i -> false), p.pick(leecher, i -> false));
    assertEquals(Set.of(0, 1, 2), fromLeecher);
  }

  @Test
  void aLeecherThatFinishesBecomesASeedAndIsSpared() {
    ChunkPicker p = new ChunkPicker(2, Bitfield.empty(2));
    p.joinSwarm();
    PeerView seed = peer(p, Bitfield.full(2));
    PeerView other = peer(p, of(2, 0));
    assertTrue(p.leecherHolds(0));
    p.learned(other, new int[] {1}, 1);
    assertFalse(p.leecherHolds(0), "a peer with every chunk is a seed now");
    assertTrue(p.pick(seed, i -> false) >= 0, "two seeds, no leechers: either may be asked");
  }

  @Test
  void onceSeveralSeedsAreConnectedNoneIsSparedAndTheLastChunksComeFromWhoeverHasThem() {
    ChunkPicker p = new ChunkPicker(2, Bitfield.empty(2));
    p.joinSwarm();
    PeerView seed = peer(p, Bitfield.full(2));
    peer(p, of(2, 0)); // a leecher holding chunk 0
    assertEquals(1, p.pick(seed, i -> false), "one seed: it is spared chunk 0, which a leecher holds");
    for (int i = 0; i < ChunkPicker.SPARED_SEEDS; i++) {
      peer(p, Bitfield.full(2)); // leechers that finished
    }
    assertFalse(p.spares(seed), "more seeds than are spared");
    assertEquals(0, p.pick(seed, i -> false), "a busy leecher no longer holds the seeds back");
  }

  @Test
  void aSeedsSuggestionsArePickedOnlyWhereUseful() {
    ChunkPicker p = new ChunkPicker(6, of(6, 0));
    p.joinSwarm();
    PeerView seed = peer(p, Bitfield.full(6));
    peer(p, of(6, 4)); // a leecher holds chunk 4: the seed is spared it
    int[] suggested = {0, 4, 9, 5, 2};
    Set<Integer> picked = new HashSet<>();
    for (int c; (c = p.pickAmong(seed, suggested, i -> i == 2)) >= 0; ) {
      picked.add(c);
    }
    assertEquals(Set.of(5), picked,
        "not 0 (done), 4 (a leecher has it), 9 (no such chunk), 2 (skipped here); 5 once, then it is in flight");
    assertEquals(-1, p.pickAmong(seed, new int[0], i -> false));
  }

  @Test
  void aPeerThatLeavesNoLongerCountsAndItsChunksGoToTheSeed() {
    ChunkPicker p = new ChunkPicker(3, of(3, 2));
    p.joinSwarm();
    PeerView seed = peer(p, Bitfield.full(3));
    PeerView leecher = peer(p, of(3, 0, 1));
    assertEquals(-1, p.pick(seed, i -> false));
    p.forget(leecher);
    assertTrue(p.pick(seed, i -> false) >= 0);
  }

  @Test
  void endgameStartsOnlyWhenEveryChunkIsRequestedAndNeverAsksOnePeerTwice() {
    ChunkPicker p = new ChunkPicker(2, Bitfield.empty(2));
    PeerView a = peer(p, Bitfield.full(2));
    PeerView b = peer(p, Bitfield.full(2));
    Set<Integer> first = new HashSet<>();
    first.add(p.pick(a, first::contains));
    assertFalse(p.inEndgame(), "one chunk is still unrequested");
    first.add(p.pick(a, first::contains));
    assertEquals(Set.of(0, 1), first);
    assertTrue(p.inEndgame());
    assertEquals(-1, p.pick(a, first::contains), "never twice to the same peer");
    int dup = p.pick(b, i -> false);
    assertTrue(dup == 0 || dup == 1, "a second peer may duplicate an in-flight chunk");
  }

  @Test
  void aTenChunkFileFromOnePeerIsAskedTenTimes() {
    // The session claims what it asked and what it is verifying; a single peer then never gets
    // a second request for a chunk it is already sending.
    ChunkPicker p = new ChunkPicker(10, Bitfield.empty(10));
    PeerView only = peer(p, Bitfield.full(10));
    Set<Integer> claimed = new HashSet<>();
    int asks = 0;
    for (int c; (c = p.pick(only, claimed::contains)) >= 0; ) {
      asks++;
      assertTrue(claimed.add(c), "chunk " + c + " asked twice");
    }
    assertEquals(10, asks);
  }

  @Test
  void releasedChunksGoBackToTheQueueAndCompletionCountsOnce() {
    ChunkPicker p = new ChunkPicker(1, Bitfield.empty(1));
    PeerView all = peer(p, Bitfield.full(1));
    assertEquals(0, p.pick(all, i -> false));
    p.released(0);
    assertFalse(p.inEndgame());
    assertEquals(0, p.pick(all, i -> false));
    assertTrue(p.completed(0));
    assertFalse(p.completed(0));
    assertEquals(0, p.remaining());
    assertEquals(-1, p.pick(all, i -> false));
  }

  @Test
  void manyThreadsPickingNeverLoseOrDuplicateCompletions() throws Exception {
    int n = 500;
    ChunkPicker p = new ChunkPicker(n, Bitfield.empty(n));
    p.joinSwarm();
    PeerView[] views = new PeerView[4];
    for (int i = 0; i < views.length; i++) {
      views[i] = peer(p, Bitfield.full(n));
    }
    AtomicInteger firsts = new AtomicInteger();
    Set<Integer> failedOnce = ConcurrentHashMap.newKeySet();
    Thread[] threads = new Thread[8];
    for (int t = 0; t < threads.length; t++) {
      PeerView v = views[t % views.length];
      threads[t] = Thread.ofVirtual().start(() -> {
        Set<Integer> mine = new HashSet<>();
        int c;
        while ((c = p.pick(v, mine::contains)) >= 0) {
          mine.add(c);
          if (c % 7 == 0 && failedOnce.add(c)) {
            p.released(c); // a peer that fails sometimes
          } else if (p.completed(c)) {
            firsts.incrementAndGet();
          }
        }
      });
    }
    for (Thread t : threads) {
      t.join();
    }
    // Chunks released by every thread may remain; finish them single-threaded.
    int c;
    while ((c = p.pick(views[0], i -> false)) >= 0) {
      if (p.completed(c)) {
        firsts.incrementAndGet();
      }
    }
    assertEquals(n, firsts.get(), "each chunk completes exactly once");
    assertEquals(0, p.remaining());
  }
}
