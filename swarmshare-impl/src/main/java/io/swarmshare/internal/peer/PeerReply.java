package io.swarmshare.internal.peer;

import io.swarmshare.api.ProtocolException;
import io.swarmshare.internal.protocol.ErrorCode;
import io.swarmshare.internal.protocol.Errors;
import io.swarmshare.internal.protocol.FrameException;
import io.swarmshare.internal.protocol.Header;

/**
 * What a peer sends a downloader, one record per frame type of docs/PROTOCOL.md section 8,
 * decoded from the header with every field checked. Bodies stay on the wire: each record says
 * how long its body must be, and the downloader reads it where it belongs (a chunk straight
 * into its buffer).
 */
public sealed interface PeerReply {
  /** {@code chunk}: the answer to {@code get} {@code id}; the body is the chunk's bytes. */
  record Chunk(long id, int chunk) implements PeerReply {}

  /** {@code bitfield}: the answer to a {@code bitfield} request; the body is the bitfield. */
  record Bitfield(long id, int chunks) implements PeerReply {}

  /** {@code have}: chunks the peer obtained, {@code count} 4-byte indexes in the body. */
  record Have(int count) implements PeerReply {}

  /**
   * {@code error}: a request failed ({@code id} -1 for an error about the connection).
   *
   * @param retryMs with {@code elsewhere} or {@code busy}, when to ask again (the frame's
   *     {@code retryMs}; 1 s for an {@code elsewhere} without one); 0 if the frame says nothing
   */
  record Error(long id, ErrorCode code, ProtocolException exception, long retryMs) implements PeerReply {}

  /** Anything else (a {@code manifest_data} nobody asked for, a type from a later version): skipped. */
  record Other(String type) implements PeerReply {}

  /**
   * Decodes a header a downloader received.
   *
   * @throws FrameException {@code bad_request} for a known type with a missing or malformed field
   */
  static PeerReply decode(Header h) throws FrameException {
    return switch (h.type()) {
      case PeerMessages.CHUNK -> new Chunk(h.id(), h.integer("chunk", 0, Integer.MAX_VALUE));
      case PeerMessages.BITFIELD -> new Bitfield(h.id(), h.integer("chunks", 0, Integer.MAX_VALUE));
      case PeerMessages.HAVE -> new Have(h.integer("count", 0, PeerMessages.MAX_HAVE_INDEXES));
      case "error" -> {
        ProtocolException e = Errors.fromFrame(h);
        ErrorCode code = ErrorCode.fromWire(e.code());
        long retry = h.has("retryMs") ? h.number("retryMs", 1, 60_000) : code == ErrorCode.ELSEWHERE ? 1000 : 0;
        yield new Error(h.id(), code, e, retry);
      }
      default -> new Other(h.type());
    };
  }
}
