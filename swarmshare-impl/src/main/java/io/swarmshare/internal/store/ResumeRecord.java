package io.swarmshare.internal.store;

import io.swarmshare.api.Bitfield;
import io.swarmshare.api.FileId;
import io.swarmshare.api.Manifest;
import io.swarmshare.internal.manifest.ManifestBuilder;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.util.Arrays;

/**
 * The small file beside a {@code .part} that says which chunks were verified, for which file,
 * under which name, with the manifest included so a restart needs no tracker to know the
 * layout.
 *
 * <p>Layout: {@code "swarmshare-resume-v1\n"}, then u32 name length and UTF-8 name, u32 manifest
 * length and its canonical bytes, u32 chunk count and the bitfield, then the SHA-256 of
 * everything before it. The trailing hash makes a torn or garbled record detectable; it is
 * written to a new temporary file, forced, moved into place atomically, and the directory synced,
 * so a crash leaves either the old record or the new one. A record is never read or written
 * through a link (see {@link LocalFiles}). A record is only a hint: chunks it
 * names are re-hashed before they are trusted.
 *
 * @param name the name the finished file will have
 * @param manifest the manifest of the file
 * @param verified the chunks verified when the record was written
 */
public record ResumeRecord(String name, Manifest manifest, Bitfield verified) {
  private static final byte[] MAGIC = "swarmshare-resume-v1\n".getBytes(StandardCharsets.US_ASCII);
  /** A record is small: a name, a manifest and a bitfield. Anything larger is not ours. */
  private static final long MAX_BYTES = Manifest.maxCanonicalLength() + 256 * 1024;

  /** The file id the record is for. */
  public FileId id() {
    return manifest.id();
  }

  /** Writes the record durably: temp file, force, atomic move, directory sync. */
  public void write(Path target) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(MAGIC);
    byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
    writeBlock(out, nameBytes);
    writeBlock(out, manifest.canonicalBytes());
    out.write(ByteBuffer.allocate(4).putInt(verified.size()).array(), 0, 4);
    out.writeBytes(verified.toByteArray());
    byte[] body = out.toByteArray();
    MessageDigest sha = ManifestBuilder.sha256();
    byte[] digest = sha.digest(body);
    Path temp = target.resolveSibling(target.getFileName() + ".tmp");
    // A new file, never through a link; the rename below replaces whatever is at the target
    // itself (a link included) and never writes through it.
    try (FileChannel ch = LocalFiles.createFresh(temp)) {
      ByteBuffer b = ByteBuffer.allocate(body.length + digest.length).put(body).put(digest).flip();
      while (b.hasRemaining()) {
        ch.write(b);
      }
      ch.force(true);
    }
    LocalFiles.replace(temp, target);
    syncDirectory(FileStore.parentOf(target));
  }

  /**
   * Reads a record, checking its hash and every field.
   *
   * @throws IOException with a message saying why the record cannot be used
   */
  public static ResumeRecord read(Path file) throws IOException {
    BasicFileAttributes a = LocalFiles.attributes(file);
    if (a == null) {
      throw new NoSuchFileException(file.toString());
    }
    if (!LocalFiles.isPlainFile(file, a)) {
      throw new IOException("resume record " + file.getFileName() + " is not a plain file (a link, say); it is not followed");
    }
    long size = a.size();
    if (size > MAX_BYTES || size < MAGIC.length + 32) {
      throw new IOException("resume record " + file.getFileName() + " has an impossible size (" + size + " bytes)");
    }
    byte[] all = new byte[(int) size];
    try (FileChannel ch = LocalFiles.openPlain(file, StandardOpenOption.READ)) {
      ByteBuffer b = ByteBuffer.wrap(all);
      while (b.hasRemaining()) {
        if (ch.read(b, b.position()) < 0) {
          throw new IOException("resume record " + file.getFileName() + " shrank while being read");
        }
      }
    }
    byte[] body = Arrays.copyOf(all, all.length - 32);
    byte[] digest = Arrays.copyOfRange(all, all.length - 32, all.length);
    if (!MessageDigest.isEqual(ManifestBuilder.sha256().digest(body), digest)) {
      throw new IOException("resume record " + file.getFileName() + " is torn or garbled (checksum mismatch)");
    }
    if (!Arrays.equals(body, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
      throw new IOException("resume record " + file.getFileName() + " is not a SwarmShare resume record");
    }
    try (DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(body, MAGIC.length, body.length))) {
      String name = utf8(readBlock(in, 4096));
      Manifest manifest = Manifest.parse(readBlock(in, Integer.MAX_VALUE));
      int chunks = in.readInt();
      if (chunks != manifest.chunkCount()) {
        throw new IOException("resume record bitfield does not match the manifest");
      }
      byte[] bits = in.readNBytes(Bitfield.byteLength(chunks));
      if (in.available() != 0) {
        throw new IOException("resume record has trailing bytes");
      }
      return new ResumeRecord(name, manifest, Bitfield.fromBytes(chunks, bits));
    } catch (IllegalArgumentException e) {
      throw new IOException("resume record is malformed: " + e.getMessage(), e);
    }
  }

  /** Strict UTF-8: a name that is not would read back as another name. */
  private static String utf8(byte[] bytes) throws IOException {
    try {
      return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      throw new IOException("resume record name is not UTF-8", e);
    }
  }

  private static void writeBlock(ByteArrayOutputStream out, byte[] block) {
    out.write(ByteBuffer.allocate(4).putInt(block.length).array(), 0, 4);
    out.writeBytes(block);
  }

  private static byte[] readBlock(DataInputStream in, int max) throws IOException {
    int len = in.readInt();
    if (len < 0 || len > max || len > in.available()) {
      throw new IOException("resume record has a bad block length " + len);
    }
    return in.readNBytes(len);
  }

  /** Makes a rename durable: fsync the directory that holds it (a no-op where unsupported). */
  static void syncDirectory(Path dir) {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException | UnsupportedOperationException ignored) {
      // Some platforms cannot open directories; the rename is still atomic there.
    }
  }
}
