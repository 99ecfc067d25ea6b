package io.swarmshare.internal.download;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.swarmshare.api.Bitfield;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ChunkPickerTest {
  @Test
  void picksTheRarestChunkFirst() {
    ChunkPicker p = new ChunkPicker(4, Bitfield.empty(4));
    Bitfield all = Bitfield.full(4);
    p.peerAdded(all);
    p.peerAdded(all);
    p.peerAdded(Bitfield.empty(4).with(0).with(1).with(3)); // chunk 2 is the rarest
    assertEquals(2, p.pick(all, i -> false));
  }

  @Test
  void neverPicksWhatThePeerLacksOrWhatIsDone() {
    ChunkPicker p = new ChunkPicker(3, Bitfield.empty(3).with(0));
    Bitfield peer = Bitfield.empty(3).with(0).with(2);
    p.peerAdded(peer);
    assertEquals(2, p.pick(peer, i -> false));
    assertEquals(-1, p.pick(Bitfield.empty(3).with(0), i -> false));
  }

  @Test
  void endgameDuplicatesInFlightChunksButNotForTheSamePeer() {
    ChunkPicker p = new ChunkPicker(2, Bitfield.empty(2));
    Bitfield all = Bitfield.full(2);
    p.peerAdded(all);
    p.peerAdded(all);
    Set<Integer> first = new HashSet<>();
    first.add(p.pick(all, i -> false));
    first.add(p.pick(all, first::contains));
    assertEquals(Set.of(0, 1), first);
    assertTrue(p.inEndgame());
    int dup = p.pick(all, i -> false);
    assertTrue(dup == 0 || dup == 1, "a second peer may duplicate an in-flight chunk");
    assertEquals(-1, p.pick(all, i -> true), "never twice to the same peer");
  }

  @Test
  void releasedChunksGoBackToTheQueueAndCompletionCountsOnce() {
    ChunkPicker p = new ChunkPicker(1, Bitfield.empty(1));
    Bitfield all = Bitfield.full(1);
    p.peerAdded(all);
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
    Bitfield all = Bitfield.full(n);
    for (int i = 0; i < 4; i++) {
      p.peerAdded(all);
    }
    java.util.concurrent.atomic.AtomicInteger firsts = new java.util.concurrent.atomic.AtomicInteger();
    Set<Integer> failedOnce = java.util.concurrent.ConcurrentHashMap.newKeySet();
    Thread[] threads = new Thread[8];
    for (int t = 0; t < threads.length; t++) {
      threads[t] = Thread.ofVirtual().start(() -> {
        Set<Integer> mine = new HashSet<>();
        int c;
        while ((c = p.pick(all, mine::contains)) >= 0) {
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
    while ((c = p.pick(all, i -> false)) >= 0) {
      if (p.completed(c)) {
        firsts.incrementAndGet();
      }
    }
    assertEquals(n, firsts.get(), "each chunk completes exactly once");
    assertEquals(0, p.remaining());
  }
}
