package io.swarmshare.examples;

import io.swarmshare.SwarmShare;
import io.swarmshare.api.Download;
import io.swarmshare.api.DownloadOption;
import io.swarmshare.api.DownloadResult;
import io.swarmshare.api.FileEntry;
import io.swarmshare.api.FileId;
import io.swarmshare.api.SwarmClient;
import io.swarmshare.api.SwarmException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Fetches every file a tracker lists (or those whose name contains TEXT) into a directory, all at
 * once. Each chunk and each whole file is checked against its id before it is kept; a download
 * cut short resumes when the program runs again.
 *
 * <p>Run: {@code bin/example FetchArtifacts TRACKER DIR [TEXT]}, for example
 * {@code bin/example FetchArtifacts 127.0.0.1:8888 artifacts .jar}.
 */
public final class FetchArtifacts {
  private FetchArtifacts() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 2) {
      System.err.println("usage: FetchArtifacts TRACKER DIR [TEXT]");
      System.exit(2);
    }
    Path dir = Path.of(args[1]);
    String text = args.length > 2 ? args[2] : "";
    int failed = 0;
    try (SwarmClient client = SwarmShare.client().tracker(args[0]).start()) {
      // One file may be listed under several names: fetch each id once.
      Map<FileId, FileEntry> files = new LinkedHashMap<>();
      for (FileEntry e : client.search(text, 50)) {
        files.putIfAbsent(e.id(), e);
      }
      if (files.isEmpty()) {
        System.err.println("nothing on the tracker matches '" + text + "'");
        System.exit(1);
      }
      // Start every download first so they run in parallel, then wait for each.
      Map<FileEntry, Download> downloads = new LinkedHashMap<>();
      for (FileEntry e : files.values()) {
        downloads.put(e, client.download(e.id(), dir, DownloadOption.OVERWRITE, DownloadOption.NO_SEED));
      }
      for (var d : downloads.entrySet()) {
        try {
          DownloadResult r = d.getValue().await();
          System.out.printf("fetched %-32s %10d bytes  verified  %s%n", d.getKey().name(), r.size(), r.path());
        } catch (SwarmException e) {
          failed++;
          System.out.printf("FAILED  %-32s %s%n", d.getKey().name(), e.getMessage());
        }
      }
    }
    System.exit(failed == 0 ? 0 : 1);
  }
}
