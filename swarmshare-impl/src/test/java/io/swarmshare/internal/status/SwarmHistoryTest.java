package io.swarmshare.internal.status;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.swarmshare.api.FileId;
import io.swarmshare.api.SwarmStats;
import io.swarmshare.api.TrackerStats;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The page's throughput series: rates from growing counts, a bounded window, unknown counts left out. */
class SwarmHistoryTest {
  private static final FileId FILE = new FileId("ab".repeat(32));
  private static final long SECOND = 1_000_000_000L;

  private static TrackerStats stats(long total, long file) {
    return new TrackerStats(0, 1, 1, 1, Map.of(), Map.of(), 0, 0, total,
        List.of(new SwarmStats(FILE, List.of("f"), 1, 1, 1, 0, 0, file)));
  }

  @Test
  void theFirstSampleIsABaselineAndLaterOnesAreBytesPerSecond() {
    SwarmHistory h = new SwarmHistory();
    h.sample(stats(1_000, 500), 0);
    assertArrayEquals(new long[0], h.total(), "one sample is no rate yet");
    h.sample(stats(5_000, 2_500), 2 * SECOND);
    h.sample(stats(4_000, 2_500), 4 * SECOND); // a count that fell: nothing moved, as far as we can tell
    assertArrayEquals(new long[] {2_000, 0}, h.total());
    assertArrayEquals(new long[] {1_000, 0}, h.of(FILE));
  }

  @Test
  void theWindowKeepsTheLastPointsAndUnknownCountsMakeNoSeries() {
    SwarmHistory h = new SwarmHistory();
    for (int i = 0; i <= SwarmHistory.POINTS + 10; i++) {
      h.sample(stats(i * 2L * SwarmHistory.STEP_SECONDS, -1), i * SwarmHistory.STEP_SECONDS * SECOND);
    }
    assertEquals(SwarmHistory.POINTS, h.total().length);
    assertEquals(2, h.total()[SwarmHistory.POINTS - 1]);
    assertArrayEquals(new long[0], h.of(FILE), "a store that reports no bytes has no file series");
  }
}
