package io.swarmshare.internal.store;

import io.swarmshare.api.Manifest;
import io.swarmshare.internal.manifest.ManifestBuilder;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Decides what an earlier run left is worth: reads the resume record, and if it is for this
 * file and the {@code .part} has the right size, re-hashes (in parallel) every chunk it names,
 * keeping only those that verify. Anything else is discarded with a note saying why.
 *
 * @param kept chunks kept
 * @param discarded chunks the record named that did not verify
 * @param note why leftovers were discarded wholesale, or empty
 */
record Resume(int kept, int discarded, String note) {
  static Resume examine(Path record, Path part, Manifest manifest, ChunkSet verified) throws IOException {
    if (!Files.exists(record)) {
      if (Files.exists(part)) {
        Files.delete(part);
        return new Resume(0, 0, "a .part without a resume record was discarded");
      }
      return new Resume(0, 0, "");
    }
    ResumeRecord r;
    try {
      r = ResumeRecord.read(record);
    } catch (NoSuchFileException e) {
      return new Resume(0, 0, "");
    } catch (IOException e) {
      discard(record, part);
      return new Resume(0, 0, e.getMessage() + "; starting over");
    }
    if (!r.id().equals(manifest.id())) {
      discard(record, part);
      return new Resume(0, 0, "the resume record is for another file (" + r.id().shortForm() + "); starting over");
    }
    if (!Files.exists(part) || Files.size(part) != manifest.size()) {
      long size = Files.exists(part) ? Files.size(part) : -1;
      discard(record, part);
      return new Resume(0, 0, size < 0 ? "the .part file is missing; starting over"
          : "the .part file has " + size + " bytes instead of " + manifest.size() + "; starting over");
    }
    List<Integer> named = new ArrayList<>();
    for (int i = r.verified().nextSet(0); i >= 0; i = r.verified().nextSet(i + 1)) {
      named.add(i);
    }
    AtomicInteger bad = new AtomicInteger();
    int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
    try (FileChannel ch = FileChannel.open(part, StandardOpenOption.READ);
        ExecutorService pool = Executors.newFixedThreadPool(threads)) {
      List<Future<?>> tasks = new ArrayList<>();
      int per = Math.max(1, (named.size() + threads - 1) / threads);
      for (int start = 0; start < named.size(); start += per) {
        List<Integer> slice = named.subList(start, Math.min(named.size(), start + per));
        tasks.add(pool.submit(() -> {
          MessageDigest sha = ManifestBuilder.sha256();
          ByteBuffer buffer = ByteBuffer.allocate(manifest.chunkSize());
          for (int index : slice) {
            buffer.clear().limit(manifest.chunkLength(index));
            long pos = manifest.chunkOffset(index);
            while (buffer.hasRemaining()) {
              int n = ch.read(buffer, pos);
              if (n < 0) {
                break;
              }
              pos += n;
            }
            buffer.flip();
            sha.update(buffer);
            if (manifest.chunkHashMatches(index, sha.digest())) {
              verified.add(index);
            } else {
              bad.incrementAndGet();
            }
          }
          return null;
        }));
      }
      for (Future<?> f : tasks) {
        f.get();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while checking resumed chunks", e);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IOException("cannot re-check resumed chunks: " + e.getCause().getMessage(), e.getCause());
    }
    return new Resume(verified.count(), bad.get(), "");
  }

  private static void discard(Path record, Path part) throws IOException {
    Files.deleteIfExists(record);
    Files.deleteIfExists(part);
  }
}
