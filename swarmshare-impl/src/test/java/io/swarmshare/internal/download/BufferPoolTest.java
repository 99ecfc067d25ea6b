package io.swarmshare.internal.download;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class BufferPoolTest {
  @Test
  void buffersGivenBackAreReusedClearedAndKeepTheirKind() {
    BufferPool pool = new BufferPool(4096);
    ByteBuffer d = pool.take(true);
    ByteBuffer h = pool.take(false);
    assertTrue(d.isDirect());
    assertFalse(h.isDirect());
    d.position(100).limit(200);
    pool.give(d);
    pool.give(h);
    ByteBuffer again = pool.take(true);
    assertSame(d, again);
    assertEquals(0, again.position());
    assertEquals(4096, again.limit());
    assertSame(h, pool.take(false));
  }

  @Test
  void directBuffersStartAtTheAlignmentTheFileStoreWritesAroundThePageCacheWith() {
    for (int size : new int[] {16_384, 1 << 20, 1000, 4097}) {
      ByteBuffer b = new BufferPool(size).take(true);
      assertEquals(size, b.capacity(), "exactly the chunk, whatever its size");
      assertEquals(0, b.alignmentOffset(0, BufferPool.ALIGNMENT), "size " + size);
    }
  }

  @Test
  void aClosedPoolKeepsNothingGivenBack() {
    BufferPool pool = new BufferPool(4096);
    ByteBuffer before = pool.take(true);
    pool.give(before);
    pool.close();
    ByteBuffer late = pool.take(true);
    assertNotSame(before, late, "what was pooled is dropped at close");
    pool.give(late);
    assertNotSame(late, pool.take(true), "and nothing is pooled after it");
  }

  @Test
  void whenDirectMemoryIsUsedUpAHeapBufferServesInstead() {
    int[] asked = {0};
    BufferPool pool = new BufferPool(4096, size -> {
      asked[0]++;
      throw new OutOfMemoryError("Cannot reserve 4096 bytes of direct buffer memory");
    });
    ByteBuffer b = pool.take(true);
    assertFalse(b.isDirect());
    assertEquals(4096, b.capacity());
    assertEquals(1, asked[0]);
    pool.give(b); // back among the heap buffers, where the next fallback finds it
    assertSame(b, pool.take(true));
  }
}
