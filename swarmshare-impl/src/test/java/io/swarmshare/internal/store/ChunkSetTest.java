package io.swarmshare.internal.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.swarmshare.api.Bitfield;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ChunkSetTest {
  @Test
  void snapshotMatchesTheBitfieldBuiltChunkByChunk() {
    Random r = new Random(5);
    for (int size : new int[] {0, 1, 7, 8, 31, 32, 33, 63, 64, 65, 1000, 1024}) {
      ChunkSet set = new ChunkSet(size);
      Bitfield expected = Bitfield.empty(size);
      for (int k = 0; k < size / 2; k++) {
        int i = r.nextInt(size);
        set.add(i);
        expected = expected.with(i);
      }
      assertEquals(expected, set.toBitfield(), "size " + size);
      assertEquals(expected.cardinality(), set.count(), "size " + size);
    }
  }
}
