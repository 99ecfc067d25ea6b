package io.swarmshare.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * {@link Bitfield#fromBytes} reads what peers and trackers send. It returns a bitfield whose wire
 * form is exactly the bytes given, or throws {@link IllegalArgumentException} (its documented
 * failure, which every caller turns into a protocol error); it never allocates what a size claims.
 */
class BitfieldProperties {
  @Property
  void everySetOfChunksRoundTrips(@ForAll("sets") Chunks chunks) {
    Bitfield b = Bitfield.empty(chunks.size());
    for (int i : chunks.set()) {
      b = b.with(i);
    }
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
  }

  @Property
  void arbitraryBytesAreRejectedCleanlyOrReencodeIdentically(
      @ForAll @IntRange(min = -8, max = 3000) int size, @ForAll @Size(max = 400) byte[] bytes) {
    readsAsItselfOrIsRejected(size, bytes);
  }

  @Property
  void mutatedBitfieldsAreRejectedCleanlyOrReencodeIdentically(
      @ForAll("sets") Chunks chunks, @ForAll("mutations") List<Mutation> mutations) {
    Bitfield b = Bitfield.empty(chunks.size());
    for (int i : chunks.set()) {
      b = b.with(i);
    }
    readsAsItselfOrIsRejected(chunks.size(), Mutation.apply(mutations, b.toByteArray()));
  }

  @Property
  void aHugeSizeIsRejectedWithoutAllocatingIt(
      @ForAll @IntRange(min = 1 << 24, max = Integer.MAX_VALUE) int size, @ForAll @Size(max = 64) byte[] bytes) {
    long before = Allocations.soFar();
    assertThrows(IllegalArgumentException.class, () -> Bitfield.fromBytes(size, bytes));
    long allocated = Allocations.soFar() - before;
    assertTrue(allocated < 1024 * 1024, "a claim of " + size + " chunks allocated " + allocated);
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
  record Chunks(int size, Set<Integer> set) {}

  @Provide
  static Arbitrary<Chunks> sets() {
    return Arbitraries.integers().between(0, 3000).flatMap(size -> size == 0
        ? Arbitraries.just(new Chunks(0, Set.of()))
        : Arbitraries.integers().between(0, size - 1).set().ofMaxSize(Math.min(size, 200))
            .map(s -> new Chunks(size, new TreeSet<>(s))));
  }

  @Provide
  static Arbitrary<List<Mutation>> mutations() {
    return Mutation.some();
  }
}
