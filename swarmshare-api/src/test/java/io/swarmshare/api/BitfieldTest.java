package io.swarmshare.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class BitfieldTest {
  @Test
  void chunkZeroIsTheHighBitOfByteZero() {
    Bitfield b = Bitfield.empty(10).with(0).with(9);
    assertArrayEquals(new byte[] {(byte) 0x80, 0x40}, b.toByteArray());
    assertTrue(b.get(0));
    assertTrue(b.get(9));
    assertFalse(b.get(1));
    assertEquals(2, b.cardinality());
  }

  @Test
  void fullHasNoPaddingBits() {
    assertArrayEquals(new byte[] {(byte) 0xFF, (byte) 0xE0}, Bitfield.full(11).toByteArray());
    assertTrue(Bitfield.full(11).isComplete());
    assertTrue(Bitfield.empty(0).isComplete());
  }

  @Test
  void rejectsWrongLengthAndPaddingBits() {
    assertThrows(IllegalArgumentException.class, () -> Bitfield.fromBytes(10, new byte[1]));
    assertThrows(IllegalArgumentException.class, () -> Bitfield.fromBytes(10, new byte[] {0, 1}));
    assertEquals(Bitfield.empty(10).with(3), Bitfield.fromBytes(10, new byte[] {0x10, 0}));
  }

  @Test
  void orAndNextSet() {
    Bitfield a = Bitfield.empty(20).with(3);
    Bitfield b = Bitfield.empty(20).with(17);
    Bitfield c = a.or(b);
    assertEquals(3, c.nextSet(0));
    assertEquals(17, c.nextSet(4));
    assertEquals(-1, c.nextSet(18));
  }
}
