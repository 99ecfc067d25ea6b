package io.swarmshare.internal.tree;

import io.swarmshare.api.FileId;
import io.swarmshare.api.MalformedManifestException;
import io.swarmshare.api.Manifest;
import io.swarmshare.api.SharedTree;
import io.swarmshare.api.StorageException;
import io.swarmshare.api.SwarmException;
import io.swarmshare.api.TreeEntry;
import io.swarmshare.internal.client.Client;
import io.swarmshare.internal.manifest.ManifestBuilder;
import io.swarmshare.internal.store.MemoryStore;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.LongConsumer;

/** Shares a directory: every file on its own, then the listing under the tree's name and id. */
public final class TreeShare {
  private TreeShare() {}

  /** A regular file found in a tree, by its path relative to the root ({@code /}-separated). */
  public record Found(String path, Path file, long size) {}

  /** What a walk of a directory found: its files and its empty directories. */
  record Walk(List<Found> files, List<String> emptyDirectories) {}

  /**
   * Lists {@code root}: regular files and directories that hold nothing; links and special files
   * are skipped, never followed (a link could lead anywhere, and the getter would not recreate it).
   *
   * @throws StorageException if it cannot be read or holds more than {@link TreeManifest#MAX_ENTRIES}
   */
  static Walk walk(Path root) throws StorageException {
    List<Found> files = new ArrayList<>();
    List<String> empty = new ArrayList<>();
    Deque<int[]> counts = new ArrayDeque<>();
    try {
      Files.walkFileTree(root, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
          counts.push(new int[] {0});
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
          if (attrs.isRegularFile()) {
            files.add(new Found(relative(root, file), file, attrs.size()));
            counts.peek()[0]++;
            limit(files.size() + empty.size());
          }
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
          if (e != null) {
            throw e;
          }
          int[] n = counts.pop();
          if (n[0] == 0 && !dir.equals(root)) {
            empty.add(relative(root, dir));
            limit(files.size() + empty.size());
          }
          if (!counts.isEmpty()) {
            counts.peek()[0]++;
          }
          return FileVisitResult.CONTINUE;
        }
      });
    } catch (IOException e) {
      throw new StorageException("cannot read " + root + ": " + e.getMessage(), e);
    }
    return new Walk(files, empty);
  }

  private static void limit(int entries) throws IOException {
    if (entries > TreeManifest.MAX_ENTRIES) {
      throw new IOException("a tree holds at most " + TreeManifest.MAX_ENTRIES + " entries");
    }
  }

  private static String relative(Path root, Path p) {
    List<String> parts = new ArrayList<>();
    for (Path part : root.relativize(p)) {
      parts.add(part.toString());
    }
    return String.join("/", parts);
  }

  /**
   * The tree manifest of {@code root}, hashing each file with {@code chunkSize}; {@code onFile}
   * sees each file with its manifest, once per distinct path.
   *
   * @throws StorageException if the directory cannot be read or breaks the tree rules
   */
  public static TreeManifest build(Path root, int chunkSize, LongConsumer hashedBytes, FileSink onFile)
      throws SwarmException {
    if (!Files.isDirectory(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      throw new StorageException("not a directory: " + root);
    }
    Walk walk = walk(root);
    List<TreeEntry> entries = new ArrayList<>();
    for (String dir : walk.emptyDirectories()) {
      entries.add(new TreeEntry(dir, 0, null));
    }
    // Check the paths before hashing gigabytes: a name no other platform could hold fails now.
    List<TreeEntry> shapes = new ArrayList<>(entries);
    for (Found f : walk.files()) {
      shapes.add(new TreeEntry(f.path(), f.size(), new FileId("0".repeat(64))));
    }
    refuseUnsafe(root, shapes);
    for (Found f : walk.files()) {
      Manifest m = ManifestBuilder.build(f.file(), chunkSize, hashedBytes);
      onFile.accept(f, m);
      entries.add(new TreeEntry(f.path(), m.size(), m.id()));
    }
    return refuseUnsafe(root, entries);
  }

  private static TreeManifest refuseUnsafe(Path root, List<TreeEntry> entries) throws StorageException {
    try {
      return TreeManifest.of(entries);
    } catch (MalformedManifestException e) {
      throw new StorageException("cannot share " + root + " as a tree: " + e.getMessage()
          + "; rename the file, or share the files one by one");
    }
  }

  /** Sees each file of a tree being built. */
  @FunctionalInterface
  public interface FileSink {
    /** {@code found} was hashed into {@code manifest}. */
    void accept(Found found, Manifest manifest) throws SwarmException;
  }

  /** Shares every file of {@code root}, then the tree under {@code name}. */
  public static SharedTree share(Client client, Path root, String name, LongConsumer hashedBytes) throws SwarmException {
    Map<FileId, Boolean> seen = new HashMap<>();
    TreeManifest tree = build(root, client.chunkSize(), hashedBytes, (found, manifest) -> {
      String fileName = found.file().getFileName().toString();
      if (seen.putIfAbsent(manifest.id(), true) == null) {
        client.share(found.file(), fileName, manifest);
      } else {
        client.tracker().register(manifest, fileName); // equal content: one swarm, one more name
      }
    });
    seedListing(client, tree, name, root);
    return new SharedTree(tree.id(), name, root, tree.entries());
  }

  /** Serves {@code tree}'s listing from the heap, registered under the tree's name and id. */
  static void seedListing(Client client, TreeManifest tree, String name, Path path) throws SwarmException {
    MemoryStore store = new MemoryStore(listingManifest(tree.canonicalBytes(), client.chunkSize()));
    byte[] bytes = tree.canonicalBytes();
    for (int i = 0; i < store.manifest().chunkCount(); i++) {
      int offset = (int) store.manifest().chunkOffset(i);
      store.writeChunk(i, ByteBuffer.wrap(bytes, offset, store.manifest().chunkLength(i)));
    }
    client.seed(store, path, TreeNames.listing(name), TreeNames.alias(tree.id()));
  }

  /** The manifest of a listing's bytes, as a file. */
  static Manifest listingManifest(byte[] bytes, int chunkSize) {
    int count = Manifest.checkLayout(bytes.length, chunkSize);
    byte[] hashes = new byte[count * 32];
    for (int i = 0; i < count; i++) {
      int from = i * chunkSize;
      MessageDigest sha = ManifestBuilder.sha256();
      sha.update(bytes, from, Math.min(chunkSize, bytes.length - from));
      System.arraycopy(sha.digest(), 0, hashes, i * 32, 32);
    }
    return Manifest.of(bytes.length, chunkSize, HexFormat.of().formatHex(ManifestBuilder.sha256().digest(bytes)), hashes);
  }
}
