package io.swarmshare.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CompletionCommandTest {
  @Test
  void printsABashCompletionScriptForEveryCommandAndOption() {
    ManifestCommandTest.Run r = ManifestCommandTest.run("completion");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("complete -F _complete_swarmshare"), r.out());
    for (String word : new String[] {"share", "get", "search", "tracker", "--tracker", "--max-download-rate", "--store"}) {
      assertTrue(r.out().contains(word), word + " in the script");
    }
  }
}
