package io.swarmshare.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.swarmshare.api.FileEntry;
import io.swarmshare.api.SharedFile;
import io.swarmshare.api.SwarmClient;
import io.swarmshare.testkit.Await;
import io.swarmshare.testkit.LoopbackSwarm;
import io.swarmshare.testkit.TestFiles;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class MenuCommandTest {
  @TempDir Path dir;
  private LoopbackSwarm swarm;
  private SharedFile report;

  @BeforeEach
  void startASeeder() throws Exception {
    swarm = new LoopbackSwarm();
    SwarmClient seeder = swarm.client("seeder");
    report = seeder.share(TestFiles.random(dir.resolve("seeder"), "report.pdf", 300_000, 1));
    seeder.share(TestFiles.random(dir.resolve("seeder"), "photos.zip", 1_000, 2));
  }

  @AfterEach
  void stop() {
    swarm.close();
  }

  static ManifestCommandTest.Run run(InputStream in, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(args, in, new PrintWriter(out, true), new PrintWriter(err, true));
    return new ManifestCommandTest.Run(code, out.toString().replace("\r", ""), err.toString().replace("\r", ""));
  }

  ManifestCommandTest.Run menu(String input, String... extra) {
    List<String> args = new java.util.ArrayList<>(List.of("menu", "--tracker", swarm.trackerAddress().toString(),
        "-o", dir.resolve("downloads").toString()));
    args.addAll(List.of(extra));
    return run(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)), args.toArray(String[]::new));
  }

  @Test
  void qQuitsWithExitCode0() {
    ManifestCommandTest.Run r = menu("q\n");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("The tracker lists 2 files."), r.out());
    assertTrue(r.out().contains("s [TEXT]"), "the menu shows its commands: " + r.out());
    assertTrue(r.out().strip().endsWith("> q\nbye"), "piped commands are echoed after the prompt: " + r.out());
    assertEquals("", r.err());
  }

  @Test
  void theEndOfInputQuitsToo() {
    assertEquals(0, menu("").code());
  }

  @Test
  void searchThenDownloadByNumberFetchesWhatTheSeederShares() {
    ManifestCommandTest.Run r = menu("s rep\nd 1\nl\nq\n");

    assertEquals(0, r.code(), r.out() + r.err());
    Path got = dir.resolve("downloads").resolve("report.pdf");
    assertTrue(Files.isRegularFile(got), r.out());
    assertEquals(TestFiles.sha256(report.path()), TestFiles.sha256(got));
    assertTrue(r.out().matches("(?s).*  1  report\\.pdf +293\\.0 KiB +1  " + report.id().shortForm() + "\n.*"),
        "search lists number, name, size, peers and id: " + r.out());
    assertTrue(r.out().contains("Downloaded " + got + " (293.0 KiB)")
        && r.out().contains("from 1 peer; verified"), r.out());
    assertTrue(r.out().matches("(?s).*report\\.pdf +293\\.0 KiB  " + report.id().shortForm() + "  downloaded  .*"),
        "the list shows the download, now served: " + r.out());
    assertTrue(r.err().contains("downloading report.pdf 100.0%"), "progress goes to stderr: " + r.err());
  }

  @Test
  void aCommandWithoutItsArgumentAsksForIt() {
    ManifestCommandTest.Run r = menu("s\n\nd\nphotos.zip\nq\n");

    assertEquals(0, r.code(), r.out() + r.err());
    assertTrue(r.out().contains("search for (Enter lists every file): \n"), r.out());
    assertTrue(r.out().contains("  2  report.pdf"), "an empty search lists every file: " + r.out());
    assertTrue(Files.isRegularFile(dir.resolve("downloads").resolve("photos.zip")), r.out());
  }

  @Test
  void aFailedCommandIsReportedTheMenuGoesOnAndTheExitCodeIs1() {
    ManifestCommandTest.Run r = menu("d 3\nfrobnicate\nd nothing-like-it\nl\nq\n");

    assertEquals(1, r.code());
    assertEquals("""
        swarmshare: no search results to pick 3 from; search first with s TEXT
        swarmshare: unknown command 'frobnicate'; type h for the list
        swarmshare: no file named 'nothing-like-it' on the tracker; try 'swarmshare search nothing-like-it'
        """, r.err());
    assertTrue(r.out().contains("Serving nothing yet"), r.out());
    assertTrue(r.out().strip().endsWith("bye"), r.out());
  }

  @Test
  void shareOptionServesEveryFileInTheDirectoryWhileTheMenuRuns() throws Exception {
    Path mine = dir.resolve("mine");
    Path a = TestFiles.random(mine, "a.bin", 50_000, 3);
    TestFiles.random(mine, "b.bin", 70_000, 4);
    PipedOutputStream keys = new PipedOutputStream();
    PipedInputStream in = new PipedInputStream(keys);
    AtomicInteger code = new AtomicInteger(-1);
    StringWriter out = new StringWriter();
    Thread menu = Thread.ofPlatform().start(() -> code.set(Main.run(
        new String[] {"menu", "--share", mine.toString(), "--tracker", swarm.trackerAddress().toString()},
        in, new PrintWriter(out, true), new PrintWriter(new StringWriter(), true))));
    try {
      Await.until(() -> search("a.bin").peers() == 1 && search("b.bin").peers() == 1, Duration.ofSeconds(20),
          () -> "the menu did not share a.bin and b.bin: " + out);
      SwarmClient other = swarm.client("other");
      var got = other.download(search("a.bin").id(), dir.resolve("other")).await();
      assertEquals(TestFiles.sha256(a), TestFiles.sha256(got.path()));
      keys.write("l\nq\n".getBytes(StandardCharsets.UTF_8));
      keys.flush();
      menu.join(20_000);
    } finally {
      keys.close();
    }
    assertEquals(0, code.get(), out.toString());
    assertTrue(out.toString().contains("Sharing a.bin (48.8 KiB), id "), out.toString());
    assertTrue(out.toString().contains("Serving 2 files on port"), out.toString());
  }

  private FileEntry search(String name) {
    try {
      return swarm.tracker().search(name, 1).stream().findFirst().orElse(new FileEntry(report.id(), "-", 0, 0));
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void noArgumentsOutsideATerminalPrintsHelpForScripts() {
    ManifestCommandTest.Run r = run(InputStream.nullInputStream());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().startsWith("Usage: swarmshare"), r.out());
    assertTrue(r.out().contains("menu"), r.out());
    assertTrue(r.out().contains("Exit codes"), r.out());
  }
}
