package io.swarmshare.internal.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.swarmshare.api.FileId;
import io.swarmshare.api.SwarmStats;
import io.swarmshare.api.TrackerStats;
import io.swarmshare.internal.tracker.TrackerCounters;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The exposition format's escaping and its bounds, on figures made up for the purpose. */
class PrometheusTextTest {
  @Test
  void labelValuesEscapeBackslashQuoteAndLineFeedAndNothingElse() {
    assertEquals("a\\\\b\\\"c\\nd é <x>", PrometheusText.escapeLabel("a\\b\"c\nd é <x>"));
    assertEquals("line\\\\n\\nnext", PrometheusText.escapeHelp("line\\n\nnext"));
  }

  @Test
  void unknownFiguresAreLeftOutAndPerFileSeriesAreCapped() {
    List<SwarmStats> swarms = new ArrayList<>();
    for (int i = 0; i < 120; i++) {
      swarms.add(new SwarmStats(new FileId(String.format("%064x", i)), List.of("f" + i), 1, 1, -1, -1, -1, -1));
    }
    TrackerStats stats = new TrackerStats(3, -1, -1, -1, Map.of("announce", 5L), Map.of("weird\"code", 1L), -1, -1, -1,
        swarms);
    String text = PrometheusText.of(stats, new TrackerCounters(), "v\n1");
    assertFalse(text.contains("swarmshare_tracker_peers "), text);
    assertFalse(text.contains(" -1\n"), "no -1 is exposed:\n" + text);
    assertTrue(text.contains("swarmshare_tracker_info{version=\"v\\n1\"} 1\n"), text);
    assertTrue(text.contains("swarmshare_tracker_errors_total{code=\"weird\\\"code\"} 1\n"), text);
    assertEquals(PrometheusText.MAX_FILE_SERIES, text.lines().filter(l -> l.startsWith("swarmshare_tracker_file_peers{")).count());
  }
}
