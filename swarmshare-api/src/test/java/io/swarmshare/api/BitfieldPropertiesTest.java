package io.swarmshare.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.swarmshare.testkit.fuzz.Allocations;
import io.swarmshare.testkit.fuzz.Fuzz;
import io.swarmshare.testkit.fuzz.Gen;
import io.swarmshare.testkit.fuzz.Mutation;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * {@link Bitfield#fromBytes} reads what peers and trackers send. It returns a bitfield whose wire
 * form is exactly the bytes given, or throws {@link IllegalArgumentException} (its documented
 * failure, which every caller turns into a protocol error); it never allocates what a size claims.
 * Each property runs {@link Fuzz#cases()} seeded cases (docs/TESTING.md).
 */
class BitfieldPropertiesTest {
  @Test
  void everySetOfChunksRoundTrips() {
    Fuzz.check(c -> {
      Chunks chunks = c.draw("chunks", BitfieldPropertiesTest::chunks);
      Bitfield b = chunks.bitfield();
      Bitfield back = Bitfield.fromBytes(chunks.size(), b.toByteArray());
      assertEquals(b, back);
      assertEquals(chunks.set().size(), back.cardinality());
      assertEquals(chunks.set().size() == chunks.size(), back.isComplete());
      List<Integer> listed = new ArrayList<>();
      for (int i = back.nextSet(0); i >= 0; i = back.nextSet(i + 1)) {
        listed.add(i);
      }
      assertEquals(List.copyOf(chunks.set()), listed);
      for (int i = 0; i < chunks.size(); i++) {
        assertEquals(chunks.set().contains(i), back.get(i));
      }
    });
  }

  @Test
  void arbitraryBytesAreRejectedCleanlyOrReencodeIdentically() {
    Fuzz.check(c -> readsAsItselfOrIsRejected(c.draw("size", r -> Gen.intIn(r, -8, 3000)), c.draw("bytes", r -> Gen.bytes(r, 400))));
  }

  @Test
  void mutatedBitfieldsAreRejectedCleanlyOrReencodeIdentically() {
    Fuzz.check(c -> {
      Chunks chunks = c.draw("chunks", BitfieldPropertiesTest::chunks);
      List<Mutation> mutations = c.draw("mutations", Mutation::some);
      readsAsItselfOrIsRejected(chunks.size(), Mutation.apply(mutations, chunks.bitfield().toByteArray()));
    });
  }

  @Test
  void aHugeSizeIsRejectedWithoutAllocatingIt() {
    Fuzz.check(c -> {
      int size = c.draw("size", r -> Gen.intIn(r, 1 << 24, Integer.MAX_VALUE));
      byte[] bytes = c.draw("bytes", r -> Gen.bytes(r, 64));
      long before = Allocations.soFar();
      assertThrows(IllegalArgumentException.class, () -> Bitfield.fromBytes(size, bytes));
      long allocated = Allocations.soFar() - before;
      assertTrue(allocated < 1024 * 1024, "a claim of " + size + " chunks allocated " + allocated);
    });
  }

  private static void readsAsItselfOrIsRejected(int size, byte[] bytes) {
    Bitfield b;
    try {
      b = Bitfield.fromBytes(size, bytes);
    } catch (IllegalArgumentException expected) {
      return;
    }
    assertEquals(size, b.size());
    assertArrayEquals(bytes, b.toByteArray());
    assertEquals(b, Bitfield.fromBytes(size, b.toByteArray()));
  }

  /** A size and a set of chunks below it. */
  record Chunks(int size, Set<Integer> set) {
    Bitfield bitfield() {
      Bitfield b = Bitfield.empty(size);
      for (int i : set) {
        b = b.with(i);
      }
      return b;
    }
  }

  /** Up to 3,000 chunks and up to 200 of them, the first and the last often among them. */
  static Chunks chunks(Random r) {
    int size = Gen.intIn(r, 0, 3000);
    Set<Integer> set = new TreeSet<>();
    for (int n = size == 0 ? 0 : Gen.size(r, Math.min(size, 200)); n > 0; n--) {
      set.add(Gen.intIn(r, 0, size - 1));
    }
    return new Chunks(size, set);
  }
}
