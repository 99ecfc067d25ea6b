package io.swarmshare.internal.peer;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The frame warm-up runs only for files whose own frames would compile the same code. */
class FrameWarmupTest {
  @Test
  void aFileOfFewChunksIsNotWarmedUpFor() {
    assertFalse(FrameWarmup.repays(64)); // 64 MiB in 1 MiB chunks: a fleet of these paid for it
    assertFalse(FrameWarmup.repays(FrameWarmup.MIN_CHUNKS - 1));
  }

  @Test
  void aFileOfManyChunksIsWarmedUpFor() {
    assertTrue(FrameWarmup.repays(1_024)); // 1 GiB in 1 MiB chunks
    assertTrue(FrameWarmup.repays(FrameWarmup.MIN_CHUNKS));
  }
}
