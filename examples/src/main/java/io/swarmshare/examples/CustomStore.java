package io.swarmshare.examples;

import io.swarmshare.SwarmShare;
import io.swarmshare.api.Bitfield;
import io.swarmshare.api.DownloadResult;
import io.swarmshare.api.Manifest;
import io.swarmshare.api.PieceStore;
import io.swarmshare.api.SharedFile;
import io.swarmshare.api.StorageException;
import io.swarmshare.api.SwarmClient;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.BitSet;
import java.util.HexFormat;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A download into a {@link PieceStore} of the application's own: here the whole file in one
 * preallocated array in memory, as a service that only needs the bytes (a model to load, a
 * patch to apply) might keep it. The engine still fetches chunks from several peers, checks
 * each against the manifest and the whole file at the end, and serves the chunks to other
 * peers while it downloads; the store only keeps bytes.
 *
 * <p>Run: {@code bin/example CustomStore [SIZE_MIB]} (default 16).
 */
public final class CustomStore {
  private CustomStore() {}

  /** The whole file in one array; which chunks are in, in a bit set. Thread-safe. */
  static final class InMemoryFile implements PieceStore {
    private final Manifest manifest;
    private final byte[] bytes;
    private final BitSet verified = new BitSet();
    private final ReentrantLock lock = new ReentrantLock();

    InMemoryFile(Manifest manifest) throws StorageException {
      if (manifest.size() > Integer.MAX_VALUE - 8) {
        throw new StorageException("a file of " + manifest.size() + " bytes does not fit in one array");
      }
      this.manifest = manifest;
      this.bytes = new byte[(int) manifest.size()];
    }

    @Override
    public Manifest manifest() {
      return manifest;
    }

    @Override
    public Bitfield verified() {
      lock.lock();
      try {
        Bitfield b = Bitfield.empty(manifest.chunkCount());
        for (int i = verified.nextSetBit(0); i >= 0; i = verified.nextSetBit(i + 1)) {
          b = b.with(i);
        }
        return b;
      } finally {
        lock.unlock();
      }
    }

    @Override
    public boolean has(int index) {
      lock.lock();
      try {
        return verified.get(index);
      } finally {
        lock.unlock();
      }
    }

    @Override
    public void writeChunk(int index, ByteBuffer data) {
      // Different chunks are different ranges of the array: no lock is needed for the copy.
      data.get(bytes, (int) manifest.chunkOffset(index), manifest.chunkLength(index));
      lock.lock();
      try {
        verified.set(index);
      } finally {
        lock.unlock();
      }
    }

    @Override
    public void readChunk(int index, ByteBuffer target) throws StorageException {
      if (!has(index)) {
        throw new StorageException("chunk " + index + " is not here yet");
      }
      target.put(bytes, (int) manifest.chunkOffset(index), manifest.chunkLength(index));
    }

    @Override
    public void flush() {
      // Memory is as durable as it gets: a crash loses the download, and a rerun starts over.
    }

    @Override
    public void complete() {
      // Called once the engine has checked the whole file; nothing to move or sync.
    }

    @Override
    public void close() {
      // The array goes when the application drops the store.
    }

    byte[] bytes() {
      return bytes;
    }
  }

  public static void main(String[] args) throws Exception {
    int mib = args.length > 0 ? Integer.parseInt(args[0]) : 16;
    Path work = Files.createTempDirectory("swarmshare-example-");
    Path file = ShareAndFetch.generate(work.resolve("model.bin"), mib << 20);
    InMemoryFile[] kept = new InMemoryFile[1];

    try (var tracker = SwarmShare.tracker().port(0).bind("127.0.0.1").start();
        SwarmClient seeder = SwarmShare.client().tracker(tracker.address()).start();
        // The store factory is the only thing this client does differently.
        SwarmClient fetcher = SwarmShare.client().tracker(tracker.address())
            .pieceStores((manifest, directory, name) -> kept[0] = new InMemoryFile(manifest))
            .start()) {
      SharedFile shared = seeder.share(file);
      System.out.println("shared   " + shared.name() + " as " + shared.id());

      DownloadResult result = fetcher.download(shared.id(), work).await();
      byte[] inMemory = kept[0].bytes();
      String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(inMemory));
      System.out.printf("fetched  %d bytes into memory in %d ms, %d chunks from %d peer(s)%n", inMemory.length,
          result.elapsed().toMillis(), result.chunksDownloaded(), result.peers());
      if (!sha.equals(shared.manifest().sha256())) {
        System.out.println("MISMATCH: the bytes in memory hash to " + sha);
        System.exit(1);
      }
      System.out.println("verified " + result.id() + " (SHA-256 " + sha.substring(0, 16) + "... of the bytes in memory)");
    }
  }
}
