package io.swarmshare.internal.tree;

import io.swarmshare.api.Manifest;
import io.swarmshare.api.StorageException;
import io.swarmshare.internal.manifest.ManifestBuilder;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * The regular files of the reuse directories by size, listed once, hashed only when a tree entry
 * of the same size asks (size first: most candidates are never read). Links are not followed.
 * Thread-safe.
 */
final class ReuseIndex {
  private final List<Path> roots;
  private final ReentrantLock lock = new ReentrantLock(); // hashing is blocking I/O: no monitor
  private @Nullable Map<Long, List<Path>> bySize;

  ReuseIndex(List<Path> roots) {
    this.roots = List.copyOf(roots);
  }

  /** A file of the same content as {@code manifest}'s file, or null. */
  @Nullable Path find(Manifest manifest) throws StorageException {
    if (roots.isEmpty()) {
      return null;
    }
    List<Path> candidates;
    lock.lock();
    try {
      if (bySize == null) {
        bySize = list();
      }
      candidates = bySize.getOrDefault(manifest.size(), List.of());
    } finally {
      lock.unlock();
    }
    for (Path candidate : candidates) {
      if (matches(candidate, manifest)) {
        return candidate;
      }
    }
    return null;
  }

  /** True if {@code file} hashes to {@code manifest}'s id with its chunk size. */
  static boolean matches(Path file, Manifest manifest) throws StorageException {
    try {
      if (Files.size(file) != manifest.size()) {
        return false;
      }
    } catch (IOException e) {
      return false;
    }
    return ManifestBuilder.build(file, manifest.chunkSize(), n -> {}).id().equals(manifest.id());
  }

  private Map<Long, List<Path>> list() throws StorageException {
    Map<Long, List<Path>> out = new HashMap<>();
    for (Path root : roots) {
      if (!Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) {
        throw new StorageException("reuse directory " + root + " is not a directory");
      }
      try {
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
            if (attrs.isRegularFile()) {
              out.computeIfAbsent(attrs.size(), k -> new ArrayList<>()).add(file);
            }
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFileFailed(Path file, IOException e) {
            return FileVisitResult.CONTINUE; // unreadable: not a candidate
          }
        });
      } catch (IOException e) {
        throw new StorageException("cannot read reuse directory " + root + ": " + e.getMessage(), e);
      }
    }
    return out;
  }
}
