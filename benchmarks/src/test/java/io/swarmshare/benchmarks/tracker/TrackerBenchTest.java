package io.swarmshare.benchmarks.tracker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.swarmshare.RunningTracker;
import io.swarmshare.SwarmShare;
import io.swarmshare.api.Announcement;
import io.swarmshare.api.Bitfield;
import io.swarmshare.api.Manifest;
import io.swarmshare.api.PeerAddress;
import io.swarmshare.api.PeerId;
import io.swarmshare.api.PeerInfo;
import io.swarmshare.api.SwarmException;
import io.swarmshare.api.Tracker;
import io.swarmshare.internal.tracker.RemoteTracker;
import io.swarmshare.internal.transport.TcpTransport;
import io.swarmshare.testkit.RedisServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code bin/tracker-bench} on a tiny population: it runs against a real tracker process and its
 * report is sane. No latency bound is asserted (that depends on the machine, which is what the
 * benchmark measures); the ramp's bound is set loose and its top low, so the ramp takes exactly
 * one step.
 */
@Timeout(60)
class TrackerBenchTest {
  @Test
  void aTinyPopulationRunsAndTheJsonLineHoldsSaneFigures() throws IOException {
    // 100 files for 200 peers: swarms of a few peers, too small to fill a download's slots, so
    // downloads keep asking for peers.
    Run run = run("--peers", "200", "--files", "100", "--warmup", "1", "--duration", "2", "--step", "1",
        "--ramp-p99", "60000", "--max-rate", "100", "--json");
    assertEquals(0, run.code, run.toString());
    assertEquals("", run.err, "no progress line when stderr is not a terminal");
    assertTrue(run.out.contains("200 simulated peers"), run.out);

    Map<String, Object> json = lastLineAsJson(run.out);
    assertEquals(true, json.get("ok"), run.out);
    assertEquals("memory", json.get("store"));
    assertEquals(200.0, json.get("peers"));
    assertEquals(100.0, json.get("files"));
    assertEquals(10.0, json.get("downloaders"), "5% of the peers download");
    double entries = number(json, "heldEntries");
    assertTrue(entries >= 200 * 3 && entries <= 200 * 5, run.out);
    // Every request of the measured run was answered, without an error (the last few may come
    // just after the run's end).
    double requests = number(json, "requests");
    assertTrue(requests > 0, run.out);
    assertTrue(number(json, "answeredInTime") >= 0.9 * requests, run.out);
    assertEquals(0.0, number(json, "errors"), run.out);
    assertEquals(0.0, number(json, "unanswered"), run.out);
    assertEquals(requests, number(json, "announces") + number(json, "peersQueries"), run.out);
    assertTrue(number(json, "peersQueries") > 0, "downloads ask for peers: " + run.out);
    double p50 = number(json, "announceP50Ms");
    double p99 = number(json, "announceP99Ms");
    assertTrue(0 < p50 && p50 <= p99 && p99 <= number(json, "announceMaxMs"), run.out);
    assertTrue(number(json, "peersP99Ms") > 0, run.out);
    // 200 connections cost the tracker heap; the memory is measured, not guessed.
    assertTrue(number(json, "trackerHeapConnectedBytes") > number(json, "trackerHeapEmptyBytes"), run.out);
    assertTrue(number(json, "trackerHeapPerConnectionBytes") > 0, run.out);
    assertTrue(number(json, "trackerRssBytes") > 0, run.out);
    // The ramp: the population's own rate (about 60/s) passed the loose bound, 100/s (the top) too.
    @SuppressWarnings("unchecked")
    List<Object> steps = (List<Object>) json.get("rampSteps");
    assertEquals(1, steps.size(), run.out);
    assertEquals(true, json.get("rampCapped"), run.out);
    assertEquals(100.0, number(json, "maxRequestsPerSecond"), run.out);
    double maxAnnounces = number(json, "maxAnnouncesPerSecond");
    assertTrue(maxAnnounces > 50 && maxAnnounces < 100, "announces are most of the mix: " + run.out);
  }

  @Test
  void aRedisStoreRunReportsRedisMemoryAndCpu() throws Exception {
    try (RedisServer redis = RedisServer.start()) {
      Run run = run("--peers", "50", "--files", "5", "--warmup", "1", "--duration", "2", "--no-ramp",
          "--store", redis.uri(), "--json");
      assertEquals(0, run.code, run.toString());
      Map<String, Object> json = lastLineAsJson(run.out);
      assertEquals("redis", json.get("store"), run.out);
      assertEquals(0.0, number(json, "errors"), run.out);
      assertTrue(number(json, "redisBytesPerPeer") > 0, run.out);
      assertTrue(number(json, "redisCpuMicrosPerRequest") > 0, "Redis's CPU is read from INFO cpu: " + run.out);
      assertTrue(run.out.contains(", Redis "), "the text report names Redis's CPU per request: " + run.out);
    }
  }

