package io.swarmshare.internal.store;

import io.swarmshare.api.Bitfield;
import io.swarmshare.api.Manifest;
import io.swarmshare.internal.manifest.ManifestBuilder;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Decides what an earlier run left is worth: reads the resume record, and if it is for this
 * file and the {@code .part} has the right size, re-hashes (in parallel) every chunk the record
 * or the marks name, keeping only those that verify. Anything else is discarded with a note
 * saying why. Nothing on disk is trusted: a chunk counts only if its bytes match the manifest,
 * and a link (or anything else that is not a plain file) under one of the three names is removed,
 * never followed.
 *
 * @param kept chunks kept
 * @param discarded chunks the record or marks named that did not verify
 * @param note why leftovers were discarded wholesale, or empty
 * @param partKept true if the {@code .part} was kept, to be written on; false if it is gone and
 *     must be created anew
 */
record Resume(int kept, int discarded, String note, boolean partKept) {
  /** Leftovers discarded: no {@code .part} is left. */
  Resume(int kept, int discarded, String note) {
    this(kept, discarded, note, false);
  }

  static Resume examine(Path record, Path marks, Path part, Manifest manifest, ChunkSet verified) throws IOException {
    // A link, pipe or directory under one of these names is someone else's doing: it goes.
    List<String> junk = LocalFiles.removeJunk(record, marks, part);
    Resume r = examinePlain(record, marks, part, manifest, verified);
    if (junk.isEmpty()) {
      return r;
    }
    String removed = "removed " + String.join(", ", junk) + ": not plain files (a link, say), never followed";
    return new Resume(r.kept(), r.discarded(), r.note().isEmpty() ? removed : removed + "; " + r.note(), r.partKept());
  }

  /** {@link #examine} once no junk is left: whatever is under the three names is a plain file. */
  private static Resume examinePlain(Path record, Path marks, Path part, Manifest manifest, ChunkSet verified)
      throws IOException {
    if (!LocalFiles.exists(record)) {
      // The record is written before any chunk is: a .part without one holds nothing we know of.
      boolean hadPart = LocalFiles.exists(part);
      discard(record, marks, part);
      return new Resume(0, 0, hadPart ? "a .part without a resume record was discarded" : "");
    }
    ResumeRecord r;
    try {
      r = ResumeRecord.read(record);
    } catch (NoSuchFileException e) {
      discard(record, marks, part);
      return new Resume(0, 0, "");
    } catch (IOException e) {
      discard(record, marks, part);
      return new Resume(0, 0, e.getMessage() + "; starting over");
    }
    if (!r.id().equals(manifest.id())) {
      discard(record, marks, part);
      return new Resume(0, 0, "the resume record is for another file (" + r.id().shortForm() + "); starting over");
    }
    BasicFileAttributes partAttributes = LocalFiles.attributes(part);
    if (partAttributes == null || partAttributes.size() != manifest.size()) {
      long size = partAttributes != null ? partAttributes.size() : -1;
      discard(record, marks, part);
      return new Resume(0, 0, size < 0 ? "the .part file is missing; starting over"
          : "the .part file has " + size + " bytes instead of " + manifest.size() + "; starting over");
    }
    Bitfield candidates = r.verified();
    Bitfield marked = ChunkMarks.read(marks, manifest);
    if (marked != null) {
      candidates = candidates.or(marked);
    }
    List<Integer> named = new ArrayList<>();
    for (int i = candidates.nextSet(0); i >= 0; i = candidates.nextSet(i + 1)) {
      named.add(i);
    }
    AtomicInteger bad = new AtomicInteger();
    int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
    try (FileChannel ch = LocalFiles.openPlain(part, StandardOpenOption.READ);
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
      Throwable cause = e.getCause() == null ? e : e.getCause();
      throw new IOException("cannot re-check resumed chunks: " + cause.getMessage(), cause);
    }
    return new Resume(verified.count(), bad.get(), "", true);
  }

  /** Record first: a crash part way leaves a .part without a record, which the next run discards. */
  private static void discard(Path record, Path marks, Path part) throws IOException {
    Files.deleteIfExists(record);
    Files.deleteIfExists(marks);
    Files.deleteIfExists(part);
  }
}
