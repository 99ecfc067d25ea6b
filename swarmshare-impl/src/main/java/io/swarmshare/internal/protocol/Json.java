package io.swarmshare.internal.protocol;

import com.fasterxml.jackson.core.util.BufferRecycler;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.core.util.RecyclerPool;

/** What the frame reader and writer share of jackson-core. */
final class Json {
  private Json() {}

  /**
   * The buffers jackson-core parses and generates with, lent out per header and returned after
   * it. Jackson's default keeps a set (about 16 KiB) per thread, and every connection has a
   * virtual thread of its own that lives as long as it does: ten thousand idle tracker
   * connections held 160 MiB of them. A shared pool holds only as many sets as headers are in
   * flight at once.
   */
  static final RecyclerPool<BufferRecycler> BUFFERS = JsonRecyclerPools.sharedConcurrentDequePool();
}