  @Test
  void aTrackerThatRefusesConnectionsFailsTheRunAndSaysWhy() {
    Run run = run("--peers", "30", "--files", "5", "--max-connections", "20", "--no-ramp", "--duration", "1");
    assertEquals(1, run.code, run.toString());
    assertTrue(run.err.contains("did not take every peer's connection") && run.err.contains("busy"), run.err);
    assertTrue(run.err.contains("--max-connections 20"), run.err);
  }

  @Test
  void aRedisStoreThatIsNotThereIsAClearError() {
    Run run = run("--peers", "10", "--files", "5", "--store", "redis://127.0.0.1:1");
    assertEquals(1, run.code, run.toString());
    assertTrue(run.err.startsWith("tracker-bench: cannot read the memory of Redis at 127.0.0.1:1"), run.err);
  }

  @Test
  void peersSpeakFromTheirOwnLoopbackAddresses() throws SwarmException {
    Manifest m = Manifest.of(1 << 20, 1 << 20, "ab".repeat(32), new byte[32]);
    try (RunningTracker tracker = SwarmShare.tracker().port(0).bind("127.0.0.1").start()) {
      tracker.register(m, "spread.bin");
      List<Tracker> clients = new ArrayList<>();
      try {
        for (int i = 0; i < 3; i++) {
          PeerId id = PeerId.random();
          Tracker t = new RemoteTracker(tracker.address(), new TcpTransport(Population.source(i)), id,
              RemoteTracker.Settings.DEFAULTS);
          clients.add(t);
          t.announce(new Announcement(m.id(), id, new PeerAddress("127.0.0.1", 7000 + i), Bitfield.full(1)));
        }
        Set<String> hosts = tracker.peers(m.id(), 10).stream().map(p -> p.address().host())
            .collect(Collectors.toSet());
        assertEquals(Set.of("127.1.0.1", "127.1.0.2", "127.1.0.3"), hosts,
            "the tracker lists each peer at the address its connection came from");
      } finally {
        clients.forEach(Tracker::close);
      }
    }
  }

  @Test
  void aCommandLineItCannotRunIsAUsageError() {
    for (String[] args : List.of(new String[] {"--peers", "0"}, new String[] {"--files-per-peer", "5-3"},
        new String[] {"--files", "3", "--files-per-peer", "4"}, new String[] {"--store", "postgres://x"},
        new String[] {"--downloaders", "2"}, new String[] {"--peers"}, new String[] {"--frobnicate"})) {
      Run run = run(args);
      assertEquals(2, run.code, run.toString());
      assertTrue(run.err.startsWith("tracker-bench: ") && run.err.strip().endsWith("see bin/tracker-bench --help"),
          run.err);
    }
  }

  @Test
  void helpListsTheOptions() {
    Run run = run("--help");
    assertEquals(0, run.code, run.toString());
    for (String option : List.of("--peers", "--files", "--files-per-peer", "--chunks", "--downloaders", "--interval",
        "--warmup", "--duration", "--step", "--ramp-p99", "--max-rate", "--no-ramp", "--per-address",
        "--max-connections", "--store", "--seed", "--json")) {
      assertTrue(run.out.contains(option), option + " missing from:\n" + run.out);
    }
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
      code = TrackerBench.run(o, e, false, args);
    }
    return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  private static double number(Map<String, Object> json, String field) {
    Object v = json.get(field);
    assertTrue(v instanceof Double d && Double.isFinite(d), field + " is " + v + " in " + json);
    return (Double) v;
  }

  /** The last line as a JSON object: numbers as doubles, nested objects as maps, arrays as lists. */
  private static Map<String, Object> lastLineAsJson(String out) throws IOException {
    String[] lines = out.strip().split("\n");
    try (JsonParser p = new JsonFactory().createParser(lines[lines.length - 1])) {
      assertEquals(JsonToken.START_OBJECT, p.nextToken(), out);
      Map<String, Object> fields = object(p);
      assertEquals(null, p.nextToken(), "one object on the last line");
      return fields;
    }
  }

  private static Map<String, Object> object(JsonParser p) throws IOException {
    Map<String, Object> fields = new HashMap<>();
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      fields.put(name, value(p, p.nextToken()));
    }
    return fields;
  }

  private static Object value(JsonParser p, JsonToken t) throws IOException {
    return switch (t) {
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> p.getDoubleValue();
      case VALUE_TRUE, VALUE_FALSE -> p.getBooleanValue();
      case VALUE_NULL -> "null";
      case START_OBJECT -> object(p);
      case START_ARRAY -> {
        List<Object> items = new ArrayList<>();
        for (JsonToken e; (e = p.nextToken()) != JsonToken.END_ARRAY; ) {
          items.add(value(p, e));
        }
        yield items;
      }
      default -> p.getText();
    };
  }
}
