package io.swarmshare.internal.peer;

import io.swarmshare.api.Bitfield;
import io.swarmshare.api.FileId;
import io.swarmshare.api.Manifest;
import io.swarmshare.internal.protocol.ErrorCode;
import io.swarmshare.internal.protocol.FrameException;
import io.swarmshare.internal.protocol.Header;
import java.nio.ByteBuffer;

/**
 * The peer-to-peer messages of {@code docs/PROTOCOL.md}: names, fields and builders in one
 * place, so the server and the download engine cannot disagree.
 *
 * <ul>
 *   <li>{@code get {id, file, chunk}} asks for a chunk; answered by {@code chunk {id, file, chunk}}
 *       whose body is the chunk's bytes, or an error ({@code not_found}, {@code busy}).
 *   <li>{@code cancel {id}} withdraws request {@code id} if it has not been answered; no reply.
 *   <li>{@code bitfield {id, file}} asks which chunks the peer holds; answered by
 *       {@code bitfield {id, file, chunks}} with the bitfield as body.
 *   <li>{@code manifest {id, file}} asks for a manifest; answered by {@code manifest_data {id, file}}
 *       with the canonical bytes as body, exactly as a tracker answers it.
 *   <li>{@code have {file, count}}, no id and no reply: chunks the server obtained since it
 *       answered {@code bitfield} for that file, as {@code count} 4-byte big-endian indexes in
 *       the body. Sent only to a client whose hello listed the {@code have} feature.
 * </ul>
 */
public final class PeerMessages {
  public static final String GET = "get";
  public static final String CHUNK = "chunk";
  public static final String CANCEL = "cancel";
  public static final String BITFIELD = "bitfield";
  public static final String MANIFEST = "manifest";
  public static final String MANIFEST_DATA = "manifest_data";
  public static final String HAVE = "have";
  /** Most chunk indexes one {@code have} frame carries; more go in further frames. */
  public static final int MAX_HAVE_INDEXES = 4096;
  /** Role sent in hello by clients that serve and download chunks. */
  public static final String ROLE = "peer";

  private PeerMessages() {}

  public static Header get(long id, FileId file, int chunk) {
    return Header.request(GET, id).with("file", file.hex()).with("chunk", chunk);
  }

  public static Header chunk(long id, FileId file, int chunk) {
    return Header.request(CHUNK, id).with("file", file.hex()).with("chunk", chunk);
  }

  public static Header cancel(long id) {
    return Header.request(CANCEL, id);
  }

  public static Header bitfieldRequest(long id, FileId file) {
    return Header.request(BITFIELD, id).with("file", file.hex());
  }

  public static Header bitfieldResponse(long id, FileId file, Bitfield have) {
    return Header.request(BITFIELD, id).with("file", file.hex()).with("chunks", have.size());
  }

  public static Header manifestRequest(long id, FileId file) {
    return Header.request(MANIFEST, id).with("file", file.hex());
  }

  public static Header manifestResponse(long id, Manifest manifest) {
    return Header.request(MANIFEST_DATA, id).with("file", manifest.id().hex()).with("size", manifest.size())
        .with("chunkSize", manifest.chunkSize());
  }

  public static Header have(FileId file, int count) {
    return Header.of(HAVE).with("file", file.hex()).with("count", count);
  }

  /**
   * Decodes the body of a {@code have} frame: 4-byte big-endian chunk indexes, each of which must
   * be a chunk of a file of {@code chunkCount} chunks.
   *
   * @throws FrameException {@code bad_frame} if the body is not whole indexes, {@code bad_request}
   *     for an index outside the file
   */
  public static int[] haveIndexes(byte[] body, int chunkCount) throws FrameException {
    if (body.length % 4 != 0) {
      throw new FrameException(ErrorCode.BAD_FRAME, "have: a body of " + body.length + " bytes is not whole 4-byte indexes");
    }
    ByteBuffer in = ByteBuffer.wrap(body);
    int[] chunks = new int[body.length / 4];
    for (int i = 0; i < chunks.length; i++) {
      int c = in.getInt();
      if (c < 0 || c >= chunkCount) {
        throw new FrameException(ErrorCode.BAD_REQUEST, "have: chunk " + (c & 0xFFFFFFFFL) + " is not in the file");
      }
      chunks[i] = c;
    }
    return chunks;
  }

  /** Reads the {@code file} field as a {@link FileId}. */
  public static FileId file(Header h) throws FrameException {
    String hex = h.string("file", 64);
    if (!FileId.isValid(hex)) {
      throw new FrameException(ErrorCode.BAD_REQUEST, h.type() + ": field 'file' must be 64 lower-case hex digits");
    }
    return new FileId(hex);
  }
}
