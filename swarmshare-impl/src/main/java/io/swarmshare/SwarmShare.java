package io.swarmshare;

import io.swarmshare.api.Manifest;
import io.swarmshare.api.StorageException;
import io.swarmshare.internal.manifest.ManifestBuilder;
import java.nio.file.Path;
import java.util.function.LongConsumer;

/**
 * The front door of SwarmShare: hashes files into manifests, and builds trackers and clients.
 *
 * <pre>{@code
 * Manifest m = SwarmShare.manifest(Path.of("model.bin"));
 * System.out.println(m.id());
 * }</pre>
 *
 * <p>All methods are thread-safe.
 */
public final class SwarmShare {
  private static final String VERSION = readVersion();

  private SwarmShare() {}

  private static String readVersion() {
    try (var in = SwarmShare.class.getResourceAsStream("version.properties")) {
      var p = new java.util.Properties();
      if (in != null) {
        p.load(in);
      }
      return p.getProperty("version", "unknown");
    } catch (java.io.IOException e) {
      return "unknown";
    }
  }

  /** The library's version, for example {@code 0.1.0}. */
  public static String version() {
    return VERSION;
  }

  /**
   * Hashes a file into its manifest with the default 1 MiB chunks.
   *
   * @throws StorageException if the file cannot be read or is too large for the chunk size
   */
  public static Manifest manifest(Path file) throws StorageException {
    return manifest(file, Manifest.DEFAULT_CHUNK_SIZE, bytes -> {});
  }

  /**
   * Hashes a file into its manifest, reporting progress as bytes are hashed. Chunk hashes run
   * in parallel on a bounded pool beside the whole-file hash; each byte is read once.
   *
   * @param chunkSize a power of two from 16 KiB to 16 MiB
   * @param progress called with the number of bytes just hashed, on the calling thread
   * @throws StorageException if the file cannot be read or is too large for the chunk size
   */
  public static Manifest manifest(Path file, int chunkSize, LongConsumer progress) throws StorageException {
    return ManifestBuilder.build(file, chunkSize, progress);
  }
}
