package io.swarmshare.benchmarks.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/swarm-sim} on a short scenario: every leecher verifies and the figures are sane. No
 * timing is asserted: the figures depend on the engine and the machine, which is what the
 * simulator is for.
 */
@Timeout(240)
class SwarmSimTest {
  private static final int LEECHERS = 30;
  private static final long SIZE = 4L << 20;

  @TempDir Path dir;

  @Test
  void thirtyLeechersOnDiskAllVerifyAndTheJsonLineHoldsSaneFigures() throws IOException {
    Path work = dir.resolve("run");
    Run run = run("--leechers", "" + LEECHERS, "--size", "4M", "--chunk", "64K", "--link", "8M", "--stagger", "200",
        "--timeout", "180", "--json", "--store", "disk", "--dir", work.toString());
    assertEquals(0, run.code, run.toString());
    assertEquals("", run.err, "no progress line when stderr is not a terminal");
    assertTrue(run.out.contains("All 30 leechers verified"), run.out);

    Map<String, Object> json = lastLineAsJson(run.out);
    assertEquals(true, json.get("ok"), run.out);
    assertEquals(30.0, json.get("leechers"));
    assertEquals(30.0, json.get("finished"));
    assertEquals((double) SIZE, json.get("size"));
    assertEquals(64.0 * 1024, json.get("chunkSize"));
    assertEquals(8.0 * 1024 * 1024, json.get("linkBytesPerSecond"));
    assertEquals("disk", json.get("store"));
    double seconds = number(json, "seconds");
    assertTrue(seconds > 0 && seconds <= 180, run.out);
    assertTrue(number(json, "cpuSeconds") > 0, run.out);
    double min = number(json, "minLinkUtilization");
    double p10 = number(json, "p10LinkUtilization");
    double median = number(json, "medianLinkUtilization");
    assertTrue(0 < min && min <= p10 && p10 <= median && median <= number(json, "maxLinkUtilization"), run.out);
    // Only the seeder holds the file at first, so each chunk's first copy anywhere comes from it:
    // it uploads the file at least once, and at most once per leecher.
    double ratio = number(json, "seederUploadRatio");
    assertTrue(ratio >= 1 && ratio <= LEECHERS, run.out);
    assertTrue(number(json, "seederSentRatio") >= ratio, run.out);
    assertTrue(number(json, "sentBytes") >= LEECHERS * SIZE, "every leecher's copy was sent by someone: " + run.out);
    double wasted = number(json, "wastedFraction");
    assertTrue(wasted >= 0 && wasted < 1, run.out);
    assertEquals(LEECHERS, ((List<?>) json.get("linkUtilizations")).size(), run.out);

    // With --dir the files stay: check every copy here too, independently of the simulator.
    String original = SwarmSim.sha256(work.resolve("seeder").resolve("swarm-sim.bin"));
    for (int i = 1; i <= LEECHERS; i++) {
      Path copy = work.resolve(String.format("leecher-%03d", i)).resolve("swarm-sim.bin");
      assertEquals(original, SwarmSim.sha256(copy), copy.toString());
    }
  }

  @Test
  void byDefaultTheLeechersKeepTheirChunksInMemoryAndEveryCopyIsChecked() throws IOException {
    Path work = dir.resolve("run");
    Run run = run("--leechers", "8", "--size", "1M", "--chunk", "64K", "--link", "8M", "--timeout", "120", "--json",
        "--dir", work.toString());
    assertEquals(0, run.code, run.toString());
    Map<String, Object> json = lastLineAsJson(run.out);
    assertEquals(true, json.get("ok"), run.out);
    assertEquals("memory", json.get("store"));
    assertEquals(8.0, json.get("finished"));
    assertTrue(run.out.contains("leechers storing to memory"), run.out);
    // Only the seeder's file is on disk; each leecher's chunks were compared with it as they came.
    try (var entries = Files.list(work.resolve("leecher-001"))) {
      assertEquals(0, entries.count(), "a leecher in memory writes no file");
    }
  }

  @Test
  void copiesThatCannotFitOnDiskAreRefusedBeforeAnythingStarts() {
    // Three copies of 16 TiB: no disk here has that much free, so nothing starts.
    Run run = run("--leechers", "2", "--size", "16T", "--chunk", "16M", "--store", "disk", "--dir",
        dir.resolve("run").toString());
    assertEquals(1, run.code, run.toString());
    assertTrue(run.err.contains("3 copies of a ") && run.err.contains("is free"), run.err);
  }

  @Test
  void aCommandLineItCannotRunIsAUsageError() {
    for (String[] args : List.of(new String[] {"--leechers", "0"}, new String[] {"--chunk", "3K"},
        new String[] {"--link", "fast"}, new String[] {"--size"}, new String[] {"--frobnicate"},
        new String[] {"--size", "1T", "--chunk", "16K"}, new String[] {"--store", "tape"})) {
      Run run = run(args);
      assertEquals(2, run.code, run.toString());
      assertTrue(run.err.startsWith("swarm-sim: ") && run.err.strip().endsWith("see bin/swarm-sim --help"), run.err);
    }
  }

  @Test
  void helpListsTheOptions() {
    Run run = run("--help");
    assertEquals(0, run.code, run.toString());
    for (String option : List.of("--leechers", "--size", "--chunk", "--link", "--up", "--down", "--stagger", "--seed",
        "--store", "--dir", "--timeout", "--json")) {
      assertTrue(run.out.contains(option), option + " missing from:\n" + run.out);
    }
  }

  @Test
  void aDirectoryThatIsNotEmptyIsRefused() throws IOException {
    Files.writeString(dir.resolve("keep.txt"), "mine");
    Run run = run("--leechers", "1", "--size", "64K", "--dir", dir.toString());
    assertEquals(1, run.code, run.toString());
    assertTrue(run.err.contains("is not empty"), run.err);
    assertEquals("mine", Files.readString(dir.resolve("keep.txt")));
  }

  private record Run(int code, String out, String err) {
    @Override
    public String toString() {
      return "exit " + code + "\nstdout:\n" + out + "\nstderr:\n" + err;
    }
  }

  private static Run run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code;
    try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      code = SwarmSim.run(o, e, false, args);
    }
    return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  private static double number(Map<String, Object> json, String field) {
    Object v = json.get(field);
    assertTrue(v instanceof Double d && Double.isFinite(d), field + " is " + v + " in " + json);
    return (Double) v;
  }

  /** The last line as a flat JSON object: numbers as doubles, arrays of numbers as lists. */
  private static Map<String, Object> lastLineAsJson(String out) throws IOException {
    String[] lines = out.strip().split("\n");
    Map<String, Object> fields = new HashMap<>();
    try (JsonParser p = new JsonFactory().createParser(lines[lines.length - 1])) {
      assertEquals(JsonToken.START_OBJECT, p.nextToken(), out);
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken t = p.nextToken();
        fields.put(name, switch (t) {
          case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> p.getDoubleValue();
          case VALUE_TRUE, VALUE_FALSE -> p.getBooleanValue();
          case VALUE_NULL -> "null";
          case START_ARRAY -> {
            List<Double> items = new ArrayList<>();
            while (p.nextToken() != JsonToken.END_ARRAY) {
              items.add(p.getDoubleValue());
            }
            yield items;
          }
          default -> p.getText();
        });
      }
      assertEquals(null, p.nextToken(), "one object on the last line");
    }
    return fields;
  }
}
